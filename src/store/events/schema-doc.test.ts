import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from './schema.js';
import { schemaMarkdown } from './schema-doc.js';

describe('docs/schema.md', () => {
  it('is up to date with the column catalogue (run `npm run docs` after changing schema.ts)', () => {
    const committed = readFileSync(new URL('../../../docs/schema.md', import.meta.url), 'utf8');
    expect(committed).toBe(schemaMarkdown());
  });

  it('documents every typed column', () => {
    const doc = schemaMarkdown();
    for (const c of COLUMNS) expect(doc).toContain(`\`${c.field}\``);
  });
});
