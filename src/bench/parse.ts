import { readFileSync } from 'node:fs';
import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { goldenCases } from '../parse/golden.js';
import { normalise } from '../parse/normalise.js';
import { ParseError } from '../parse/parser.js';
import { getParser } from '../parse/registry.js';
import { machineInfo, type MachineInfo } from './proc.js';

/** What `mamori bench --scenario parse` measured for one format; `--json` prints one of these per line. */
export interface ParseBenchResult {
  scenario: 'parse';
  format: string;
  /** Distinct sample lines cycled through, and where they came from. */
  samples: number;
  sample_source: string;
  /** Lines parsed in the measured period. */
  lines: number;
  duration_s: number;
  /** Parser alone, one core: the rate the issue targets name. */
  lines_per_second: number;
  /** Input megabytes per second at that rate. */
  mb_per_second: number;
  /** parse + the pipeline's own fields (ids, original, derived related.*), i.e. what a worker does per line before storage. */
  normalise_lines_per_second: number;
  /** Sample lines the parser rejects (counted as pipeline errors in production). */
  rejected_samples: number;
  machine: MachineInfo;
}

export interface ParseBenchOptions {
  format: string;
  /** Seconds per measurement (parse, then normalise). */
  duration: number;
  /** A file of real lines to use instead of the format's built-in samples. */
  input?: string;
}

/** The format's golden fixture lines (the valid ones), or the lines of `input`. */
function samplesFor(format: string, input: string | undefined): { lines: string[]; source: string } {
  if (input) {
    const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new Error(`${input} has no lines`);
    return { lines, source: input };
  }
  const lines = goldenCases()
    .filter((c) => c.parser === format && !(typeof c.expected.error === 'string' && Object.keys(c.expected).length === 1))
    .map((c) => c.input);
  if (lines.length === 0) throw new Error(`no sample lines for "${format}": give --input <file of real lines>`);
  return { lines, source: 'golden fixtures' };
}

/** Runs `step(i)` in slices until `seconds` have passed; returns calls and elapsed seconds. */
function timed(seconds: number, step: (i: number) => void): { calls: number; elapsed: number } {
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let calls = 0;
  for (;;) {
    // Checking the clock every 1,000 calls keeps its cost out of the measurement.
    for (let k = 0; k < 1_000; k++) step(calls++);
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= budget) return { calls, elapsed: Number(elapsed) / 1e9 };
  }
}

/**
 * Measures single-core parse speed of one format in this process: a warm-up
 * (so the JIT has compiled the hot paths), then the parser alone, then the
 * whole per-line work of a pipeline worker (`normalise`).
 */
export function runParseBench(options: ParseBenchOptions): ParseBenchResult {
  const parser = getParser(options.format);
  const { lines, source } = samplesFor(options.format, options.input);
  const ctx = { received: Date.now(), timezone: 'UTC' };
  let rejected = 0;
  for (const line of lines) {
    try {
      parser.parse(line, ctx);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      rejected++;
    }
  }
  const n = lines.length;
  const parseOne = (i: number) => {
    try {
      parser.parse(lines[i % n], ctx);
    } catch {
      // rejected samples cost what they cost in production
    }
  };
  timed(Math.min(1, options.duration / 2), parseOne);
  const parsed = timed(options.duration, parseOne);
  const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0) / n;

  const records: RawRecord[] = lines.map((data) => ({ id: newEventId(), tenant: 'bench', source: 'bench', format: options.format, received: ctx.received, data }));
  const normaliseOne = (i: number) => void normalise(records[i % n]);
  timed(Math.min(1, options.duration / 2), normaliseOne);
  const normalised = timed(options.duration, normaliseOne);

  const rate = parsed.calls / parsed.elapsed;
  return {
    scenario: 'parse',
    format: options.format,
    samples: n,
    sample_source: source,
    lines: parsed.calls,
    duration_s: Math.round(parsed.elapsed * 100) / 100,
    lines_per_second: Math.round(rate),
    mb_per_second: Math.round(((rate * bytes) / 1e6) * 10) / 10,
    normalise_lines_per_second: Math.round(normalised.calls / normalised.elapsed),
    rejected_samples: rejected,
    machine: machineInfo(),
  };
}

export function formatParseBench(results: ParseBenchResult[]): string {
  const header = ['format', 'lines/s', 'MB/s', 'normalise lines/s', 'samples', 'rejected'];
  const rows = results.map((r) => [r.format, r.lines_per_second.toLocaleString('en-US'), String(r.mb_per_second), r.normalise_lines_per_second.toLocaleString('en-US'), String(r.samples), String(r.rejected_samples)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const m = results[0]?.machine;
  const machine = m ? `single core of ${m.cpu_model} (${m.cores} cores), Node ${m.node}\n` : '';
  return machine + [line(header), ...rows.map(line)].join('\n') + '\n';
}
