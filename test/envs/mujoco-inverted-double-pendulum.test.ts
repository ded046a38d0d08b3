/**
 * InvertedDoublePendulum-v5 rules the reference trajectory does not cover: the reset noise
 * (uniform on qpos, normal on qvel, this package's generator), the tip-height termination, the
 * observation layout and the healthyReward option.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make } from '../../src/index.js';
import { inner, meanStd, qposQvel, setQpos } from './mujoco-rules-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

describe('InvertedDoublePendulum-v5', () => {
  it('resets qpos to U(±resetNoiseScale) and qvel to resetNoiseScale·N(0, 1)', () => {
    const env = make('InvertedDoublePendulum-v5');
    try {
      const qpos: number[] = [];
      const qvel: number[] = [];
      for (let seed = 0; seed < 400; seed++) {
        env.reset({ seed });
        const s = qposQvel(env);
        qpos.push(...s.qpos);
        qvel.push(...s.qvel);
      }
      expect(Math.max(...qpos.map(Math.abs))).toBeLessThanOrEqual(0.1);
      // U(±0.1): std 0.1/√3 ≈ 0.0577; N(0, 0.1²): std 0.1 and values beyond 0.1 about a third of the time
      expect(meanStd(qpos).std).toBeGreaterThan(0.05);
      expect(meanStd(qpos).std).toBeLessThan(0.065);
      const v = meanStd(qvel);
      expect(Math.abs(v.mean)).toBeLessThan(0.015);
      expect(v.std).toBeGreaterThan(0.09);
      expect(v.std).toBeLessThan(0.11);
      expect(qvel.filter((x) => Math.abs(x) > 0.1).length / qvel.length).toBeGreaterThan(0.25);
    } finally {
      env.close();
    }
  });

  it('observes x, sin and cos of the hinge angles, clipped qvel and the clipped slider constraint force', () => {
    const env = make('InvertedDoublePendulum-v5');
    try {
      env.reset({ seed: 3 });
      setQpos(env, { 0: 0.2, 1: 0.3, 2: -0.4 }, { 0: 20, 1: -0.5, 2: -30 });
      const obs = inner(env).currentObservation();
      const { qpos, qvel } = qposQvel(env);
      expect(Array.from(obs.subarray(0, 8))).toEqual([qpos[0], Math.sin(qpos[1]), Math.sin(qpos[2]), Math.cos(qpos[1]), Math.cos(qpos[2]), 10, qvel[1], -10]);
      const r = env.step(Float64Array.of(1));
      const qfrc = inner(env).simulation.data('qfrc_constraint')[0];
      expect(r.observation[8]).toBe(Math.min(10, Math.max(-10, qfrc)));
    } finally {
      env.close();
    }
  });

  it('terminates with no alive bonus once the tip is at most 1 m high; healthyReward sets the bonus', () => {
    const env = make('InvertedDoublePendulum-v5', { envOptions: { healthyReward: 3 } });
    try {
      env.reset({ seed: 0 });
      setQpos(env, { 0: 0, 1: 0, 2: 0 }, { 0: 0, 1: 0, 2: 0 });
      let r = env.step(Float64Array.of(0));
      expect(r.terminated).toBe(false);
      expect(r.info.reward_survive).toBe(3);
      expect(r.reward).toBeCloseTo(3 + (r.info.distance_penalty as number) + (r.info.velocity_penalty as number), 12);
      env.reset({ seed: 0 });
      // first pole horizontal: the tip is at most at the cart's height
      setQpos(env, { 1: Math.PI / 2, 2: 0 }, { 1: 0, 2: 0 });
      r = env.step(Float64Array.of(0));
      const tipZ = inner(env).simulation.data('site_xpos')[2];
      expect(tipZ).toBeLessThanOrEqual(1);
      expect(r.terminated).toBe(true);
      expect(r.info.reward_survive).toBe(0);
    } finally {
      env.close();
    }
  });

  it('has frame skip 5 (dt 0.05) and action bounds ±1', () => {
    const env = make('InvertedDoublePendulum-v5');
    try {
      expect(inner(env).dt).toBeCloseTo(0.05, 15);
      expect(Array.from(inner(env).actionSpace.low)).toEqual([-1]);
    } finally {
      env.close();
    }
    expect(() => make('InvertedDoublePendulum-v5', { envOptions: { healthyRewards: 1 } })).toThrow(/healthyReward/);
  });
});
