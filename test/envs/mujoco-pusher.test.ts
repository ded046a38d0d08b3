/**
 * Pusher-v5 rules the reference trajectory does not cover: the reset (arm at qpos0, the object
 * drawn in its box but farther than 0.17 from the goal at the origin, velocities), the
 * observation, the reward weights and Gymnasium's 100-step limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make } from '../../src/index.js';
import { inner, qposQvel } from './mujoco-rules-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

describe('Pusher-v5', () => {
  it('resets the arm to qpos0, the goal to (0, 0) and the object into its box, away from the goal', () => {
    const env = make('Pusher-v5');
    try {
      let nearMin = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      for (let seed = 0; seed < 500; seed++) {
        env.reset({ seed });
        const { qpos, qvel } = qposQvel(env);
        expect(qpos.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
        const [objY, objX, goalY, goalX] = qpos.slice(7);
        expect([goalY, goalX]).toEqual([0, 0]);
        expect(objY).toBeGreaterThanOrEqual(-0.3);
        expect(objY).toBeLessThanOrEqual(0);
        expect(Math.abs(objX)).toBeLessThanOrEqual(0.2);
        const d = Math.hypot(objY, objX);
        expect(d).toBeGreaterThan(0.17);
        nearMin = Math.min(nearMin, d);
        minY = Math.min(minY, objY);
        maxX = Math.max(maxX, objX);
        for (const v of qvel.slice(0, 7)) expect(Math.abs(v)).toBeLessThanOrEqual(0.005);
        expect(qvel.slice(7)).toEqual([0, 0, 0, 0]);
      }
      // the rejection boundary and the box edges are reached
      expect(nearMin).toBeLessThan(0.18);
      expect(minY).toBeLessThan(-0.29);
      expect(maxX).toBeGreaterThan(0.19);
    } finally {
      env.close();
    }
  });

  it('observes arm qpos/qvel and the tips, object and goal positions; reward = dist + ctrl + near', () => {
    const env = make('Pusher-v5', { envOptions: { rewardNearWeight: 2, rewardDistWeight: 3, rewardControlWeight: 0.25 } });
    try {
      env.reset({ seed: 5 });
      const a = Float64Array.of(1, -1, 0.5, 0, 2, -2, 0.1);
      const r = env.step(a);
      const sim = inner(env).simulation;
      const xpos = sim.data('xpos');
      const pos = (name: string): number[] => Array.from(xpos.subarray(3 * sim.bodyId(name), 3 * sim.bodyId(name) + 3));
      const { qpos, qvel } = qposQvel(env);
      expect(Array.from(r.observation)).toEqual([...qpos.slice(0, 7), ...qvel.slice(0, 7), ...pos('tips_arm'), ...pos('object'), ...pos('goal')]);
      const dist = (p: number[], q: number[]): number => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
      expect(r.info.reward_near).toBeCloseTo(-2 * dist(pos('object'), pos('tips_arm')), 14);
      expect(r.info.reward_dist).toBeCloseTo(-3 * dist(pos('object'), pos('goal')), 14);
      expect(r.info.reward_ctrl).toBeCloseTo(-0.25 * a.reduce((s, x) => s + x * x, 0), 14);
      expect(r.reward).toBe((r.info.reward_dist as number) + (r.info.reward_ctrl as number) + (r.info.reward_near as number));
    } finally {
      env.close();
    }
  });

  it('never terminates and is truncated after 100 steps; no gravity, frame skip 5', () => {
    const env = make('Pusher-v5');
    try {
      env.reset({ seed: 0 });
      for (let t = 1; t <= 100; t++) {
        const r = env.step(new Float64Array(7));
        expect(r.terminated).toBe(false);
        expect(r.truncated).toBe(t === 100);
      }
      expect(inner(env).dt).toBeCloseTo(0.05, 15);
      const opt = inner(env).simulation.mjModel.opt;
      expect(Array.from(opt.gravity as Float64Array)).toEqual([0, 0, 0]);
      opt.delete();
    } finally {
      env.close();
    }
  });
});
