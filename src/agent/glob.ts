import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** A file path pattern: a literal folder and a file name that may hold `*` and `?`. */
export interface PathPattern {
  dir: string;
  /** Undefined for a literal path (no wildcard). */
  name: RegExp | undefined;
  literal: string;
}

const SPECIAL = /[.+^${}()|[\]\\]/g;

/** Compiled once per input; matching a directory listing builds no regex. */
export function compilePattern(pattern: string): PathPattern {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return { dir, name: undefined, literal: pattern };
  const source = base.replace(SPECIAL, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]');
  return { dir, name: new RegExp(`^${source}$`), literal: pattern };
}

/** Paths that currently match; a missing or unreadable folder matches nothing. */
export async function expand(pattern: PathPattern): Promise<string[]> {
  if (!pattern.name) return [pattern.literal];
  let names: string[];
  try {
    names = await readdir(pattern.dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  // Hidden files (editor swap files, .tmp of atomic writers) only match a pattern that names them.
  for (const name of names) if (pattern.name.test(name) && (name[0] !== '.' || path.basename(pattern.literal)[0] === '.')) out.push(path.join(pattern.dir, name));
  return out.sort();
}
