import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { parseCondition } from './condition.js';
import { SigmaLoadError } from './errors.js';
import { parseModifiers } from './modifiers.js';
import { LEVELS, STATUSES, type ConditionNode, type FieldCondition, type Search, type SigmaLogsource, type SigmaRule, type SigmaScalar } from './rule.js';

/**
 * Sigma YAML → typed rules. A file may hold several documents (`---`);
 * legacy collections (`action: global / reset / repeat`) are merged into
 * plain rules the way Sigma 1.x tools did. Each document that is not a
 * loadable detection rule becomes one SigmaLoadError with an exact reason;
 * the other documents of the file still load.
 */

export const MAX_RULE_BYTES = 1024 * 1024;
export const MAX_ALIASES = 100;
const MAX_SEARCHES = 256;
const MAX_VALUES_PER_FIELD = 10_000;

export interface LoadResult {
  rules: SigmaRule[];
  errors: SigmaLoadError[];
}

export async function loadRuleFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_RULE_BYTES) return { rules: [], errors: [new SigmaLoadError(`file larger than ${MAX_RULE_BYTES} bytes`, path)] };
    text = bytes.toString('utf8');
  } catch (err) {
    return { rules: [], errors: [new SigmaLoadError(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, path)] };
  }
  return loadRuleText(text, path);
}

export function loadRuleText(text: string, source: string): LoadResult {
  const result: LoadResult = { rules: [], errors: [] };
  if (text.length > MAX_RULE_BYTES) {
    result.errors.push(new SigmaLoadError(`rule text longer than ${MAX_RULE_BYTES} characters`, source));
    return result;
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    result.errors.push(new SigmaLoadError(loadFailure(err), source));
    return result;
  }
  if (!Array.isArray(docs)) {
    result.errors.push(new SigmaLoadError('no rule in file', source));
    return result;
  }
  let global: Record<string, unknown> | undefined;
  let previous: Record<string, unknown> | undefined;
  docs.forEach((doc, index) => {
    const where = docs.length > 1 ? `${source}#${index}` : source;
    try {
      if (doc.errors.length) throw new SigmaLoadError(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
      if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
      if (!isRecord(value)) throw new SigmaLoadError('document is not a mapping');
      let data = value;
      const action = value.action;
      if (action !== undefined) {
        const { action: _omit, ...rest } = value;
        if (action === 'global') {
          global = rest;
          return;
        }
        if (action === 'reset') {
          global = undefined;
          return;
        }
        if (action !== 'repeat') throw new SigmaLoadError(`unknown collection action "${String(action)}"`);
        if (!previous) throw new SigmaLoadError('"action: repeat" without a previous rule');
        data = deepMerge(previous, rest);
      } else if (global) {
        data = deepMerge(global, value);
      }
      previous = data;
      result.rules.push(buildRule(data, source, index));
    } catch (err) {
      result.errors.push(err instanceof SigmaLoadError ? new SigmaLoadError(err.reason, where) : new SigmaLoadError(loadFailure(err), where));
    }
  });
  if (result.rules.length === 0 && result.errors.length === 0) result.errors.push(new SigmaLoadError('no rule in file', source));
  return result;
}

/** yaml's alias guard throws a ReferenceError; turn library messages into one-line reasons. */
function loadFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/alias/i.test(message)) return `YAML uses too many aliases (limit ${MAX_ALIASES})`;
  if (err instanceof RangeError) return 'YAML nested too deeply';
  return `invalid YAML: ${message.split('\n')[0]}`;
}

function buildRule(data: Record<string, unknown>, source: string, document: number): SigmaRule {
  if ('correlation' in data) throw new SigmaLoadError('correlation rules are not supported yet');
  if ('filter' in data && !('detection' in data)) throw new SigmaLoadError('filter rules are not supported yet');

  const title = data.title;
  if (typeof title !== 'string' || title.trim() === '') throw new SigmaLoadError('missing "title"');
  if (title.length > 256) throw new SigmaLoadError('"title" is longer than 256 characters');
  const id = optionalString(data, 'id');
  if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new SigmaLoadError(`"id" is not a UUID: "${id.slice(0, 64)}"`);
  const status = optionalString(data, 'status');
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new SigmaLoadError(`unknown status "${status}" (expected one of ${STATUSES.join(', ')})`);
  const level = optionalString(data, 'level');
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) throw new SigmaLoadError(`unknown level "${level}" (expected one of ${LEVELS.join(', ')})`);
  const tags = stringList(data, 'tags');
  const badTag = tags.find((t) => !/^[A-Za-z0-9_.-]+$/.test(t));
  if (badTag !== undefined) throw new SigmaLoadError(`invalid tag "${badTag.slice(0, 64)}"`);

  const logsource = data.logsource;
  if (!isRecord(logsource)) throw new SigmaLoadError('missing "logsource"');
  const ls: SigmaLogsource = {};
  for (const key of ['category', 'product', 'service', 'definition'] as const) {
    const v = logsource[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new SigmaLoadError(`"logsource.${key}" is not a string`);
    ls[key] = v;
  }

  const detection = data.detection;
  if (!isRecord(detection)) throw new SigmaLoadError('missing "detection"');
  const { searches, condition } = buildDetection(detection);
  return {
    title,
    id,
    name: optionalString(data, 'name'),
    status: status as SigmaRule['status'],
    level: level as SigmaRule['level'],
    description: optionalString(data, 'description'),
    tags,
    logsource: ls,
    searches,
    condition,
    falsepositives: stringList(data, 'falsepositives'),
    fields: stringList(data, 'fields'),
    source,
    document,
  };
}

function buildDetection(detection: Record<string, unknown>): { searches: Map<string, Search>; condition: ConditionNode } {
  const rawCondition = detection.condition;
  const conditions = typeof rawCondition === 'string' ? [rawCondition] : Array.isArray(rawCondition) ? rawCondition : undefined;
  if (!conditions || conditions.length === 0 || !conditions.every((c) => typeof c === 'string')) throw new SigmaLoadError('missing "detection.condition"');
  const searches = new Map<string, Search>();
  for (const [name, definition] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    if (searches.size >= MAX_SEARCHES) throw new SigmaLoadError(`more than ${MAX_SEARCHES} searches`);
    searches.set(name, buildSearch(name, definition));
  }
  if (searches.size === 0) throw new SigmaLoadError('detection has no search');
  const names = [...searches.keys()];
  const parsed = (conditions as string[]).map((c) => parseCondition(c, names));
  return { searches, condition: parsed.length === 1 ? parsed[0] : { kind: 'or', items: parsed } };
}

/** A map is one AND-ed alternative; a list holds maps (OR-ed) and/or keyword values (OR-ed). */
function buildSearch(name: string, definition: unknown): Search {
  if (isRecord(definition)) return { name, alternatives: [buildMap(name, definition)] };
  const items = Array.isArray(definition) ? definition : [definition];
  if (items.length === 0) throw new SigmaLoadError(`search "${name}" is empty`);
  const alternatives: FieldCondition[][] = [];
  const keywords: SigmaScalar[] = [];
  for (const item of items) {
    if (isRecord(item)) alternatives.push(buildMap(name, item));
    else keywords.push(scalar(item, name));
  }
  if (keywords.length) alternatives.push([{ field: null, chain: parseModifiers([], name), values: keywords, path: name }]);
  return { name, alternatives };
}

function buildMap(name: string, map: Record<string, unknown>): FieldCondition[] {
  const conditions: FieldCondition[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const path = `${name}.${key}`;
    const [field, ...modifiers] = key.split('|');
    const chain = parseModifiers(modifiers, path);
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw new SigmaLoadError(`empty value list in ${path}`);
    if (list.length > MAX_VALUES_PER_FIELD) throw new SigmaLoadError(`more than ${MAX_VALUES_PER_FIELD} values in ${path}`);
    conditions.push({ field: field === '' ? null : field, chain, values: list.map((v) => scalar(v, path)), path });
  }
  if (conditions.length === 0) throw new SigmaLoadError(`search "${name}" has an empty map`);
  return conditions;
}

function scalar(value: unknown, path: string): SigmaScalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SigmaLoadError(`non-finite number in ${path}`);
    return value;
  }
  if (typeof value === 'bigint') throw new SigmaLoadError(`number out of range in ${path}`);
  if (Array.isArray(value)) throw new SigmaLoadError(`nested list in ${path}`);
  throw new SigmaLoadError(`nested map in ${path}`);
}

function optionalString(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SigmaLoadError(`"${key}" is not a string`);
  return v;
}

function stringList(data: Record<string, unknown>, key: string): string[] {
  const v = data[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  // Scalars other than strings (a year, a number) are kept as text; maps and lists are not metadata.
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new SigmaLoadError(`"${key}" must be a list of strings`);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collection merge: maps merge recursively, anything else in `over` replaces `base`. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) ? deepMerge(b, v) : v;
  }
  return out;
}
