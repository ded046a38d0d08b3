/**
 * Records one deterministic evaluation episode of a model for the report's canvas replay: the
 * env's physical state (getState().physics) at every step, the actions and rewards.
 */
import type { AnyEnv } from '../envs/env.js';
import { make } from '../envs/registry.js';
import { isDiscrete } from '../envs/spaces.js';
import { Wrapper } from '../envs/wrappers/wrapper.js';
import type { TRPO } from '../trpo/trpo.js';
import { normalizeObservations } from './normalize.js';
import type { ReplayData, ReplayKind } from './types.js';

/** Replay drawings by env id, with the env's time step (playback at real time). */
export const REPLAY_KINDS: Readonly<Record<string, { kind: ReplayKind; dt: number }>> = Object.freeze({
  'CartPole-v1': { kind: 'cartpole', dt: 0.02 },
  'Pendulum-v1': { kind: 'pendulum', dt: 0.05 },
  'Acrobot-v1': { kind: 'acrobot', dt: 0.2 },
  'MountainCar-v0': { kind: 'mountaincar', dt: 1 / 30 },
  'MountainCarContinuous-v0': { kind: 'mountaincar', dt: 1 / 30 },
  'PointMass1D-v0': { kind: 'pointmass', dt: 0.05 },
});

export interface RecordedEpisode {
  /** Null when the env has no replay drawing or no getState(). */
  replay: ReplayData | null;
  /** Raw (unnormalized) observations from reset to the last step. */
  observations: number[][];
}

function physicsOf(env: AnyEnv): number[] | null {
  const inner = env instanceof Wrapper ? env.unwrapped : env;
  const s = typeof inner.getState === 'function' ? (inner.getState() as { physics?: unknown }) : null;
  return s && Array.isArray(s.physics) ? (s.physics as number[]).slice() : null;
}

/** Run one deterministic episode of `model` on a fresh `make(envId)` reset with `seed`. */
export function recordEpisode(model: TRPO, envId: string, seed: number, maxSteps = 1000): RecordedEpisode {
  const env = make(envId);
  try {
    const norm = model.normalizationState();
    const discrete = isDiscrete(model.actionSpace);
    let { observation } = env.reset({ seed });
    const observations: number[][] = [Array.from(observation)];
    const states: number[][] = [];
    let physics = physicsOf(env);
    if (physics) states.push(physics);
    const actions: number[] = [];
    const rewards: number[] = [];
    let terminated = false;
    for (let t = 0; t < maxSteps; t++) {
      const a = model.predict(normalizeObservations(observation, norm), { deterministic: true });
      const r = env.step(discrete ? a[0] : Float64Array.from(a));
      actions.push(a[0]);
      rewards.push(r.reward);
      observation = r.observation;
      observations.push(Array.from(observation));
      physics = physicsOf(env);
      if (physics) states.push(physics);
      if (r.terminated || r.truncated) {
        terminated = r.terminated;
        break;
      }
    }
    const spec = REPLAY_KINDS[envId];
    const replay: ReplayData | null = spec && states.length === observations.length
      ? {
        kind: spec.kind, envId, dt: spec.dt, states, actions, rewards,
        episodeReturn: rewards.reduce((x, y) => x + y, 0), terminated, seed,
      }
      : null;
    return { replay, observations };
  } finally {
    env.close();
  }
}
