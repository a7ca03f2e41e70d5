// Regenerates the committed documents that are derived from code.
import { writeFileSync } from 'node:fs';
import { schemaMarkdown } from '../dist/store/events/schema-doc.js';

writeFileSync(new URL('../docs/schema.md', import.meta.url), schemaMarkdown());
console.log('wrote docs/schema.md');
