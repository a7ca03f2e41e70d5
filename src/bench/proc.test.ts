import { describe, expect, it } from 'vitest';
import { cpuSeconds, machineInfo, parseStatCpu, parseStatusKb, statusMb } from './proc.js';

describe('proc readers', () => {
  it('reads kB lines of /proc/<pid>/status as MiB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusKb(status, 'VmHWM')).toBe(200);
    expect(parseStatusKb(status, 'VmRSS')).toBe(100);
    expect(parseStatusKb(status, 'VmSwap')).toBeUndefined();
  });

  it('counts stat fields after the last parenthesis (command names may hold spaces and parens)', () => {
    const stat = '42 (my (odd) cmd) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 100 0 0';
    expect(parseStatCpu(stat)).toBe(3);
    expect(parseStatCpu('garbage')).toBeUndefined();
    expect(parseStatCpu('1 (x) S 1')).toBeUndefined();
  });

  it('reads this process on Linux and nothing for a pid that does not exist', () => {
    if (process.platform === 'linux') {
      expect(statusMb(process.pid, 'VmRSS')).toBeGreaterThan(1);
      expect(cpuSeconds(process.pid)).toBeGreaterThanOrEqual(0);
    }
    expect(statusMb(2 ** 30, 'VmHWM')).toBeUndefined();
    expect(cpuSeconds(2 ** 30)).toBeUndefined();
    expect(machineInfo().cores).toBeGreaterThan(0);
  });
});
