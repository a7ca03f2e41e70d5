/** Sigma detection rules: load (YAML → typed rule), compile (rule → predicate), walk directories. */
export { compileRule, KEYWORD_FIELDS, type CompiledRule, type CompileOptions, type SigmaPredicate } from './compile.js';
export { findRuleFiles, loadAndCompileFile, loadRuleDirectory, type DirectoryResult, type FileOutcome, type ProgressCallback } from './directory.js';
export { SigmaLoadError } from './errors.js';
export { DefaultFieldResolver, defaultFieldResolver, type FieldResolver } from './field-resolver.js';
export { loadRuleFile, loadRuleText, type LoadResult } from './load.js';
export type { SigmaLevel, SigmaLogsource, SigmaRule, SigmaStatus } from './rule.js';
export type { Placeholders } from './values.js';
