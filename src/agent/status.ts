import { isAlive } from '../bus/local/dir-lock.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileInputStatus } from './file-input.js';
import type { SenderStats } from './sender.js';
import type { SyslogInputStatus } from './syslog-input.js';

/** What a running agent writes to `<data_dir>/status.json` about every second. */
export interface AgentStatus {
  pid: number;
  version: string;
  name: string;
  server: string;
  started: number;
  updated: number;
  /** Set by a clean shutdown. */
  stopped: boolean;
  inputs: (FileInputStatus | SyslogInputStatus)[];
  outbox: { events: number; bytes: number; maxBytes: number; full: boolean; oldestUnsentAgeMs: number | null };
  send: Omit<SenderStats, 'oldestUnsent'> & {
    /** Bytes per second sent recently, and the cap (0 = none). */
    bandwidthInUse: number;
    bandwidthCap: number;
  };
}

export const STATUS_INTERVAL_MS = 1_000;
/** A status file older than this comes from an agent that is no longer running (or is hung). */
const STALE_MS = 10_000;

export function statusFile(dataDir: string): string {
  return path.join(dataDir, 'status.json');
}

export type StatusReading = { state: 'missing' } | { state: 'running' | 'stopped' | 'stale'; status: AgentStatus };

/** Reads an agent's status file and tells whether that agent is running. */
export function readStatus(dataDir: string, now = Date.now()): StatusReading {
  let status: AgentStatus;
  try {
    status = JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as AgentStatus;
  } catch {
    return { state: 'missing' };
  }
  if (status.stopped || !isAlive(status.pid)) return { state: 'stopped', status };
  return { state: now - status.updated > STALE_MS ? 'stale' : 'running', status };
}


/** The human-readable `mamori agent status`. Control characters from file names are neutralised by the caller's printer. */
export function formatStatus(reading: StatusReading, now = Date.now()): string {
  if (reading.state === 'missing') return 'The agent has not run with this data directory (no status file).\n';
  const s = reading.status;
  const lines: string[] = [];
  const state =
    reading.state === 'running'
      ? `running (pid ${s.pid}, since ${iso(s.started)})`
      : reading.state === 'stale'
        ? `NOT RESPONDING: pid ${s.pid} exists but the status was last updated ${ago(s.updated, now)}`
        : `NOT RUNNING (last seen ${ago(s.updated, now)})`;
  lines.push(`agent ${s.name} ${s.version}: ${state}`);
  lines.push(`server: ${s.server}`);
  lines.push(
    `outbox: ${s.outbox.events} events, ${bytes(s.outbox.bytes)} of ${bytes(s.outbox.maxBytes)}${s.outbox.full ? ' (FULL: inputs are held back)' : ''}` +
      (s.outbox.oldestUnsentAgeMs === null ? '' : `, oldest unsent ${duration(s.outbox.oldestUnsentAgeMs)} old`),
  );
  lines.push(`last successful send: ${s.send.lastSuccess === null ? 'never' : `${iso(s.send.lastSuccess)} (${ago(s.send.lastSuccess, now)})`}`);
  lines.push(
    `sent: ${s.send.sentEvents} events, ${bytes(s.send.sentBytes)} compressed, ${s.send.requests} requests, ${s.send.failures} failed` +
      (s.send.duplicates ? `, ${s.send.duplicates} duplicates dropped by the server` : '') +
      (s.send.rejected ? `, ${s.send.rejected} refused by the server (see rejected.ndjson)` : ''),
  );
  lines.push(`bandwidth: ${bytes(s.send.bandwidthInUse)}/s in use, cap ${s.send.bandwidthCap > 0 ? `${bytes(s.send.bandwidthCap)}/s (${((s.send.bandwidthCap * 8) / 1e6).toFixed(2)} Mbit/s)` : 'none'}`);
  lines.push(`error: ${s.send.currentError ? `${s.send.currentError.message} (since ${iso(s.send.currentError.at)})` : 'none'}`);
  for (const input of s.inputs) {
    if (input.type === 'file') {
      lines.push(`input ${input.name} (file): ${input.lines} lines, ${bytes(input.bytes)} read${input.truncatedLines ? `, ${input.truncatedLines} cut` : ''}${input.paused ? ', PAUSED (outbox full)' : ''}`);
      for (const f of input.files) lines.push(`  ${f.path}: at ${f.offset} of ${f.size} bytes${f.rotated ? ' (rotated, finishing)' : ''}`);
      if (input.lastError) lines.push(`  last error: ${input.lastError.message} (${iso(input.lastError.at)})`);
    } else {
      const where = input.listening.map((l) => `${l.protocol} ${l.host}:${l.port}`).join(', ');
      lines.push(`input ${input.name} (syslog ${where}): ${input.lines} messages${input.udpDropped ? `, ${input.udpDropped} UDP datagrams DROPPED (outbox full)` : ''}${input.pushingBack ? ', pushing back' : ''}`);
    }
  }
  if (s.send.lastErrors.length > 0) {
    lines.push('recent errors:');
    for (const e of s.send.lastErrors) lines.push(`  ${iso(e.at)} ${e.message}`);
  }
  return lines.join('\n') + '\n';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function ago(ms: number, now: number): string {
  return `${duration(now - ms)} ago`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
