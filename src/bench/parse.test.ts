import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatParseBench, runParseBench } from './parse.js';

describe('parse bench', () => {
  it('measures a format on its golden samples, counting rejected ones', () => {
    const r = runParseBench({ format: 'rfc5424', duration: 0.05 });
    expect(r).toMatchObject({ scenario: 'parse', format: 'rfc5424', sample_source: 'golden fixtures', rejected_samples: 0 });
    expect(r.samples).toBeGreaterThanOrEqual(4);
    expect(r.lines).toBeGreaterThan(0);
    expect(r.lines_per_second).toBeGreaterThan(0);
    expect(r.normalise_lines_per_second).toBeGreaterThan(0);
    expect(formatParseBench([r])).toMatch(/rfc5424\s+[\d,]+/);
  });

  it('uses a file of real lines when given, and reports lines the parser rejects', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mamori-bench-')), 'lines.log');
    writeFileSync(file, '<13>1 2024-05-01T00:00:00Z h a - - - ok\nnot syslog at all\n\n');
    const r = runParseBench({ format: 'rfc5424', duration: 0.05, input: file });
    expect(r).toMatchObject({ samples: 2, sample_source: file, rejected_samples: 1 });
  });

  it('refuses an unknown format and a format without samples', () => {
    expect(() => runParseBench({ format: 'nope', duration: 0.05 })).toThrow(/unknown parser "nope"/);
  });
});
