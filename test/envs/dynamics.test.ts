import { describe, expect, it } from 'vitest';
import { make, type BaseEnv, type Env } from '../../src/envs/index.js';
import { loadReference, maxAbsDiff, type Trajectory } from './helpers.js';

const ref = loadReference();

/** The reference file's documented action formulas. */
function referenceAction(env: Env, t: number): number | Float64Array {
  const space = env.actionSpace as { kind: string; n?: number; low?: Float64Array; high?: Float64Array };
  if (space.kind === 'discrete') return Math.floor((t * t + 3 * t) / 5) % space.n!;
  const k = (37 * t) % 101;
  const lo = space.low![0];
  const hi = space.high![0];
  return Float64Array.of(1.2 * (lo + (hi - lo) * (k / 100)));
}

/** Observation agreement at float32 precision: within one float32 ulp of the reference. */
function expectObsClose(actual: ArrayLike<number>, expected: number[], where: string): void {
  expect(actual.length, where).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = Math.max(Math.abs(expected[i]) * 2 ** -23, 1e-30);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${where}: obs[${i}] = ${actual[i]}, reference ${expected[i]}`);
    }
  }
}

/** A recorded action as this library's action type (Box actions are recorded as scalars). */
function toAction(env: Env, a: number | number[]): number | Float64Array {
  if (env.actionSpace.kind === 'discrete') return a as number;
  return typeof a === 'number' ? Float64Array.of(a) : Float64Array.from(a);
}

function setup(id: string, traj: Trajectory): { env: Env; base: BaseEnv<number | Float64Array> } {
  const env = make(id);
  env.reset({ seed: traj.reset_seed });
  const base = (env as unknown as { unwrapped: BaseEnv<number | Float64Array> }).unwrapped;
  base.setState({ physics: traj.set_state });
  expect(Array.from(base.getState().physics)).toEqual(traj.state0);
  expectObsClose(base.currentObservation(), traj.obs0, `${id} obs0`);
  return { env, base };
}

const STATE_TOL = 1e-9;

describe('dynamics match Gymnasium 1.x reference trajectories', () => {
  for (const [id, spec] of Object.entries(ref.envs)) {
    const freeRunning = id !== 'Acrobot-v1';
    it(`${id}: ${freeRunning ? 'free-running' : 'step by step from the recorded previous state'}`, () => {
      for (const traj of spec.trajectories) {
        const { env, base } = setup(id, traj);
        let maxStateErr = 0;
        for (let t = 0; t < traj.n_steps; t++) {
          const action = referenceAction(env, t);
          // The documented formula regenerates the recorded action.
          expect(action).toEqual(toAction(env, traj.actions[t]));
          if (!freeRunning) base.setState({ physics: t === 0 ? traj.set_state : traj.states[t - 1] });
          const r = env.step(toAction(env, traj.actions[t]));
          const where = `${id} step ${t}`;
          const err = maxAbsDiff(base.getState().physics, traj.states[t]);
          maxStateErr = Math.max(maxStateErr, err);
          if (!(err <= STATE_TOL)) throw new Error(`${where}: state ${base.getState().physics} vs reference ${traj.states[t]} (error ${err})`);
          expectObsClose(r.observation, traj.obs[t], where);
          expect(Math.abs(r.reward - traj.rewards[t]), `${where} reward`).toBeLessThanOrEqual(1e-9);
          expect(r.terminated, `${where} terminated`).toBe(traj.terminated[t]);
          expect(r.truncated, `${where} truncated`).toBe(traj.truncated[t]);
        }
        // Report the achieved accuracy in the test name-space (fails loudly above).
        expect(maxStateErr).toBeLessThanOrEqual(STATE_TOL);
        const last = traj.n_steps - 1;
        if (traj.end === 'terminated') expect(traj.terminated[last]).toBe(true);
        if (traj.end === 'truncated') expect(traj.truncated[last]).toBe(true);
      }
    });
  }

  it('Acrobot-v1 free-running stays within 1e-9 for the first 150 steps', () => {
    const traj = ref.envs['Acrobot-v1'].trajectories[0];
    const { env, base } = setup('Acrobot-v1', traj);
    for (let t = 0; t < 150; t++) {
      env.step(toAction(env, traj.actions[t]));
      expect(maxAbsDiff(base.getState().physics, traj.states[t]), `step ${t}`).toBeLessThanOrEqual(1e-9);
    }
  });

  it('MountainCarContinuous-v0 keeps float32 states after each step', () => {
    const traj = ref.envs['MountainCarContinuous-v0'].trajectories[0];
    const { env, base } = setup('MountainCarContinuous-v0', traj);
    for (let t = 0; t < 20; t++) {
      env.step(toAction(env, traj.actions[t]));
      const s = base.getState().physics;
      expect(s.map(Math.fround)).toEqual(s);
      expect(s).toEqual(traj.states[t]);
    }
  });
});
