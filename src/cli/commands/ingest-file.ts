import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, printTable } from '../output.js';

interface IngestOpts extends ClientOptions {
  tenant: string;
  format: string;
  timezone?: string;
  json?: boolean;
  chunkBytes: string;
  wait: string;
}

/**
 * `mamori ingest file`: streams a file (plain or .gz) to the server's ingest
 * API in chunks of whole lines, with a progress bar, then waits until the
 * import is stored and prints a summary: read, stored, failed by reason.
 * Every line of one import carries the label import_id, which is how the
 * summary finds them.
 */
export function registerIngestCommand(program: Command, withClientOptions: (c: Command) => Command): void {
  const ingest = program.command('ingest').description('Import existing logs');
  withClientOptions(
    ingest
      .command('file <path>')
      .description('Import a log file (.log, .json, .gz) with a progress bar and a summary')
      .requiredOption('--tenant <id>', 'tenant the events belong to')
      .requiredOption('--format <parser>', 'parser for the lines (mamori parse --list)')
      .option('--timezone <zone>', 'time zone of timestamps without offset')
      .option('--chunk-bytes <n>', 'bytes per request', String(4 * 1024 * 1024))
      .option('--wait <seconds>', 'how long to wait for the import to be stored', '300'),
  ).action(async (file: string, o: IngestOpts) => {
    const client = new ApiClient(o);
    const importId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const size = statSync(file).size;
    const started = Date.now();
    const bar = process.stderr.isTTY && !o.json ? new SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} bytes | {lines} lines', stream: process.stderr }, Presets.shades_classic) : undefined;
    bar?.start(size, 0, { lines: 0 });
    const limit = Number(o.chunkBytes);
    let sent = 0;
    let read = 0;
    const raw = createReadStream(file);
    raw.on('data', () => bar?.update(raw.bytesRead, { lines: read }));
    const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (chunk: Buffer) => {
      const query = new URLSearchParams({ tenant: o.tenant, format: o.format, label: `import_id=${importId}` });
      if (o.timezone) query.set('timezone', o.timezone);
      for (let attempt = 0; ; attempt++) {
        try {
          const { accepted } = await client.request<{ accepted: number }>('POST', `/api/v1/ingest?${query}`, chunk, { 'content-type': 'text/plain' });
          sent += accepted;
          return;
        } catch (err) {
          // 503: the pipeline is behind; back off and resend the same chunk.
          if ((err as { status?: number }).status === 503 && attempt < 60) await new Promise((r) => setTimeout(r, 1000));
          else throw err;
        }
      }
    };
    let carry: Buffer = Buffer.alloc(0);
    for await (const data of stream as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, data]) : data;
      const lastNl = buf.lastIndexOf(0x0a);
      if (lastNl < 0) {
        carry = buf;
        continue;
      }
      const whole = buf.subarray(0, lastNl + 1);
      carry = Buffer.from(buf.subarray(lastNl + 1));
      read += countLines(whole);
      pending.push(whole);
      pendingBytes += whole.length;
      if (pendingBytes >= limit) {
        await flush(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      }
    }
    if (carry.length) {
      read += 1;
      pending.push(carry);
    }
    if (pending.length) await flush(Buffer.concat(pending));
    bar?.update(size, { lines: read });
    bar?.stop();

    // Wait until everything accepted is searchable, then summarise.
    // Lines keep their own timestamps, which may lie anywhere in time.
    const window = { from: '0', to: '4102444800000', tenant: o.tenant };
    const q = `labels.import_id:${importId}`;
    const deadline = Date.now() + Number(o.wait) * 1000;
    let stored = 0;
    while (Date.now() < deadline) {
      stored = (await client.get<{ count: number }>('/api/v1/events/count', { ...window, q })).count;
      if (stored >= sent) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { values } = await client.get<{ values: { value: string; count: number }[] }>('/api/v1/events/top', {
      ...window,
      q: `${q} AND event.kind:pipeline_error`,
      field: 'error.message',
      limit: 20,
    });
    const failed = values.reduce((n, v) => n + v.count, 0);
    const summary = { file, import_id: importId, read, accepted: sent, stored, failed, failures: values, seconds: (Date.now() - started) / 1000 };
    if (o.json) {
      printJson(summary);
      return;
    }
    process.stdout.write(`read ${read} lines, stored ${stored} events (${failed} with parse errors) in ${summary.seconds.toFixed(1)} s; import id ${importId}\n`);
    if (values.length) printTable(values.map((v) => ({ reason: v.value, count: v.count })), ['reason', 'count']);
    if (stored < sent) {
      process.stdout.write(`warning: ${sent - stored} accepted events were not yet searchable after ${o.wait} s; search later with: mamori search --tenant ${o.tenant} '${q}' --count\n`);
      process.exitCode = 1;
    }
  });
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}
