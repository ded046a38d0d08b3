/** The finished episodes behind the episode statistics of every update. */
import type { TRPOUpdateInfo } from './logger.js';

export type EpisodeStats = Pick<TRPOUpdateInfo, 'episodes' | 'epReturnMean' | 'epReturnP10' | 'epReturnP90' | 'epLengthMean'>;

/** The returns and lengths of the last `size` finished episodes (true, unnormalized returns). */
export class EpisodeWindow {
  returns: number[] = [];
  lengths: number[] = [];

  constructor(readonly size: number) {}

  add(ret: number, length: number): void {
    this.returns.push(ret);
    this.lengths.push(length);
    if (this.returns.length > this.size) {
      this.returns.shift();
      this.lengths.shift();
    }
  }

  clear(): void {
    this.returns = [];
    this.lengths = [];
  }

  /** Copies of the returns and lengths (for a snapshot or the model file). */
  copy(): { returns: number[]; lengths: number[] } {
    return { returns: [...this.returns], lengths: [...this.lengths] };
  }

  /** Replace the window's episodes (the arrays are taken, not copied). */
  set(returns: number[], lengths: number[]): void {
    this.returns = returns;
    this.lengths = lengths;
  }

  stats(): EpisodeStats {
    const r = this.returns;
    if (r.length === 0) return { episodes: 0, epReturnMean: null, epReturnP10: null, epReturnP90: null, epLengthMean: null };
    const sorted = Float64Array.from(r).sort();
    return {
      episodes: r.length,
      epReturnMean: r.reduce((a, b) => a + b, 0) / r.length,
      epReturnP10: quantileSorted(sorted, 0.1),
      epReturnP90: quantileSorted(sorted, 0.9),
      epLengthMean: this.lengths.reduce((a, b) => a + b, 0) / r.length,
    };
  }
}

/** q-quantile (0..1) of sorted values, linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
