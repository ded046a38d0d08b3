/**
 * The Ant-v5 zoo entry (src/trpo/zoo.ts): RL-Zoo's mujoco-defaults with log_std_init -1 (target_kl stays 0.01). The
 * model makeZooModel builds starts from policy std e^-1 in every action dimension, and its
 * stochastic actions have that spread (so the per-step control cost starts near 0.5 · 8 · E[clip(0.37 ε)²] ≈ 0.54, not ≈ 2.05).
 */
import { describe, expect, it } from 'vitest';
import { GaussianMlpPolicy, loadMujoco, makeZooModel, zooHyperparams } from '../src/index.js';

describe('zooHyperparams Ant-v5', () => {
  it('keeps the mujoco-defaults and starts the policy at std e^-1', async () => {
    expect(zooHyperparams['Ant-v5']).toMatchObject({ nEnvs: 2, nTimesteps: 1_000_000, nSteps: 1024, batchSize: 128, cgDamping: 0.1, policyKwargs: { logStdInit: -1 } });
    expect(zooHyperparams['Ant-v5'].targetKl).toBeUndefined();
    expect(zooHyperparams['Ant-v5'].note).toMatch(/with policy log_std_init -1:/);
    await loadMujoco();
    const { model, env } = await makeZooModel('Ant-v5', { seed: 0 });
    try {
      expect(model.options).toMatchObject({ targetKl: 0.01, klAverage: 'elements', policyKwargs: { logStdInit: -1 } });
      const policy = model.policy as GaussianMlpPolicy;
      expect(Array.from(policy.logStd)).toEqual(new Array(8).fill(-1));
      const obs = await env.reset();
      const n = 4000;
      const rows = new Float64Array(n * 105);
      for (let i = 0; i < n; i++) rows.set((obs as Float64Array).subarray(0, 105), i * 105);
      const mean = model.predict(rows.subarray(0, 105), { deterministic: true });
      const actions = model.predict(rows, { deterministic: false });
      let ss = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < 8; j++) ss += (actions[i * 8 + j] - mean[j]) ** 2;
      // sample std over 32000 draws: e^-1 = 0.368 within a few standard errors (clipping at ±1 is negligible here)
      expect(Math.sqrt(ss / (n * 8))).toBeGreaterThan(0.355);
      expect(Math.sqrt(ss / (n * 8))).toBeLessThan(0.381);
    } finally {
      await env.close();
    }
  });
});
