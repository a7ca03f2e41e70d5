import type { MamoriEvent } from '../../core/event.js';
import { compileRule, type CompileOptions } from './compile.js';
import { defaultFieldResolver } from './field-resolver.js';
import { loadRuleText } from './load.js';

/**
 * Builds a one-rule matcher from a `detection:` body for the language tests.
 * Throws the load or compile error so tests can assert reasons.
 */
export function ruleFrom(detection: string, options: CompileOptions = {}): (event: MamoriEvent) => boolean {
  const text = `title: t\nlogsource:\n  product: test\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const { rules, errors } = loadRuleText(text, 'test.yml');
  if (errors.length) throw errors[0];
  const compiled = compileRule(rules[0], options);
  return (event) => compiled.match(event, defaultFieldResolver);
}

/** The reason a detection body fails to load or compile, or undefined when it loads. */
export function reasonOf(detection: string, options: CompileOptions = {}): string | undefined {
  try {
    ruleFrom(detection, options);
    return undefined;
  } catch (err) {
    return (err as { reason?: string }).reason ?? String(err);
  }
}
