/**
 * InvertedPendulum-v5 rules the reference trajectory does not cover: the reset noise
 * (this package's generator), the pole-angle termination, the 1000-step limit, the options.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make } from '../../src/index.js';
import { inner, qposQvel, setQpos } from './mujoco-rules-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

describe('InvertedPendulum-v5', () => {
  it('resets to qpos0 and zero velocity plus U(±resetNoiseScale), the same for the same seed', () => {
    const env = make('InvertedPendulum-v5', { envOptions: { resetNoiseScale: 0.05 } });
    try {
      let maxAbs = 0;
      for (let seed = 0; seed < 100; seed++) {
        const { observation } = env.reset({ seed });
        expect(Array.from(observation)).toEqual([...qposQvel(env).qpos, ...qposQvel(env).qvel]);
        for (const v of observation) {
          expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
          maxAbs = Math.max(maxAbs, Math.abs(v));
        }
      }
      expect(maxAbs).toBeGreaterThan(0.045); // the noise fills the interval
      const a = env.reset({ seed: 7 }).observation;
      const b = env.reset({ seed: 7 }).observation;
      expect(Array.from(b)).toEqual(Array.from(a));
    } finally {
      env.close();
    }
    const quiet = make('InvertedPendulum-v5', { envOptions: { resetNoiseScale: 0 } });
    try {
      expect(Array.from(quiet.reset({ seed: 1 }).observation)).toEqual([0, 0, 0, 0]);
    } finally {
      quiet.close();
    }
  });

  it('pays 1 while |pole angle| <= 0.2 and terminates with reward 0 beyond', () => {
    const env = make('InvertedPendulum-v5');
    try {
      env.reset({ seed: 0 });
      setQpos(env, { 0: 0, 1: 0.1 }, { 0: 0, 1: 0 });
      let r = env.step(Float64Array.of(0));
      expect(Math.abs(r.observation[1])).toBeLessThanOrEqual(0.2);
      expect([r.reward, r.terminated, r.info.reward_survive]).toEqual([1, false, 1]);
      env.reset({ seed: 0 });
      setQpos(env, { 1: 0.3 }, { 1: 0 });
      r = env.step(Float64Array.of(0));
      expect(Math.abs(r.observation[1])).toBeGreaterThan(0.2);
      expect([r.reward, r.terminated, r.info.reward_survive]).toEqual([0, true, 0]);
    } finally {
      env.close();
    }
  });

  it('is truncated after 1000 steps (pole held upright by restoring the state)', () => {
    const env = make('InvertedPendulum-v5');
    try {
      env.reset({ seed: 0 });
      let last = env.step(Float64Array.of(0));
      for (let t = 1; t < 1000; t++) {
        expect(last.truncated).toBe(false);
        setQpos(env, { 0: 0, 1: 0 }, { 0: 0, 1: 0 });
        last = env.step(Float64Array.of(0));
      }
      expect(last.terminated).toBe(false);
      expect(last.truncated).toBe(true);
    } finally {
      env.close();
    }
  });

  it('has frame skip 2 (dt 0.04), action bounds ±3, and takes frameSkip as an option', () => {
    const env = make('InvertedPendulum-v5');
    const fast = make('InvertedPendulum-v5', { envOptions: { frameSkip: 1 } });
    try {
      expect(inner(env).dt).toBeCloseTo(0.04, 15);
      expect(Array.from(inner(env).actionSpace.low)).toEqual([-3]);
      expect(Array.from(inner(env).actionSpace.high)).toEqual([3]);
      expect(inner(fast).dt).toBeCloseTo(0.02, 15);
    } finally {
      env.close();
      fast.close();
    }
    expect(() => make('InvertedPendulum-v5', { envOptions: { reset_noise_scale: 0.1 } })).toThrow(/resetNoiseScale/);
  });
});
