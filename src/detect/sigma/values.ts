import { base64, base64Offsets, foldDashes, utf16 } from './encoding.js';
import { SigmaLoadError } from './errors.js';
import type { ModifierChain } from './modifiers.js';
import { compilePattern, hasPlaceholder, isPlain, parsePattern, plainText, wrapPattern, type Pattern, type StringTest } from './wildcard.js';

/**
 * Runs the transformation modifiers of a chain over one string value and
 * returns the string tests it expands to (base64offset gives three, expand
 * one per placeholder value). Everything happens at compile time.
 */

/** Placeholder name → values (each a Sigma string, wildcards allowed). */
export type Placeholders = Readonly<Record<string, readonly string[]>>;

export const MAX_EXPANDED_VALUES = 1024;

type Item = { kind: 'text'; raw: string } | { kind: 'pattern'; pattern: Pattern } | { kind: 'bytes'; bytes: Buffer };

/** Whether event text must be lowercased before the tests of this chain run. */
export function foldsCase(chain: ModifierChain): boolean {
  // Base64 output is case-sensitive by nature: folding it would match other bytes.
  return !chain.cased && !chain.transforms.some((t) => t === 'base64' || t === 'base64offset');
}

export function compileStringValue(value: string, chain: ModifierChain, path: string, placeholders: Placeholders): StringTest[] {
  const fail = (reason: string): never => {
    throw new SigmaLoadError(`${reason} in ${path}`);
  };
  const expand = chain.transforms.includes('expand');
  const toPattern = (item: Item): Pattern =>
    item.kind === 'pattern' ? item.pattern : item.kind === 'text' ? parsePattern(item.raw, expand) : [item.bytes.toString('latin1')];
  const toBytes = (item: Item, modifier: string): Buffer => {
    if (item.kind === 'bytes') return item.bytes;
    const pattern = toPattern(item);
    if (!isPlain(pattern)) fail(`modifier "${modifier}" cannot encode a value with wildcards or placeholders`);
    return Buffer.from(plainText(pattern), 'utf8');
  };

  let items: Item[] = [{ kind: 'text', raw: value }];
  let encoded = false;
  for (const t of chain.transforms) {
    switch (t) {
      case 'contains':
      case 'startswith':
      case 'endswith':
        items = items.map((i) => ({ kind: 'pattern', pattern: wrapPattern(toPattern(i), t !== 'startswith', t !== 'endswith') }));
        break;
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
        items = items.map((i) => {
          if (i.kind === 'bytes') fail(`modifier "${t}" cannot encode a value twice`);
          return { kind: 'bytes', bytes: utf16(toBytes(i, t).toString('utf8'), t) };
        });
        encoded = true;
        break;
      case 'base64':
        items = items.map((i) => ({ kind: 'pattern', pattern: [base64(toBytes(i, t))] }));
        encoded = true;
        break;
      case 'base64offset':
        items = items.flatMap((i) => base64Offsets(toBytes(i, t)).map((s): Item => ({ kind: 'pattern', pattern: [s] })));
        encoded = true;
        break;
      case 'windash':
        if (encoded) fail('modifier "windash" cannot follow an encoding modifier');
        // Dash folding applies to the needle here and to the event text in the matcher.
        items = items.map((i): Item =>
          i.kind === 'text' ? { kind: 'text', raw: foldDashes(i.raw) } : { kind: 'pattern', pattern: toPattern(i).map((s) => (typeof s === 'string' ? foldDashes(s) : s)) },
        );
        break;
      case 'expand':
        if (chain.transforms.some((x) => x === 'base64' || x === 'base64offset' || x.startsWith('utf16'))) {
          fail('modifier "expand" cannot be combined with encoding modifiers');
        }
        break;
    }
  }

  let patterns = items.map(toPattern);
  if (expand) patterns = patterns.flatMap((p) => expandPlaceholders(p, placeholders, fail));
  if (patterns.length > MAX_EXPANDED_VALUES) fail(`value expands to more than ${MAX_EXPANDED_VALUES} values`);
  const fold = foldsCase(chain);
  return patterns.map((p) => compilePattern(p, fold));
}

function expandPlaceholders(pattern: Pattern, placeholders: Placeholders, fail: (reason: string) => never): Pattern[] {
  if (!hasPlaceholder(pattern)) return [pattern];
  let results: Pattern[] = [[]];
  for (const seg of pattern) {
    if (typeof seg !== 'object') {
      for (const r of results) r.push(seg);
      continue;
    }
    const values = placeholders[seg.placeholder];
    if (!values || values.length === 0) fail(`placeholder %${seg.placeholder}% has no values`);
    const next: Pattern[] = [];
    for (const r of results) for (const v of values!) next.push([...r, ...parsePattern(v)]);
    if (next.length > MAX_EXPANDED_VALUES) fail(`value expands to more than ${MAX_EXPANDED_VALUES} values`);
    results = next;
  }
  return results;
}
