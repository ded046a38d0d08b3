/**
 * Reacher-v5 rules the reference trajectory does not cover: the reset (arm noise, the goal drawn
 * in the disc of radius 0.2, velocities), the observation's fingertip-to-target vector, the reward
 * weights and the 50-step limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make } from '../../src/index.js';
import { inner, qposQvel } from './mujoco-rules-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

describe('Reacher-v5', () => {
  it('draws the goal inside the disc of radius 0.2 and the arm near qpos0, at rest up to U(±0.005)', () => {
    const env = make('Reacher-v5');
    try {
      let far = 0;
      const quadrants = new Set<string>();
      for (let seed = 0; seed < 500; seed++) {
        const { observation } = env.reset({ seed });
        const { qpos, qvel } = qposQvel(env);
        const [gx, gy] = [qpos[2], qpos[3]];
        expect(Math.hypot(gx, gy)).toBeLessThan(0.2);
        if (Math.hypot(gx, gy) > 0.17) far++;
        quadrants.add(`${Math.sign(gx)}${Math.sign(gy)}`);
        expect([observation[4], observation[5]]).toEqual([gx, gy]);
        for (const q of qpos.slice(0, 2)) expect(Math.abs(q)).toBeLessThanOrEqual(0.1);
        for (const v of qvel.slice(0, 2)) expect(Math.abs(v)).toBeLessThanOrEqual(0.005);
        expect(qvel.slice(2)).toEqual([0, 0]);
      }
      // uniform over the disc: the outer ring r in (0.17, 0.2) holds 1 - 0.85² ≈ 28% of the goals
      expect(far / 500).toBeGreaterThan(0.2);
      expect(far / 500).toBeLessThan(0.36);
      expect(quadrants.size).toBe(4);
    } finally {
      env.close();
    }
  });

  it('observes cos/sin of the joints and fingertip − target; the reward is −dist·w − Σa²·w', () => {
    const env = make('Reacher-v5', { envOptions: { rewardDistWeight: 2, rewardControlWeight: 0.5 } });
    try {
      env.reset({ seed: 11 });
      const r = env.step(Float64Array.of(0.4, -0.2));
      const sim = inner(env).simulation;
      const xpos = sim.data('xpos');
      const f = sim.bodyId('fingertip');
      const t = sim.bodyId('target');
      const d = [0, 1, 2].map((k) => xpos[3 * f + k] - xpos[3 * t + k]);
      const { qpos } = qposQvel(env);
      expect(Array.from(r.observation.subarray(0, 4))).toEqual([Math.cos(qpos[0]), Math.cos(qpos[1]), Math.sin(qpos[0]), Math.sin(qpos[1])]);
      expect([r.observation[8], r.observation[9]]).toEqual([d[0], d[1]]);
      expect(r.info.reward_dist).toBeCloseTo(-2 * Math.hypot(d[0], d[1], d[2]), 15);
      expect(r.info.reward_ctrl).toBeCloseTo(-0.5 * (0.16 + 0.04), 15);
      expect(r.reward).toBe((r.info.reward_dist as number) + (r.info.reward_ctrl as number));
      expect(r.terminated).toBe(false);
    } finally {
      env.close();
    }
  });

  it('never terminates and is truncated after 50 steps', () => {
    const env = make('Reacher-v5');
    try {
      env.reset({ seed: 0 });
      for (let t = 1; t <= 50; t++) {
        const r = env.step(Float64Array.of(1, -1));
        expect(r.terminated).toBe(false);
        expect(r.truncated).toBe(t === 50);
      }
      expect(inner(env).dt).toBeCloseTo(0.02, 15);
    } finally {
      env.close();
    }
    expect(() => make('Reacher-v5', { envOptions: { rewardCtrlWeight: 1 } })).toThrow(/unknown option "rewardCtrlWeight"/);
  });
});
