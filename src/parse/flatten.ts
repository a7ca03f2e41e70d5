import type { EcsValue, MamoriEvent } from '../core/event.js';

/**
 * Flattening of decoded JSON into dotted field names, bounded so a hostile
 * document (10,000 levels deep, 100,000 keys) costs linear time and no
 * unbounded recursion. Objects deeper than `MAX_FLAT_DEPTH`, and arrays
 * holding structures that deep, are kept as a JSON string.
 */
export const MAX_FLAT_DEPTH = 32;
/** Fields kept per document; the rest is dropped and counted (event.original still has it). */
export const MAX_FIELDS = 1000;

/** Field where the number of dropped fields is reported. */
export const DROPPED_FIELDS = 'mamori.dropped_fields';

export interface FlattenState {
  fields: number;
  dropped: number;
}

type JsonObject = { [key: string]: unknown };

/**
 * Dotted field names by prefix and key. Logs repeat the same few hundred
 * names; reusing one string per name spares the concatenation and, above
 * all, V8 hashing and internalising a new key string on every property
 * store. Bounded, so documents with random keys cannot grow it.
 */
const FIELD_CACHE_LIMIT = 50_000;
const fieldNames = new Map<string, Map<string, string>>();
let cachedFields = 0;

export function fieldName(prefix: string, key: string): string {
  let byKey = fieldNames.get(prefix);
  if (byKey === undefined) {
    if (cachedFields >= FIELD_CACHE_LIMIT) return prefix + key;
    byKey = new Map();
    fieldNames.set(prefix, byKey);
  }
  let field = byKey.get(key);
  if (field === undefined) {
    field = prefix + key;
    if (cachedFields < FIELD_CACHE_LIMIT) {
      byKey.set(key, field);
      cachedFields++;
    }
  }
  return field;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Writes every member of `obj` into `out` as `prefix + dotted.path`.
 * `accept` may veto a top-level-path field name (reserved names).
 */
export function flattenInto(
  out: MamoriEvent,
  obj: JsonObject,
  prefix: string,
  state: FlattenState,
  accept?: (field: string) => boolean,
  depth = 1,
): void {
  for (const key in obj) {
    const value = obj[key];
    const field = fieldName(prefix, key);
    if (isObject(value) && depth < MAX_FLAT_DEPTH) {
      flattenInto(out, value, fieldName(field, '.'), state, accept, depth + 1);
      continue;
    }
    if (field === '__proto__' || (accept && !accept(field))) continue;
    if (state.fields >= MAX_FIELDS) {
      state.dropped++;
      continue;
    }
    state.fields++;
    out[field] = leafValue(value, depth);
  }
}

/** Scalars as they are, arrays kept as arrays when shallow, deeper structures as JSON text. */
function leafValue(value: unknown, depth: number): EcsValue {
  if (value === null || typeof value !== 'object') return value as EcsValue;
  if (Array.isArray(value) && containerDepth(value, MAX_FLAT_DEPTH - depth) >= 0) return value as EcsValue;
  return jsonText(value);
}

/**
 * Nesting depth of `value` when it is at most `budget`, else -1. Bounded
 * recursion: it never goes deeper than `budget` frames.
 */
function containerDepth(value: unknown, budget: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (budget <= 0) return -1;
  let deepest = 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    if (child === null || typeof child !== 'object') continue;
    const d = containerDepth(child, budget - 1);
    if (d < 0) return -1;
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}

interface Frame {
  value: JsonObject | unknown[];
  keys: string[] | null;
  next: number;
}

/**
 * JSON.stringify without recursion: V8's own overflows the stack a few
 * thousand levels down, and deep input is exactly what an attacker sends.
 */
export function jsonText(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (v: unknown): void => {
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ value: v, keys: null, next: 0 });
    } else if (isObject(v)) {
      out.push('{');
      stack.push({ value: v, keys: Object.keys(v), next: 0 });
    } else {
      out.push(v === undefined ? 'null' : JSON.stringify(v));
    }
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const { keys } = frame;
    const size = keys ? keys.length : (frame.value as unknown[]).length;
    if (frame.next >= size) {
      out.push(keys ? '}' : ']');
      stack.pop();
      continue;
    }
    if (frame.next > 0) out.push(',');
    let child: unknown;
    if (keys) {
      const key = keys[frame.next];
      out.push(JSON.stringify(key), ':');
      child = (frame.value as JsonObject)[key];
    } else {
      child = (frame.value as unknown[])[frame.next];
    }
    frame.next++;
    open(child);
  }
  return out.join('');
}
