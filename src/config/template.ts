import { stringify } from 'yaml';
import { CONFIG_SCHEMA } from './schema.js';

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
}

/**
 * The commented default mamori.yaml that `mamori init` writes, generated
 * from the schema so the two cannot drift apart (a test loads it back).
 */
export function configTemplate(): string {
  const lines = ['# Mamori configuration. Every key is optional; shown values are the defaults.', '# Reference: src/config/schema.ts, docs/operations.md.', ''];
  emit(CONFIG_SCHEMA.properties as unknown as Record<string, SchemaNode>, 0, lines);
  return lines.join('\n') + '\n';
}

function emit(properties: Record<string, SchemaNode>, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  for (const [key, node] of Object.entries(properties)) {
    if (node.description) lines.push(`${pad}# ${node.description}`);
    if (node.type === 'object' && node.properties && node.default === undefined) {
      // An optional section (http_tls): shown commented out, since its required keys have no default.
      const section: string[] = [];
      emit(node.properties, depth + 1, section);
      lines.push(`${pad}# ${key}:`);
      for (const l of section) lines.push(l.trimStart().startsWith('#') ? l : `${pad}# ${l.slice(pad.length)}`);
    } else if (node.type === 'object' && node.properties) {
      lines.push(`${pad}${key}:`);
      emit(node.properties, depth + 1, lines);
    } else if (node.default === undefined) {
      lines.push(`${pad}# ${key}:`);
    } else {
      const value = stringify({ [key]: node.default }, { indent: 2 }).trimEnd();
      for (const l of value.split('\n')) lines.push(pad + l);
    }
  }
}
