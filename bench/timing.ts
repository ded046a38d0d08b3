/** Median-of-repeats timing after warm-up, for benchmarks run side by side in one process. */
export interface Timing {
  /** Median time per call, in milliseconds. */
  ms: number;
  repeats: number;
}

/**
 * Times fn: `warmup` untimed calls, then calls until both `minRepeats` calls and `minTimeMs` have
 * passed (at most `maxRepeats`); returns the median.
 */
export function time(fn: () => unknown, options: { warmup?: number; minRepeats?: number; maxRepeats?: number; minTimeMs?: number } = {}): Timing {
  const { warmup = 2, minRepeats = 5, maxRepeats = 200, minTimeMs = 300 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRepeats && (samples.length < minRepeats || performance.now() - start < minTimeMs)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], repeats: samples.length };
}

export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} us`;
}
