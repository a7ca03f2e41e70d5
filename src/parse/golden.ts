import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Golden cases: fixtures/<parser>/<case>.input (one raw line) and
 * <case>.expected.json (the fields the parser sets, or {"error": "<part of
 * the ParseError message>"} for a line it must reject).
 */
// Next to this file in the sources; from the built dist/parse/ (bench), in the sources beside dist.
const BESIDE = join(import.meta.dirname, 'fixtures');
const FIXTURES = existsSync(BESIDE) ? BESIDE : join(import.meta.dirname, '..', '..', 'src', 'parse', 'fixtures');
export const GOLDEN_CONTEXT = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };

export interface GoldenCase {
  parser: string;
  name: string;
  input: string;
  expected: Record<string, unknown>;
}

export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const parser of readdirSync(FIXTURES).sort()) {
    for (const file of readdirSync(join(FIXTURES, parser)).sort()) {
      if (!file.endsWith('.input')) continue;
      const name = file.slice(0, -'.input'.length);
      const input = readFileSync(join(FIXTURES, parser, file), 'utf8');
      const expected = JSON.parse(readFileSync(join(FIXTURES, parser, `${name}.expected.json`), 'utf8'));
      cases.push({ parser, name, input, expected });
    }
  }
  return cases;
}
