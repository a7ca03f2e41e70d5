/** The search language (docs/search.md): parse, compile to ClickHouse SQL, read fields, time arguments. */
export type { PatternPart, QueryNode, QueryValue, RangeBound } from './ast.js';
export { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from './ast.js';
export { parseQuery } from './parser.js';
export { compileNode, compileQuery, type CompileOptions } from './compile.js';
export { fieldExpression, type FieldKind } from './fields.js';
export { parseDuration, parseTimeArg } from './time.js';
