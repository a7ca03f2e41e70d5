import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compileRule, type CompiledRule, type CompileOptions } from './compile.js';
import { SigmaLoadError } from './errors.js';
import { loadRuleFile } from './load.js';

/** Outcome of one file: its compiled rules and the reason of each document that did not load. */
export interface FileOutcome {
  file: string;
  rules: CompiledRule[];
  errors: string[];
}

export interface DirectoryResult {
  rules: CompiledRule[];
  errors: { file: string; reason: string }[];
  files: number;
}

export type ProgressCallback = (outcome: FileOutcome, done: number, total: number) => void;

/** Loads and compiles one file; documents fail independently of each other. */
export async function loadAndCompileFile(file: string, options: CompileOptions = {}): Promise<FileOutcome> {
  const { rules, errors } = await loadRuleFile(file);
  const outcome: FileOutcome = { file, rules: [], errors: errors.map((e) => e.reason) };
  for (const rule of rules) {
    try {
      outcome.rules.push(compileRule(rule, options));
    } catch (err) {
      if (!(err instanceof SigmaLoadError)) throw err;
      outcome.errors.push(err.reason);
    }
  }
  return outcome;
}

/** Every *.yml / *.yaml below `dir` (or `dir` itself when it is a file), sorted for stable output. */
export async function findRuleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function loadRuleDirectory(dir: string, onProgress?: ProgressCallback, options: CompileOptions = {}): Promise<DirectoryResult> {
  const files = await findRuleFiles(dir);
  const result: DirectoryResult = { rules: [], errors: [], files: files.length };
  for (let i = 0; i < files.length; i++) {
    const outcome = await loadAndCompileFile(files[i], options);
    result.rules.push(...outcome.rules);
    for (const reason of outcome.errors) result.errors.push({ file: files[i], reason });
    onProgress?.(outcome, i + 1, files.length);
  }
  return result;
}
