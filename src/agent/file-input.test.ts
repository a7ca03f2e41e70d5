import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordSink } from '../collect/sink.js';
import type { RawRecord } from '../core/raw-record.js';
import type { FileInputConfig } from './config.js';
import { FileInput, lineId } from './file-input.js';
import { PositionStore } from './positions.js';

class MemorySink implements RecordSink {
  records: RawRecord[] = [];
  full = false;
  async accept(records: RawRecord[]): Promise<void> {
    this.records.push(...records);
  }
  pressure(): boolean {
    return this.full;
  }
  lines(): string[] {
    return this.records.map((r) => r.data);
  }
}

let dir: string;
let logFile: string;
let sink: MemorySink;
const open: FileInput[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-tail-'));
  logFile = path.join(dir, 'app.log');
  sink = new MemorySink();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function input(overrides: Partial<FileInputConfig> = {}, timing = { partialLineMs: 60_000, orphanGraceMs: 0 }): Promise<FileInput> {
  const config: FileInputConfig = { name: 'app', type: 'file', paths: [logFile], format: 'rfc3164', charset: 'utf-8', start_at: 'beginning', max_line_bytes: 1024, timezone: 'Asia/Tokyo', ...overrides };
  const i = new FileInput(config, sink, await PositionStore.open(dir), { ...timing, log: () => undefined });
  open.push(i);
  return i;
}

async function restart(i: FileInput): Promise<void> {
  await i.close();
  open.splice(open.indexOf(i), 1);
}

describe('FileInput', () => {
  it('gives a line the same id when it is read again after a crash, and flags such lines as resent', async () => {
    writeFileSync(logFile, 'one\ntwo\n');
    let i = await input();
    await i.round();
    const first = sink.records.splice(0);
    expect(first.map((r) => r.resent)).toEqual([undefined, undefined]);
    await restart(i);
    // A crash after the lines reached the outbox but before their position was saved: the saved offset is still 0.
    const file = path.join(dir, 'positions.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    for (const entry of Object.values(saved.inputs.app) as { offset: number }[]) entry.offset = 0;
    writeFileSync(file, JSON.stringify(saved));
    appendFileSync(logFile, 'three\n');
    i = await input();
    await i.round();
    expect(sink.records.map((r) => [r.data, r.id, r.resent])).toEqual([
      ['one', first[0].id, true],
      ['two', first[1].id, true],
      ['three', sink.records[2].id, true],
    ]);
    expect(new Set(sink.records.map((r) => r.id)).size).toBe(3);
    // Identical text at another offset is another line.
    expect(lineId('app', 'k', 0, Buffer.from('x'))).not.toBe(lineId('app', 'k', 2, Buffer.from('x')));
    expect(lineId('app', 'k', 0, Buffer.from('x'))).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('reads appended lines once, with fresh ids, the path and the input settings', async () => {
    writeFileSync(logFile, 'one\ntwo\n');
    const i = await input();
    await i.round();
    appendFileSync(logFile, 'three\n');
    await i.round();
    await i.round();
    expect(sink.lines()).toEqual(['one', 'two', 'three']);
    expect(new Set(sink.records.map((r) => r.id)).size).toBe(3);
    expect(sink.records[0]).toMatchObject({ source: 'app', format: 'rfc3164', timezone: 'Asia/Tokyo', labels: { path: logFile } });
    expect(i.status()).toMatchObject({ lines: 3, files: [{ path: logFile, offset: 14, size: 14 }] });
  });

  it('starts at the end of existing files on the first run with start_at: end, and at the beginning of files that appear later', async () => {
    writeFileSync(logFile, 'old\n');
    const i = await input({ paths: [path.join(dir, '*.log')], start_at: 'end' });
    await i.round();
    appendFileSync(logFile, 'new\n');
    writeFileSync(path.join(dir, 'other.log'), 'first\n');
    await i.round();
    expect(sink.lines().sort()).toEqual(['first', 'new']);
  });

  it('holds an unfinished line until its LF comes, or hands it on after the quiet period', async () => {
    writeFileSync(logFile, 'a\npart');
    const i = await input({}, { partialLineMs: 150, orphanGraceMs: 0 });
    await i.round();
    expect(sink.lines()).toEqual(['a']);
    appendFileSync(logFile, 'ial\nnoend');
    await i.round();
    expect(sink.lines()).toEqual(['a', 'partial']);
    await new Promise((r) => setTimeout(r, 200));
    await i.round();
    expect(sink.lines()).toEqual(['a', 'partial', 'noend']);
  });

  it('finishes the old file after a rename rotation, then reads the new one from its start', async () => {
    writeFileSync(logFile, '1\n2\n');
    const i = await input();
    await i.round();
    appendFileSync(logFile, '3\nlast-without-lf');
    renameSync(logFile, `${logFile}.1`);
    writeFileSync(logFile, '4\n');
    await i.round();
    expect(sink.lines()).toEqual(['1', '2', '3', 'last-without-lf', '4']);
    expect(i.status().files.map((f) => f.path)).toEqual([logFile]);
  });

  it('keeps following a file renamed to a name that still matches, without reading it twice', async () => {
    writeFileSync(logFile, 'a\n');
    const i = await input({ paths: [path.join(dir, 'app.log*')] });
    await i.round();
    renameSync(logFile, `${logFile}.1`);
    appendFileSync(`${logFile}.1`, 'b\n');
    writeFileSync(logFile, 'c\n');
    await i.round();
    expect(sink.lines().sort()).toEqual(['a', 'b', 'c']);
  });

  it('reads a file again from the start after copytruncate, also when it grew past the old offset meanwhile', async () => {
    writeFileSync(logFile, 'aaaa\nbbbb\n');
    const i = await input();
    await i.round();
    truncateSync(logFile, 0);
    appendFileSync(logFile, 'c\n');
    await i.round();
    expect(sink.lines()).toEqual(['aaaa', 'bbbb', 'c']);
    writeFileSync(logFile, 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\nyy\n');
    await i.round();
    expect(sink.lines()).toEqual(['aaaa', 'bbbb', 'c', 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'yy']);
  });

  it('resumes at the saved position after a restart, re-reading only an unfinished line', async () => {
    writeFileSync(logFile, 'one\ntwo\nhal');
    let i = await input();
    await i.round();
    await restart(i);
    appendFileSync(logFile, 'f\nthree\n');
    i = await input({ start_at: 'end' });
    await i.round();
    expect(sink.lines()).toEqual(['one', 'two', 'half', 'three']);
  });

  it('does not trust a saved position for a reused inode whose content differs', async () => {
    writeFileSync(logFile, 'original content line\n');
    let i = await input();
    await i.round();
    await restart(i);
    // Same inode, other content and longer: what inode reuse by a new file looks like.
    writeFileSync(logFile, 'a completely different file!!\nsecond\n');
    i = await input();
    await i.round();
    expect(sink.lines()).toEqual(['original content line', 'a completely different file!!', 'second']);
  });

  it('reads nothing while the sink is over its cap, and everything once it has room', async () => {
    writeFileSync(logFile, 'x\ny\n');
    sink.full = true;
    const i = await input();
    await i.round();
    expect(sink.lines()).toEqual([]);
    expect(i.status().paused).toBe(true);
    sink.full = false;
    await i.round();
    expect(sink.lines()).toEqual(['x', 'y']);
  });

  it('saves positions only for what the sink accepted', async () => {
    writeFileSync(logFile, 'p\nq\n');
    const failing: RecordSink = { accept: async () => Promise.reject(new Error('disk full')), pressure: () => false };
    const config: FileInputConfig = { name: 'app', type: 'file', paths: [logFile], format: 'auto', charset: 'utf-8', start_at: 'beginning', max_line_bytes: 1024 };
    const i = new FileInput(config, failing, await PositionStore.open(dir), { log: () => undefined });
    await i.round();
    expect(i.status().lastError?.message).toMatch(/disk full/);
    await i.close();
    const again = await input();
    await again.round();
    expect(sink.lines()).toEqual(['p', 'q']);
  });

  it('decodes the configured charset and cuts oversized lines', async () => {
    const sjis = Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x0a]); // テスト
    writeFileSync(logFile, Buffer.concat([sjis, Buffer.from('z'.repeat(600) + '\n')]));
    const i = await input({ charset: 'shift_jis', max_line_bytes: 512 });
    await i.round();
    expect(sink.lines()[0]).toBe('テスト');
    expect(sink.records[1].data.length).toBe(512);
    expect(sink.records[1].truncatedFrom).toBe(600);
  });
});
