/** Plain-data form of a `RunningMeanStd`. */
export interface RunningMeanStdState {
  /** Mean of each coordinate. */
  mean: number[];
  /** Variance of each coordinate. */
  var: number[];
  /** Number of samples merged. */
  count: number;
}

/**
 * Running per-coordinate mean and (population) variance of batches, merged with Chan et al.'s
 * parallel update (as SB3's RunningMeanStd): for a batch with mean m_b, variance v_b and n_b
 * rows, delta = m_b - m, n = n_a + n_b, m += delta n_b / n,
 * v = (v n_a + v_b n_b + delta^2 n_a n_b / n) / n. Starts at mean 0, var 1, count `epsilon`.
 */
export class RunningMeanStd {
  /** Running mean of each of the dim coordinates. */
  mean: Float64Array;
  /** Running (population) variance of each coordinate. */
  var: Float64Array;
  /** Number of samples merged (starts at epsilon, as SB3's). */
  count: number;

  /** @param epsilon the initial count (default 1e-4, SB3's) */
  constructor(
    /** Number of coordinates. */
    readonly dim: number,
    epsilon = 1e-4,
  ) {
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
    this.count = epsilon;
  }

  /** Merge a row-major batch of `rows` × `dim` values. */
  update(batch: ArrayLike<number>, rows: number): void {
    const d = this.dim;
    if (rows <= 0) return;
    if (batch.length !== rows * d) throw new TypeError(`RunningMeanStd.update: batch has ${batch.length} values, expected ${rows} × ${d}`);
    const bMean = new Float64Array(d);
    const bVar = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) bMean[j] += batch[r * d + j];
    for (let j = 0; j < d; j++) bMean[j] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const x = batch[r * d + j] - bMean[j];
        bVar[j] += x * x;
      }
    }
    for (let j = 0; j < d; j++) bVar[j] /= rows;
    const total = this.count + rows;
    for (let j = 0; j < d; j++) {
      const delta = bMean[j] - this.mean[j];
      const m2 = this.var[j] * this.count + bVar[j] * rows + ((delta * delta * this.count * rows) / total);
      this.mean[j] += (delta * rows) / total;
      this.var[j] = m2 / total;
    }
    this.count = total;
  }

  /** The statistics as plain arrays. */
  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /**
   * Restores statistics from getState().
   * @throws TypeError unless mean and var have dim entries and count is a number.
   */
  setState(s: RunningMeanStdState): void {
    if (!s || !Array.isArray(s.mean) || !Array.isArray(s.var) || s.mean.length !== this.dim || s.var.length !== this.dim || typeof s.count !== 'number') {
      throw new TypeError(`RunningMeanStd.setState: expected { mean, var } of length ${this.dim} and a count`);
    }
    this.mean = Float64Array.from(s.mean);
    this.var = Float64Array.from(s.var);
    this.count = s.count;
  }
}
