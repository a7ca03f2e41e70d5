import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the figures were measured on; benchmark numbers mean nothing without it. */
export interface MachineInfo {
  cpu_model: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    // The process has exited, or this is not Linux.
    return undefined;
  }
}

/** A `kB` line of /proc/<pid>/status (`VmRSS`, `VmHWM`) in MiB; undefined when unreadable. */
export function statusMb(pid: number, key: 'VmRSS' | 'VmHWM'): number | undefined {
  return parseStatusKb(readProc(pid, 'status') ?? '', key);
}

export function parseStatusKb(status: string, key: string): number | undefined {
  const at = status.indexOf(`\n${key}:`);
  if (at < 0) return undefined;
  const kb = Number.parseInt(status.slice(at + key.length + 2).trimStart(), 10);
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

/** Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process (all its threads) has used; undefined when unreadable. */
export function cpuSeconds(pid: number): number | undefined {
  return parseStatCpu(readProc(pid, 'stat') ?? '');
}

/**
 * utime and stime from a /proc/<pid>/stat line. The command name (field 2)
 * may contain spaces and parentheses, so fields are counted after the last `)`.
 */
export function parseStatCpu(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ")": state is field 3, utime field 14, stime field 15.
  const fields = stat.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / TICKS_PER_SECOND;
}
