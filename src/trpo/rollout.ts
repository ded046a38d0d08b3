/** Collecting one rollout: acting in the vector env and recording the transitions. */
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv, VecStepResult } from '../envs/vector/vec-env.js';
import { isBox, isDiscrete, isMultiBinary, isMultiDiscrete, type ActionSpace, type ObservationSpace } from '../envs/spaces.js';
import { flattenPacked, packedIsFlat, packedSize } from '../envs/flatten.js';
import { GaussianMlpPolicy, type AnyMlpPolicy } from '../policies.js';
import type { Random } from '../random.js';
import * as v from '../validate.js';
import type { ValueFunction } from '../value-function.js';
import type { EpisodeWindow } from './episode-window.js';
import type { RolloutBuffer } from './rollout-buffer.js';

/**
 * How the policy's actions map to the env's: Box samples clipped to the bounds; Discrete indices,
 * MultiDiscrete component indices and MultiBinary bits (the policy's 0-based integers) shifted by
 * the space's start per component.
 */
export interface ActionLayout {
  kind: 'box' | 'discrete' | 'multi-discrete' | 'multi-binary';
  /** Integer actions (every kind but Box): stored in the buffer's actionsI, sampled from uniform noise. */
  discrete: boolean;
  /** Action entries per env in a flat action batch (Box size, 1 for Discrete, nvec.length, MultiBinary n). */
  dim: number;
  /** The Discrete space's start (0 for the other kinds). */
  start: number;
  /** The start of each of the dim entries (all 0 for Box and MultiBinary). */
  starts: Float64Array;
  /** The Box bounds (null for the integer kinds). */
  low: Float64Array | null;
  high: Float64Array | null;
}

export function actionLayoutOf(space: ActionSpace): ActionLayout {
  if (isBox(space)) {
    return { kind: 'box', discrete: false, dim: space.size, start: 0, starts: new Float64Array(space.size), low: Float64Array.from(space.low), high: Float64Array.from(space.high) };
  }
  if (isDiscrete(space)) return { kind: 'discrete', discrete: true, dim: 1, start: space.start, starts: Float64Array.of(space.start), low: null, high: null };
  if (isMultiDiscrete(space)) return { kind: 'multi-discrete', discrete: true, dim: space.size, start: 0, starts: Float64Array.from(space.start), low: null, high: null };
  if (isMultiBinary(space)) return { kind: 'multi-binary', discrete: true, dim: space.size, start: 0, starts: new Float64Array(space.size), low: null, high: null };
  throw new TypeError(`unsupported action space ${String(space)}`);
}

/**
 * How the env's packed observations become the policy's input (see envs/flatten.ts): as they
 * are for Box (and MultiBinary) spaces, Discrete values one-hot and Dict keys concatenated in key
 * order otherwise.
 */
export interface ObservationLayout {
  space: ObservationSpace;
  /** Values per env in the env's observation batches (packed). */
  envDim: number;
  /** The policy's input size (flattened). */
  dim: number;
  /** The packed rows are the policy's input (no preprocessing, bit for bit). */
  identity: boolean;
}

export function observationLayoutOf(space: ObservationSpace, dim: number): ObservationLayout {
  return { space, envDim: packedSize(space), dim, identity: packedIsFlat(space) };
}

/** Write `rows` packed observations as policy inputs into `out` (a copy when the layout is the identity). */
export function preprocessObservations(layout: ObservationLayout, packed: ArrayLike<number>, rows: number, out: Float64Array | Float32Array): void {
  if (layout.identity) out.set(packed);
  else flattenPacked(layout.space, packed, rows, out, 'observations');
}

/** What a rollout uses of the model. */
export interface RolloutActor {
  /** The policy that acts. */
  policy: AnyMlpPolicy;
  /** The critic giving V(s) for GAE. */
  valueFunction: ValueFunction;
  /** The generator of the sampling noise (advanced by the rollout). */
  rng: Random;
  /** How sampled actions map to env actions (the trainer's; opaque to a RolloutSource). @internal */
  actions: ActionLayout;
  /** How packed env observations map to policy inputs (the trainer's; opaque to a RolloutSource). @internal */
  observations: ObservationLayout;
  /** Receives every finished episode. @internal */
  episodes: EpisodeWindow;
  /** gSDE: new exploration matrices every this many steps (-1: only at the rollout's start and at episode starts). */
  sdeSampleFreq?: number;
  /**
   * Called after every vector step (t: the step's index, the actions sent, the env's result);
   * false (or a Promise of false) stops the rollout there. Leave it out for the fast path.
   */
  onStep?: RolloutStepHook;
}

/** A per-step hook of a rollout (BaseCallback.onStep's path): false stops the rollout after this step. */
export type RolloutStepHook = (t: number, envActions: Float64Array, res: VecStepResult) => boolean | Promise<boolean>;

/** What a rollout returns: the observations to continue from, the episodes finished, and whether a step hook stopped it after `steps` steps. */
export interface RolloutResult {
  /** The observations after the last step (nEnvs packed rows), where the next rollout starts. */
  lastObs: Float64Array;
  /** Episodes finished during the rollout. */
  episodes: number;
  /** Whether a step hook stopped the rollout early (the buffer is then incomplete). */
  stopped: boolean;
  /** Vector steps taken (nSteps unless stopped). */
  steps: number;
}

/**
 * One rollout of buf.nSteps steps of every env from the observations `obs`, into `buf`: for each
 * step the observations, the sampled actions, their log-probabilities, V(obs), the rewards and the
 * episode ends; V(final observation) for a time-limit truncation, and V of the observations after
 * the last step (buf.lastObs, buf.lastValues). Returns the observations after the last step and
 * the number of episodes finished. When `actor.onStep` returns false the rollout stops after that
 * step (the buffer is then incomplete and must not be trained on).
 */
export async function collectRollout(env: VecEnv, buf: RolloutBuffer, obs: Float64Array, actor: RolloutActor): Promise<RolloutResult> {
  const sync = env instanceof SyncVectorEnv ? env : null;
  const vcore = actor.valueFunction.core;
  const { kind, discrete, dim: w, starts, low, high } = actor.actions;
  const obsLayout = actor.observations;
  const ne = buf.nEnvs;
  const od = obsLayout.envDim;
  const rng = actor.rng;
  const sde = actor.policy instanceof GaussianMlpPolicy && actor.policy.useSde ? actor.policy : null;
  const noiseSize = ne * actor.policy.core.noiseDim;
  const noise = buf.noise.length === noiseSize ? buf.noise : new Float64Array(noiseSize);
  const sampleFreq = actor.sdeSampleFreq ?? -1;
  // gSDE (as SB3): one exploration matrix per env, drawn at the start of the rollout and every
  // sdeSampleFreq steps; here also when an env starts a new episode.
  if (sde) sde.resetNoise(rng, ne);
  const acts = buf.sampleActions;
  const envActs = buf.envActions;
  const onStep = actor.onStep;
  let episodes = 0;
  for (let t = 0; t < buf.nSteps; t++) {
    const obsRow = buf.obsRows[t];
    preprocessObservations(obsLayout, obs, ne, obsRow);
    if (sde && sampleFreq > 0 && t > 0 && t % sampleFreq === 0) sde.resetNoise(rng, ne);
    actor.policy.sampleInto(obsRow, { actions: acts, logProb: buf.logProbRows[t], values: buf.valueRows[t] }, { rng, noise, valueFunction: actor.valueFunction });
    const base = t * ne;
    if (kind === 'discrete') {
      const ai = buf.actionsI!;
      const start = starts[0];
      for (let e = 0; e < ne; e++) {
        ai[base + e] = acts[e];
        envActs[e] = acts[e] + start;
      }
    } else if (discrete) {
      // MultiDiscrete / MultiBinary: w integers per env.
      const ai = buf.actionsI!;
      for (let k = 0; k < acts.length; k++) {
        ai[base * w + k] = acts[k];
        envActs[k] = acts[k] + starts[k % w];
      }
    } else {
      // The buffer keeps the unclipped sample (its log-probability is the policy's); the env gets it clipped.
      buf.actionsF!.set(acts, base * w);
      const lo = low!;
      const hi = high!;
      for (let k = 0; k < acts.length; k++) {
        const j = k % w;
        const a = acts[k];
        envActs[k] = a < lo[j] ? lo[j] : a > hi[j] ? hi[j] : a;
      }
    }
    const res = sync ? sync.stepSync(envActs) : await env.step(envActs);
    if (!(res.observations instanceof Float64Array) || res.observations.length !== ne * od || res.rewards.length !== ne) {
      throw new TypeError(`env.step returned ${v.describe(res.observations)} observations and ${v.describe(res.rewards)} rewards; expected ${ne} x ${od} and ${ne}`);
    }
    for (let e = 0; e < ne; e++) {
      const i = base + e;
      buf.rewards[i] = res.rewards[e];
      const term = res.terminated[e] ? 1 : 0;
      const trunc = res.truncated[e] ? 1 : 0;
      buf.terminated[i] = term;
      buf.truncated[i] = trunc;
      buf.hasFinal[i] = 0;
      if (!term && !trunc) continue;
      if (sde) sde.resetNoiseAt(rng, e);
      const info = res.infos[e];
      if (info?.episode) {
        actor.episodes.add(info.episode.r, info.episode.l);
        episodes++;
      }
      if (trunc && !term) {
        // Bootstrap a time-limit cut from V(final observation), as SB3 does.
        const fo = info?.finalObservation;
        if (!fo || fo.length !== od) {
          throw new TypeError(`env ${e} was truncated without infos[${e}].finalObservation (${od} values), needed to bootstrap the value`);
        }
        preprocessObservations(obsLayout, fo, 1, buf.finalObs);
        vcore.forward(buf.finalObs, 1, buf.finalOut);
        buf.finalValues[i] = buf.finalOut[0];
        buf.hasFinal[i] = 1;
      }
    }
    obs = res.observations;
    if (onStep) {
      const r = onStep(t, envActs, res);
      if (r === false || (r !== true && (await r) === false)) return { lastObs: obs, episodes, stopped: true, steps: t + 1 };
    }
  }
  preprocessObservations(obsLayout, obs, ne, buf.lastObs);
  vcore.forward(buf.lastObs, ne, buf.lastValues);
  return { lastObs: obs, episodes, stopped: false, steps: buf.nSteps };
}
