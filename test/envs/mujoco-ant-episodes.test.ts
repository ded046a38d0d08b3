/**
 * Ant-v5 against Gymnasium 1.3.0 + MuJoCo 3.14.0 over long episodes (test/fixtures/ant-v5-episodes.json,
 * recorded by scripts/record-ant-episodes.py): 1000-step episodes and episodes that end early,
 * under uniform, 3x out-of-range, bang-bang, trotting and zero actions, from Gymnasium's reset
 * states and from states written with `set_state` (upside down, thrown up, pressed into the floor,
 * tilted and spinning). Each recorded step starts from Gymnasium's state and step count; the step
 * must give the same 105 observation numbers (including the clipped cfrc_ext), reward, every
 * numeric info entry, terminated, truncated (the 1000-step limit) and next state, to 1e-9 relative.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make } from '../../src/index.js';
import { fixture, relDiff } from './mujoco-helpers.js';

interface AntStep {
  t: number;
  before: number[];
  action: number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number>;
  after: number[];
}
interface AntEpisode { name: string; n_steps: number; end: string; steps: AntStep[] }

const TOL = 1e-9;
const doc = fixture('ant-v5-episodes.json') as { episodes: AntEpisode[] };

/** The env state with the time-limit counter set to `elapsed` and the physics vector replaced. */
function withStepAndPhysics(state: unknown, elapsed: number, physics: number[]): unknown {
  const s = { ...(state as Record<string, unknown>) };
  if ('physics' in s) return { ...s, physics };
  const own = s.own as Record<string, unknown> | undefined;
  if (own && typeof own.elapsed === 'number') s.own = { ...own, elapsed };
  s.inner = withStepAndPhysics(s.inner, elapsed, physics);
  return s;
}

beforeAll(async () => {
  await loadMujoco();
});

describe('Ant-v5 replays long Gymnasium episodes step by step', () => {
  it('the fixture covers 1000-step episodes, terminations above and below the healthy range, and contact', () => {
    const all = doc.episodes.flatMap((e) => e.steps);
    expect(doc.episodes.filter((e) => e.n_steps === 1000 && e.end === 'truncated').length).toBeGreaterThanOrEqual(3);
    const ends = all.filter((s) => s.terminated).map((s) => s.after[3]); // qpos[2] after the step
    expect(ends.some((z) => z > 1.0)).toBe(true);
    expect(ends.some((z) => z < 0.2)).toBe(true);
    expect(all.some((s) => s.truncated)).toBe(true);
    // contact forces in the observation, saturated at the clip range
    expect(all.some((s) => s.obs.slice(27).some((v) => Math.abs(v) === 1))).toBe(true);
    expect(all.some((s) => s.action.some((a) => Math.abs(a) > 1))).toBe(true);
  });

  it.each(doc.episodes.map((e) => [e.name, e] as const))('%s', (_name, ep) => {
    const env = make('Ant-v5');
    try {
      env.reset({ seed: 0 });
      expect(env.observationSpace.size).toBe(105);
      for (const s of ep.steps) {
        env.setState(withStepAndPhysics(env.getState(), s.t, s.before) as never);
        const r = env.step(Float64Array.from(s.action));
        const where = `${ep.name} step ${s.t}`;
        const check = (what: string, got: number, want: number): void => {
          if (!(relDiff(got, want) <= TOL)) expect.fail(`${where} ${what}: got ${got}, expected ${want}`);
        };
        expect(r.observation.length, `${where} observation length`).toBe(105);
        s.obs.forEach((v, i) => check(`obs[${i}]`, r.observation[i], v));
        check('reward', r.reward, s.reward);
        expect(r.terminated, `${where} terminated`).toBe(s.terminated);
        expect(r.truncated, `${where} truncated`).toBe(s.truncated);
        for (const [key, want] of Object.entries(s.info)) check(`info.${key}`, Number(r.info[key]), want);
        const physics = (env.unwrapped as unknown as { getState(): { physics: number[] } }).getState().physics;
        expect(physics.length, `${where} state length`).toBe(s.after.length);
        s.after.forEach((v, i) => check(`state[${i}]`, physics[i], v));
      }
    } finally {
      env.close();
    }
  });
});
