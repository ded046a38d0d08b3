/**
 * Budgeted timing on top of timing.ts: the first call is a timed warm-up; when it alone uses half the
 * budget or more, it is the only sample (reported with repeats = 1); otherwise the median of as many
 * repeats as fit the budget (at least `minRepeats`, at most 5 + whatever fits minTimeMs).
 *
 * Besides wall time it records the process CPU time of each call (user + system, all threads). On a
 * shared machine whose other tenants keep the CPUs busy, wall time includes the time spent waiting
 * for a CPU; for single-threaded work the CPU time is what the call would take on an idle machine.
 */
import { time } from './timing.js';

export interface Measured {
  /** Median wall milliseconds per call. */
  ms: number;
  /** Median process CPU milliseconds per call (all threads). */
  cpuMs: number;
  /** Timed calls behind the median (1 = the first call alone). */
  repeats: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function measure(fn: () => unknown, budgetMs: number, options: { minRepeats?: number } = {}): Measured {
  const c0 = cpuNow();
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const firstCpu = cpuNow() - c0;
  if (first * 2 >= budgetMs) return { ms: first, cpuMs: firstCpu, repeats: 1 };
  const fit = Math.floor((budgetMs - first) / Math.max(first, 1e-3));
  const minRepeats = Math.max(options.minRepeats ?? 1, Math.min(5, fit));
  const warmup = first < 50 ? 1 : 0;
  const cpu: number[] = [];
  const wrapped = (): void => {
    const c = cpuNow();
    fn();
    cpu.push(cpuNow() - c);
  };
  const r = time(wrapped, { warmup, minRepeats, maxRepeats: Math.max(minRepeats, 200), minTimeMs: Math.min(200, budgetMs / 4) });
  return { ms: r.ms, cpuMs: median(cpu.slice(warmup)), repeats: r.repeats };
}
