import { isBox, isDict, type ActionSpace, type ObservationSpace } from '../spaces.js';
import { spaceSegments, type SpaceSegment } from '../flatten.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';
import type { VecEnv, VecInfo, VecResetArgs, VecStepResult } from './vec-env.js';

/** Options of `VecNormalize` (SB3's defaults). */
export interface VecNormalizeOptions {
  /** Normalize observations (default true). */
  normObs?: boolean;
  /** Scale rewards by the std of a running discounted return (default true, as SB3's VecNormalize). */
  normReward?: boolean;
  /** Clip normalized observations to ±clipObs (default 10). */
  clipObs?: number;
  /** Clip scaled rewards to ±clipReward (default 10). */
  clipReward?: number;
  /** Discount of the running return used for reward scaling (default 0.99). */
  gamma?: number;
  /** Added to variances before the square root (default 1e-8). */
  epsilon?: number;
  /** Update the statistics (default true); set false to freeze them for evaluation. */
  training?: boolean;
  /**
   * Dict observation spaces: the keys to normalize (SB3's `norm_obs_keys`), each a Box key.
   * Default: every Box key (Discrete, MultiDiscrete and MultiBinary keys are never normalized).
   */
  normObsKeys?: readonly string[];
}

/** Saved statistics and settings of a `VecNormalize` (plain JSON-able data). */
export interface VecNormalizeState {
  /** The statistics of a Box observation space; for a Dict space one entry per normalized key (as SB3). */
  obsRms: RunningMeanStdState | Record<string, RunningMeanStdState>;
  /** The statistics of the discounted return (reward scaling). */
  retRms: RunningMeanStdState;
  /** Whether observations are normalized. */
  normObs: boolean;
  /** Whether rewards are scaled. */
  normReward: boolean;
  /** Observation clip bound. */
  clipObs: number;
  /** Reward clip bound. */
  clipReward: number;
  /** Discount of the running return. */
  gamma: number;
  /** Added to variances before the square root. */
  epsilon: number;
  /**
   * The running discounted return R of each env (reward scaling), so that training can continue
   * exactly. Optional: states without it (or with null) leave R unchanged; it is only restored
   * into a VecNormalize with the same numEnvs.
   */
  returns?: number[] | null;
}

/**
 * Observation normalization with running mean/std and clipping, and optional reward scaling,
 * with SB3 VecNormalize semantics: obs -> clip((obs - mean) / sqrt(var + eps), ±clipObs), the
 * statistics updated with every batch while `training`; reward -> clip(r / sqrt(var_R + eps),
 * ±clipReward) where var_R is the running variance of the discounted return
 * R <- gamma R + r (reset to 0 when an episode ends). `infos[i].finalObservation` is normalized
 * too (the raw one is kept as `infos[i].originalFinalObservation`); `infos[i].episode` stays the
 * raw return and length from the wrapped vector env.
 *
 * Dict observations (packed rows, see `packObservation`) are normalized per key, as SB3 does:
 * each key of `normObsKeys` (default: every Box key) has its own running mean/std over its
 * values; the other keys (Discrete values and bits) pass through unchanged. A Discrete,
 * MultiDiscrete or MultiBinary observation space has nothing to normalize and passes through.
 *
 * This base has no Node built-ins (the browser entry exports it as VecNormalize); ./normalize.ts's
 * VecNormalize adds save/load to a file.
 */
export class VecNormalizeBase implements VecEnv {
  /** The wrapped env's numEnvs. */
  readonly numEnvs: number;
  readonly observationSpace: ObservationSpace;
  readonly actionSpace: ActionSpace;
  readonly obsDim: number;
  readonly actDim: number;
  /** Update the statistics on reset/step. Set false to freeze them (evaluation). */
  training: boolean;
  /** Whether observations are normalized. */
  normObs: boolean;
  /** Whether rewards are scaled by the std of the running discounted return. */
  normReward: boolean;
  /** Normalized observations are clipped to ±clipObs. */
  clipObs: number;
  /** Scaled rewards are clipped to ±clipReward. */
  clipReward: number;
  /** Discount of the running return of the reward scaling. */
  gamma: number;
  /** Added to variances before the square root. */
  epsilon: number;
  /** Per-key statistics of a Dict observation space (empty for a Box space; see `obsRms`). */
  readonly obsRmsByKey: Readonly<Record<string, RunningMeanStd>>;
  /** The Dict keys normalized (empty for other spaces). */
  readonly normObsKeys: readonly string[];
  /** Statistics of the discounted return (the reward scale is sqrt(var + epsilon)). */
  readonly retRms: RunningMeanStd;
  private readonly boxRms: RunningMeanStd | null;
  /** The normalized packed segments of a non-Box space, with their statistics. */
  private readonly segments: { seg: SpaceSegment; rms: RunningMeanStd }[];
  private returns: Float64Array;
  private oldObs: Float64Array | null = null;
  private oldRewards: Float64Array | null = null;

  /** @throws TypeError/RangeError naming the option for a bad value, or normObsKeys that are not Box keys of a Dict space. */
  constructor(
    /** The wrapped vector env. */
    readonly venv: VecEnv,
    options: VecNormalizeOptions = {},
  ) {
    this.numEnvs = venv.numEnvs;
    this.observationSpace = venv.observationSpace;
    this.actionSpace = venv.actionSpace;
    this.obsDim = venv.obsDim;
    this.actDim = venv.actDim;
    this.training = options.training ?? true;
    this.normObs = options.normObs ?? true;
    this.normReward = options.normReward ?? true;
    this.clipObs = options.clipObs ?? 10;
    this.clipReward = options.clipReward ?? 10;
    this.gamma = options.gamma ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    for (const [k, v] of Object.entries({ clipObs: this.clipObs, clipReward: this.clipReward, epsilon: this.epsilon })) {
      if (typeof v !== 'number' || !(v > 0)) throw new RangeError(`VecNormalize: ${k} must be a positive number, got ${String(v)}`);
    }
    if (!(this.gamma >= 0 && this.gamma <= 1)) throw new RangeError(`VecNormalize: gamma must be in [0, 1], got ${String(this.gamma)}`);
    const space = this.observationSpace;
    if (isBox(space)) {
      if (options.normObsKeys !== undefined) throw new TypeError(`VecNormalize: normObsKeys applies to Dict observation spaces; the observation space is ${String(space)}`);
      this.boxRms = new RunningMeanStd(this.obsDim);
      this.segments = [];
      this.normObsKeys = [];
    } else {
      this.boxRms = null;
      const segs = spaceSegments(space);
      const boxKeys = segs.filter((g) => isBox(g.space)).map((g) => g.key!);
      const keys = options.normObsKeys === undefined ? boxKeys : [...options.normObsKeys];
      if (!isDict(space) && keys.length > 0) throw new TypeError(`VecNormalize: normObsKeys applies to Dict observation spaces; the observation space is ${String(space)}`);
      for (const k of keys) {
        const g = segs.find((x) => x.key === k);
        if (!g) throw new TypeError(`VecNormalize: normObsKeys: ${JSON.stringify(k)} is not a key of ${String(space)}`);
        if (!isBox(g.space)) throw new TypeError(`VecNormalize: normObsKeys: key ${JSON.stringify(k)} is ${String(g.space)}; only Box keys can be normalized`);
      }
      this.normObsKeys = Object.freeze(segs.filter((g) => keys.includes(g.key!)).map((g) => g.key!));
      this.segments = segs.filter((g) => keys.includes(g.key!)).map((seg) => ({ seg, rms: new RunningMeanStd(seg.packedSize) }));
    }
    this.obsRmsByKey = Object.freeze(Object.fromEntries(this.segments.map(({ seg, rms }) => [seg.key!, rms])));
    this.retRms = new RunningMeanStd(1);
    this.returns = new Float64Array(this.numEnvs);
  }

  async reset(args: VecResetArgs = {}): Promise<Float64Array> {
    const obs = await this.venv.reset(args);
    this.oldObs = obs;
    this.returns.fill(0);
    if (this.training && this.normObs) this.updateObsRms(obs);
    return this.normalizeObs(obs);
  }

  async step(actions: Float64Array): Promise<VecStepResult> {
    const r = await this.venv.step(actions);
    this.oldObs = r.observations;
    this.oldRewards = r.rewards;
    if (this.training && this.normObs) this.updateObsRms(r.observations);
    const observations = this.normalizeObs(r.observations);
    if (this.training) {
      for (let i = 0; i < this.numEnvs; i++) this.returns[i] = this.returns[i] * this.gamma + r.rewards[i];
      this.retRms.update(this.returns, this.numEnvs);
    }
    const rewards = this.normalizeReward(r.rewards);
    const infos: VecInfo[] = r.infos.map((info, i) => {
      if (r.terminated[i] || r.truncated[i]) this.returns[i] = 0;
      if (!info.finalObservation) return info;
      return { ...info, finalObservation: this.normalizeObs(info.finalObservation), originalFinalObservation: info.finalObservation };
    });
    return { observations, rewards, terminated: r.terminated, truncated: r.truncated, infos };
  }

  /** Closes the wrapped env. */
  close(): Promise<void> {
    return this.venv.close();
  }

  /** The statistics of a Box observation space (for a Dict space, see `obsRmsByKey`). */
  get obsRms(): RunningMeanStd {
    if (!this.boxRms) throw new TypeError(`VecNormalize.obsRms: the observation space ${String(this.observationSpace)} is not a Box; its statistics are per key in obsRmsByKey`);
    return this.boxRms;
  }

  private updateObsRms(obs: Float64Array): void {
    if (this.boxRms) {
      this.boxRms.update(obs, this.numEnvs);
      return;
    }
    for (const { seg, rms } of this.segments) rms.update(this.column(obs, seg), this.numEnvs);
  }

  /** A key's values of every row of a packed batch, rows × key size. */
  private column(obs: ArrayLike<number>, seg: SpaceSegment): Float64Array {
    const rows = obs.length / this.obsDim;
    const out = new Float64Array(rows * seg.packedSize);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < seg.packedSize; j++) out[r * seg.packedSize + j] = obs[r * this.obsDim + seg.packedOffset + j];
    }
    return out;
  }

  /** Normalize observations (any number of rows) with the current statistics. */
  normalizeObs(obs: ArrayLike<number>): Float64Array {
    const out = Float64Array.from(obs);
    if (!this.normObs) return out;
    if (!this.boxRms) {
      this.transformSegments(out, (x, mean, variance) => Math.min(Math.max((x - mean) / Math.sqrt(variance + this.epsilon), -this.clipObs), this.clipObs));
      return out;
    }
    const d = this.obsDim;
    const { mean, var: v } = this.obsRms;
    for (let k = 0; k < out.length; k++) {
      const j = k % d;
      const z = (out[k] - mean[j]) / Math.sqrt(v[j] + this.epsilon);
      out[k] = Math.min(Math.max(z, -this.clipObs), this.clipObs);
    }
    return out;
  }

  /** Apply f(x, mean, var) to the normalized keys' values of a packed batch, in place. */
  private transformSegments(out: Float64Array, f: (x: number, mean: number, variance: number) => number): void {
    const d = this.obsDim;
    for (let base = 0; base < out.length; base += d) {
      for (const { seg, rms } of this.segments) {
        for (let j = 0; j < seg.packedSize; j++) {
          const k = base + seg.packedOffset + j;
          out[k] = f(out[k], rms.mean[j], rms.var[j]);
        }
      }
    }
  }

  /** Invert `normalizeObs` (exact for unclipped values). */
  unnormalizeObs(obs: ArrayLike<number>): Float64Array {
    const out = Float64Array.from(obs);
    if (!this.normObs) return out;
    if (!this.boxRms) {
      this.transformSegments(out, (x, mean, variance) => x * Math.sqrt(variance + this.epsilon) + mean);
      return out;
    }
    const d = this.obsDim;
    for (let k = 0; k < out.length; k++) {
      const j = k % d;
      out[k] = out[k] * Math.sqrt(this.obsRms.var[j] + this.epsilon) + this.obsRms.mean[j];
    }
    return out;
  }

  /** Scale rewards with the current return statistics. */
  normalizeReward(rewards: ArrayLike<number>): Float64Array {
    const out = Float64Array.from(rewards);
    if (!this.normReward) return out;
    const s = Math.sqrt(this.retRms.var[0] + this.epsilon);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(out[i] / s, -this.clipReward), this.clipReward);
    return out;
  }

  /** Invert `normalizeReward` (exact for unclipped values). */
  unnormalizeReward(rewards: ArrayLike<number>): Float64Array {
    const out = Float64Array.from(rewards);
    if (!this.normReward) return out;
    const s = Math.sqrt(this.retRms.var[0] + this.epsilon);
    for (let i = 0; i < out.length; i++) out[i] *= s;
    return out;
  }

  /** The raw observations of the last reset/step (a copy). */
  originalObservations(): Float64Array | null {
    return this.oldObs && Float64Array.from(this.oldObs);
  }

  /** The raw rewards of the last step (a copy). */
  originalRewards(): Float64Array | null {
    return this.oldRewards && Float64Array.from(this.oldRewards);
  }

  /** Statistics, settings (not `training`) and the running discounted returns as plain data. */
  getState(): VecNormalizeState {
    return {
      obsRms: this.boxRms ? this.boxRms.getState() : Object.fromEntries(this.segments.map(({ seg, rms }) => [seg.key!, rms.getState()])),
      retRms: this.retRms.getState(),
      normObs: this.normObs,
      normReward: this.normReward,
      clipObs: this.clipObs,
      clipReward: this.clipReward,
      gamma: this.gamma,
      epsilon: this.epsilon,
      returns: Array.from(this.returns),
    };
  }

  /**
   * Restore `getState()` output (statistics and settings; `training` is left unchanged). The
   * running returns are restored when the state has them for this numEnvs, otherwise kept.
   */
  setState(state: VecNormalizeState): void {
    if (typeof state !== 'object' || state === null) throw new TypeError('VecNormalize.setState: expected the object from getState()');
    const returns = state.returns;
    if (returns !== undefined && returns !== null && !(Array.isArray(returns) && returns.every(Number.isFinite))) {
      throw new TypeError('VecNormalize.setState: returns: expected an array of finite numbers (or null)');
    }
    this.setObsRmsState(state.obsRms);
    this.retRms.setState(state.retRms);
    if (typeof state.normObs === 'boolean') this.normObs = state.normObs;
    if (typeof state.normReward === 'boolean') this.normReward = state.normReward;
    if (typeof state.clipObs === 'number') this.clipObs = state.clipObs;
    if (typeof state.clipReward === 'number') this.clipReward = state.clipReward;
    if (typeof state.gamma === 'number') this.gamma = state.gamma;
    if (typeof state.epsilon === 'number') this.epsilon = state.epsilon;
    if (returns && returns.length === this.numEnvs) this.returns.set(returns);
  }

  private setObsRmsState(s: VecNormalizeState['obsRms']): void {
    if (this.boxRms) {
      this.boxRms.setState(s as RunningMeanStdState);
      return;
    }
    const keys = this.segments.map(({ seg }) => seg.key!);
    const given = typeof s === 'object' && s !== null ? Object.keys(s) : [];
    if (typeof s !== 'object' || s === null || 'mean' in s || given.length !== keys.length || !keys.every((k) => given.includes(k))) {
      throw new TypeError(`VecNormalize.setState: obsRms: expected per-key statistics for the keys ${keys.map((k) => JSON.stringify(k)).join(', ') || '(none)'} of ${String(this.observationSpace)}, got keys ${given.map((k) => JSON.stringify(k)).join(', ') || 'none'}`);
    }
    const byKey = s as Record<string, RunningMeanStdState>;
    // Check every key before changing any, so that a bad state leaves the statistics as they were.
    const fresh = this.segments.map(({ seg }) => {
      const r = new RunningMeanStd(seg.packedSize);
      try {
        r.setState(byKey[seg.key!]);
      } catch (e) {
        throw new TypeError(`VecNormalize.setState: obsRms.${seg.key}: ${(e as Error).message}`, { cause: e });
      }
      return r;
    });
    this.segments.forEach(({ rms }, i) => rms.setState(fresh[i].getState()));
  }
}
