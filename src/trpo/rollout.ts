/** Collecting one rollout: acting in the vector env and recording the transitions. */
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { isDiscrete, type Box, type Discrete } from '../envs/spaces.js';
import { GaussianMlpPolicy, type CategoricalMlpPolicy } from '../policies.js';
import type { Random } from '../random.js';
import * as v from '../validate.js';
import type { ValueFunction } from '../value-function.js';
import type { EpisodeWindow } from './episode-window.js';
import type { RolloutBuffer } from './rollout-buffer.js';

/** How the policy's actions map to the env's: Box samples clipped to the bounds, Discrete indices shifted by the space's start. */
export interface ActionLayout {
  discrete: boolean;
  /** Action entries per env in a flat action batch (Box size, or 1 for Discrete). */
  dim: number;
  /** The Discrete space's start (0 for Box). */
  start: number;
  /** The Box bounds (null for Discrete). */
  low: Float64Array | null;
  high: Float64Array | null;
}

export function actionLayoutOf(space: Box | Discrete): ActionLayout {
  return isDiscrete(space)
    ? { discrete: true, dim: 1, start: space.start, low: null, high: null }
    : { discrete: false, dim: space.size, start: 0, low: Float64Array.from(space.low), high: Float64Array.from(space.high) };
}

/** What a rollout uses of the model. */
export interface RolloutActor {
  policy: GaussianMlpPolicy | CategoricalMlpPolicy;
  valueFunction: ValueFunction;
  /** The generator of the sampling noise (advanced by the rollout). */
  rng: Random;
  actions: ActionLayout;
  obsDim: number;
  /** Receives every finished episode. */
  episodes: EpisodeWindow;
  /** gSDE: new exploration matrices every this many steps (-1: only at the rollout's start and at episode starts). */
  sdeSampleFreq?: number;
}

/**
 * One rollout of buf.nSteps steps of every env from the observations `obs`, into `buf`: for each
 * step the observations, the sampled actions, their log-probabilities, V(obs), the rewards and the
 * episode ends; V(final observation) for a time-limit truncation, and V of the observations after
 * the last step (buf.lastObs, buf.lastValues). Returns the observations after the last step and
 * the number of episodes finished.
 */
export async function collectRollout(env: VecEnv, buf: RolloutBuffer, obs: Float64Array, actor: RolloutActor): Promise<{ lastObs: Float64Array; episodes: number }> {
  const sync = env instanceof SyncVectorEnv ? env : null;
  const vcore = actor.valueFunction.core;
  const { discrete, dim: w, start, low, high } = actor.actions;
  const ne = buf.nEnvs;
  const od = actor.obsDim;
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
  let episodes = 0;
  for (let t = 0; t < buf.nSteps; t++) {
    const obsRow = buf.obsRows[t];
    obsRow.set(obs);
    if (sde && sampleFreq > 0 && t > 0 && t % sampleFreq === 0) sde.resetNoise(rng, ne);
    actor.policy.sampleInto(obsRow, { actions: acts, logProb: buf.logProbRows[t], values: buf.valueRows[t] }, { rng, noise, valueFunction: actor.valueFunction });
    const base = t * ne;
    if (discrete) {
      const ai = buf.actionsI!;
      for (let e = 0; e < ne; e++) {
        ai[base + e] = acts[e];
        envActs[e] = acts[e] + start;
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
        buf.finalObs.set(fo);
        vcore.forward(buf.finalObs, 1, buf.finalOut);
        buf.finalValues[i] = buf.finalOut[0];
        buf.hasFinal[i] = 1;
      }
    }
    obs = res.observations;
  }
  buf.lastObs.set(obs);
  vcore.forward(buf.lastObs, ne, buf.lastValues);
  return { lastObs: obs, episodes };
}
