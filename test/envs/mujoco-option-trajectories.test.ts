/**
 * Options mean what Gymnasium's constructor arguments mean: short Gymnasium 1.3.0 + MuJoCo 3.14.0
 * trajectories made with non-default arguments (frame skip, reward weights, health range,
 * observation parts, ...) are replayed with the same settings as camelCase envOptions (the replay
 * protocol of the reference trajectories; to 1e-9 relative, bit for bit expected).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make, type BaseEnvState } from '../../src/index.js';
import { fixture, relDiff, type MujocoEnvReference } from './mujoco-helpers.js';

interface OptionCase extends MujocoEnvReference {
  id: string;
  env_options: Record<string, unknown>;
  gym_kwargs: Record<string, unknown>;
}

const CASES = (fixture('mujoco-v5-option-trajectories.json') as { cases: OptionCase[] }).cases;
const TOL = 1e-9;

beforeAll(async () => {
  await loadMujoco();
});

describe.each(CASES.map((c) => ({ ...c, label: `${c.id} ${JSON.stringify(c.env_options)}` })))('$label', (c) => {
  it('replays the Gymnasium trajectory made with the same arguments', () => {
    const env = make(c.id, { envOptions: c.env_options });
    const inner = env.unwrapped as unknown as { setState(s: Partial<BaseEnvState>): void; getState(): BaseEnvState; currentObservation(): Float64Array };
    const traj = c.trajectories[0] as (typeof c.trajectories)[0] & { mass_center0?: number[]; mass_center?: number[][] };
    const derived = (t: number): number[] => (traj.mass_center0 ? (t === 0 ? traj.mass_center0 : traj.mass_center![t - 1]) : []);
    let exact = 0;
    try {
      expect(env.observationSpace.size).toBe(c.obs_dim);
      env.reset({ seed: 0 });
      inner.setState({ physics: [...traj.state0, ...derived(0)] });
      traj.obs0.forEach((v, i) => expect(relDiff(inner.currentObservation()[i], v), `obs0[${i}]`).toBeLessThanOrEqual(TOL));
      for (let t = 0; t < traj.n_steps; t++) {
        inner.setState({ physics: [...(t === 0 ? traj.state0 : traj.states[t - 1]), ...derived(t)] });
        const r = env.step(Float64Array.from(traj.actions[t]));
        let same = true;
        const cmp = (what: string, got: number, want: number): void => {
          if (!Object.is(got, want)) same = false;
          expect(relDiff(got, want), `step ${t} ${what}: ${got} vs ${want}`).toBeLessThanOrEqual(TOL);
        };
        traj.obs[t].forEach((v, i) => cmp(`obs[${i}]`, r.observation[i], v));
        cmp('reward', r.reward, traj.rewards[t]);
        expect(r.terminated, `step ${t} terminated`).toBe(traj.terminated[t]);
        for (const [key, column] of Object.entries(traj.info)) {
          const want = ([] as number[]).concat(column[t] as number | number[]);
          const got = ([] as number[]).concat(r.info[key] as number | number[]);
          expect(got.length, `step ${t} info.${key}`).toBe(want.length);
          want.forEach((w, i) => cmp(`info.${key}[${i}]`, got[i], w));
        }
        const physics = inner.getState().physics;
        traj.states[t].forEach((v, i) => cmp(`state[${i}]`, physics[i], v));
        if (same) exact++;
      }
    } finally {
      env.close();
    }
    expect(exact).toBeGreaterThan(0);
    console.log(`${c.id} ${JSON.stringify(c.gym_kwargs)}: ${exact} of ${traj.n_steps} steps bit for bit`);
  });
});
