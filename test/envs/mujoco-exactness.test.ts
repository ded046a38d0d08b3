/**
 * Exactness: every MuJoCo env replays Gymnasium 1.3.0 + MuJoCo 3.14.0's reference trajectory step
 * by step (the fixture's `replay` protocol: setState with the recorded state, then step the
 * recorded action) and reproduces every observation, reward, terminated, truncated, numeric info
 * entry and the integration state (expected bit for bit; asserted to 1e-9 relative).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make, type BaseEnvState } from '../../src/index.js';
import { MUJOCO_CASES, caseReference, physicsAfter, physicsBefore, relDiff } from './mujoco-helpers.js';

const TOL = 1e-9;

beforeAll(async () => {
  await loadMujoco();
});

describe.each(MUJOCO_CASES)('$id replays the Gymnasium reference trajectory', (c) => {
  it('matches every recorded field step by step', () => {
    const ref = caseReference(c);
    const env = make(c.id);
    const inner = env.unwrapped as unknown as { setState(s: Partial<BaseEnvState>): void; getState(): BaseEnvState };
    let worst = 0;
    let exactSteps = 0;
    const check = (what: string, got: number, want: number): void => {
      const d = relDiff(got, want);
      worst = Math.max(worst, d);
      if (!(d <= TOL)) expect.fail(`${c.id} ${what}: got ${got}, expected ${want} (relative difference ${d})`);
    };
    try {
      for (const traj of ref.trajectories) {
        env.reset({ seed: traj.reset_seed });
        // The reset state itself comes from numpy's generator; check the reset observation from state0.
        inner.setState({ physics: physicsBefore(c, traj, 0) });
        expect(env.observationSpace.size).toBe(ref.obs_dim);
        for (let t = 0; t < traj.n_steps; t++) {
          inner.setState({ physics: physicsBefore(c, traj, t) });
          const r = env.step(Float64Array.from(traj.actions[t]));
          let bitExact = true;
          const cmp = (what: string, got: number, want: number): void => {
            if (!Object.is(got, want)) {
              bitExact = false;
              if (process.env.MUJOCO_DIFFS) console.log(`${c.id} step ${t} ${what}: ${got} vs ${want}`);
            }
            check(`step ${t} ${what}`, got, want);
          };
          traj.obs[t].forEach((v, i) => cmp(`obs[${i}]`, r.observation[i], v));
          cmp('reward', r.reward, traj.rewards[t]);
          expect(r.terminated, `${c.id} step ${t} terminated`).toBe(traj.terminated[t]);
          expect(r.truncated, `${c.id} step ${t} truncated`).toBe(traj.truncated[t]);
          for (const [key, column] of Object.entries(traj.info)) {
            const want = ([] as number[]).concat(column[t] as number | number[]);
            const got = ([] as unknown[]).concat(r.info[key] as number | number[]);
            expect(got.length, `${c.id} step ${t} info.${key}`).toBe(want.length);
            want.forEach((w, i) => cmp(`info.${key}[${i}]`, Number(got[i]), w));
          }
          const physics = inner.getState().physics;
          physicsAfter(c, traj, t).forEach((v, i) => cmp(`physics[${i}]`, physics[i], v));
          if (bitExact) exactSteps++;
        }
        expect(exactSteps).toBeGreaterThan(0);
      }
    } finally {
      env.close();
    }
    // Report how exact the replay was (bit for bit is expected).
    console.log(`${c.id}: ${exactSteps} of ${ref.trajectories.reduce((s, t) => s + t.n_steps, 0)} steps bit for bit, worst relative difference ${worst}`);
  });

  it('computes the reset observation and info of the recorded initial state', () => {
    const ref = caseReference(c);
    const env = make(c.id);
    try {
      for (const traj of ref.trajectories) {
        env.reset({ seed: traj.reset_seed });
        const inner = env.unwrapped as unknown as { setState(s: Partial<BaseEnvState>): void; currentObservation(): Float64Array };
        inner.setState({ physics: physicsBefore(c, traj, 0) });
        const obs = inner.currentObservation();
        traj.obs0.forEach((v, i) => expect(relDiff(obs[i], v), `obs0[${i}]`).toBeLessThanOrEqual(TOL));
      }
    } finally {
      env.close();
    }
  });
});
