/** What machine and build the numbers come from. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { nativeInfo } from '../src/index.js';

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cpuFlags: string[];
  logicalCpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  arch: string;
  native: ReturnType<typeof nativeInfo>;
  gitCommit: string | null;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

function cpuInfo(): { model: string; flags: string[] } {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
    const flags = (/^flags\s*:\s*(.+)$/m.exec(text)?.[1] ?? '').split(/\s+/);
    return { model, flags: ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f)) };
  } catch {
    return { model: cpus()[0]?.model ?? 'unknown', flags: [] };
  }
}

export function machineInfo(): MachineInfo {
  const cpu = cpuInfo();
  let gitCommit: string | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { /* not a checkout */ }
  return {
    date: new Date().toISOString(),
    cpuModel: cpu.model,
    cpuFlags: cpu.flags,
    logicalCpus: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    arch: process.arch,
    native: nativeInfo(),
    gitCommit,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  };
}
