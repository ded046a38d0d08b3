/** The trainer's preallocated rollout storage. */
import type { FloatArray } from '../core/types.js';

/**
 * One rollout of nSteps x nEnvs transitions in typed arrays, time-major (index t * nEnvs + e), with
 * per-step views and the scratch arrays of the rollout loop. Observations are Float32 when the
 * native core runs in float32, so the core reads them without a conversion.
 */
export class RolloutBuffer {
  /** Transitions in the rollout: nSteps x nEnvs. */
  readonly n: number;
  /** Policy inputs (flattened observations), n × obsDim, time-major. */
  readonly obs: FloatArray;
  /** The sampled (unclipped) Box actions, or null for integer actions. */
  readonly actionsF: Float64Array | null;
  /**
   * The sampled integer actions (null for Box), without the space's start: Discrete indices
   * 0..n-1 (n values), MultiDiscrete component indices 0..nvec[k]-1 and MultiBinary bits
   * (n x width values, row-major).
   */
  readonly actionsI: Int32Array | null;
  /** log π(a|s) of each sampled action (n values). */
  readonly logProbs: Float64Array;
  /** V(s) of each transition's observation (n values). */
  readonly values: Float64Array;
  /** V of the next observation of every transition, filled by the update (GAE's bootstrap). */
  readonly nextValues: Float64Array;
  /** The env's rewards (normalized under VecNormalize's normReward), n values. */
  readonly rewards: Float64Array;
  /** 1 where the transition reached a terminal state. */
  readonly terminated: Uint8Array;
  /** 1 where a time limit cut the episode (bootstrapped from finalValues). */
  readonly truncated: Uint8Array;
  /** V(final observation) of a truncated transition, where hasFinal is 1. */
  readonly finalValues: Float64Array;
  /** 1 where finalValues holds V(final observation). */
  readonly hasFinal: Uint8Array;
  /** GAE advantages, filled by the update. */
  readonly advantages: Float64Array;
  /** Step t's rows of obs, logProbs and values. */
  readonly obsRows: FloatArray[];
  /** Step t's rows of logProbs (views). */
  readonly logProbRows: Float64Array[];
  /** Step t's rows of values (views). */
  readonly valueRows: Float64Array[];
  /** Scratch of one step: the sampling noise, the sampled actions, the actions given to the env. */
  readonly noise: Float64Array;
  /** Scratch of one step: the sampled actions (nEnvs × width). */
  readonly sampleActions: Float64Array;
  /** Scratch of one step: the actions given to the env (clipped Box actions, or integers with the space's start). */
  readonly envActions: Float64Array;
  /** Scratch of V(final observation). */
  readonly finalObs: FloatArray;
  /** Scratch: the one value of V(final observation). */
  readonly finalOut = new Float64Array(1);
  /** The observations after the last step and their values (the bootstrap of the last step). */
  readonly lastObs: FloatArray;
  /** V of lastObs, one per env. */
  readonly lastValues: Float64Array;

  /**
   * @param obsDim the policy's input size (the flattened observation)
   * @param width action entries per env (Box size, 1 for Discrete, nvec.length, or MultiBinary n)
   * @param discrete integer actions (Discrete, MultiDiscrete, MultiBinary)
   * @param f32 store observations as Float32 (the native core in float32)
   */
  constructor(
    /** Steps per env in the rollout. */
    readonly nSteps: number,
    /** Parallel envs. */
    readonly nEnvs: number,
    obsDim: number,
    width: number,
    discrete: boolean,
    f32: boolean,
  ) {
    const n = (this.n = nSteps * nEnvs);
    const F = f32 ? Float32Array : Float64Array;
    this.obs = new F(n * obsDim);
    this.actionsF = discrete ? null : new Float64Array(n * width);
    this.actionsI = discrete ? new Int32Array(n * width) : null;
    this.logProbs = new Float64Array(n);
    this.values = new Float64Array(n);
    this.nextValues = new Float64Array(n);
    this.rewards = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.finalValues = new Float64Array(n);
    this.hasFinal = new Uint8Array(n);
    this.advantages = new Float64Array(n);
    this.obsRows = [];
    this.logProbRows = [];
    this.valueRows = [];
    for (let t = 0; t < nSteps; t++) {
      this.obsRows.push(this.obs.subarray(t * nEnvs * obsDim, (t + 1) * nEnvs * obsDim));
      this.logProbRows.push(this.logProbs.subarray(t * nEnvs, (t + 1) * nEnvs));
      this.valueRows.push(this.values.subarray(t * nEnvs, (t + 1) * nEnvs));
    }
    this.noise = new Float64Array(nEnvs * width);
    this.sampleActions = new Float64Array(nEnvs * width);
    this.envActions = new Float64Array(nEnvs * width);
    this.finalObs = new F(obsDim);
    this.lastObs = new F(nEnvs * obsDim);
    this.lastValues = new Float64Array(nEnvs);
  }
}
