/** Applies VecNormalize's observation transform from saved statistics (no env needed). */
import type { VecNormalizeState } from '../envs/vector/normalize.js';
import type { RunningMeanStdState } from '../envs/vector/running-mean-std.js';

/** obs -> clip((obs - mean) / sqrt(var + eps), +-clipObs) for a flat batch; a copy when `state` normalizes observations. */
export function normalizeObservations(obs: ArrayLike<number>, state: VecNormalizeState | null | undefined): Float64Array {
  const out = Float64Array.from(obs);
  if (!state || !state.normObs) return out;
  const rms = state.obsRms;
  if (!Array.isArray((rms as { mean?: unknown }).mean)) throw new TypeError('normalizeObservations: the statistics are per key (a Dict observation space); the report draws Box observations only');
  const { mean, var: variance } = rms as RunningMeanStdState;
  const d = mean.length;
  for (let i = 0; i < out.length; i++) {
    const j = i % d;
    const z = (out[i] - mean[j]) / Math.sqrt(variance[j] + state.epsilon);
    out[i] = Math.min(Math.max(z, -state.clipObs), state.clipObs);
  }
  return out;
}
