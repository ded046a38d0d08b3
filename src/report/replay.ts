/**
 * Records one deterministic evaluation episode of a model for the report's canvas replay: the
 * env's physical state (getState().physics) at every step, or for MuJoCo envs every geom's pose
 * (mujoco-replay.ts), for Box2D envs every body's pose, engines or lidar (box2d-replay.ts), the
 * actions and rewards.
 */
import type { AnyEnv } from '../envs/env.js';
import { make, prepareEnv } from '../envs/registry.js';
import { isDiscrete } from '../envs/spaces.js';
import { Wrapper } from '../envs/wrappers/wrapper.js';
import type { TRPO } from '../trpo/trpo.js';
import { Box2DFrameRecorder, isBox2DReplay } from './box2d-replay.js';
import { GeomPoseRecorder, isMujocoReplay } from './mujoco-replay.js';
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

/** The replay episode of a run of seed s is reset with seed s + REPLAY_SEED_OFFSET. */
export const REPLAY_SEED_OFFSET = 10_000;

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

/**
 * Run one deterministic episode of `model` on a fresh `make(envId)` reset with `seed`. MuJoCo envs
 * need the engine loaded first (`await prepareEnv(envId)`; `recordEpisodeAsync` does it).
 */
export function recordEpisode(model: TRPO, envId: string, seed: number, maxSteps = 1000): RecordedEpisode {
  const env = make(envId);
  try {
    const norm = model.normalizationState();
    const discrete = isDiscrete(model.actionSpace);
    const poses = isMujocoReplay(envId) ? new GeomPoseRecorder(env, envId) : isBox2DReplay(envId) ? new Box2DFrameRecorder(env, envId) : null;
    let { observation } = env.reset({ seed });
    const observations: number[][] = [Array.from(observation)];
    const states: number[][] = [];
    poses?.capture();
    let physics = poses ? null : physicsOf(env);
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
      poses?.capture();
      physics = poses ? null : physicsOf(env);
      if (physics) states.push(physics);
      if (r.terminated || r.truncated) {
        terminated = r.terminated;
        break;
      }
    }
    if (poses instanceof Box2DFrameRecorder) {
      const replay: ReplayData = {
        kind: 'box2d', envId, dt: 1 / 50, states: poses.frames, actions, rewards,
        episodeReturn: rewards.reduce((x, y) => x + y, 0), terminated, seed, box2d: poses.scene,
      };
      return { replay, observations };
    }
    if (poses) {
      const dt = (env.unwrapped as { dt?: unknown }).dt;
      const replay: ReplayData = {
        kind: 'mujoco', envId, dt: typeof dt === 'number' && dt > 0 ? dt : 0.02, states: poses.frames, actions, rewards,
        episodeReturn: rewards.reduce((x, y) => x + y, 0), terminated, seed, scene: poses.scene,
      };
      return { replay, observations };
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

/** `recordEpisode` after the env's asynchronous preparation (loading the MuJoCo engine). */
export async function recordEpisodeAsync(model: TRPO, envId: string, seed: number, maxSteps = 1000): Promise<RecordedEpisode> {
  await prepareEnv(envId);
  return recordEpisode(model, envId, seed, maxSteps);
}
