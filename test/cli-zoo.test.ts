/**
 * RL-Zoo's TRPO settings for the MuJoCo envs (zooHyperparams), which `trpo train <id>` and
 * makeZooModel use: every registered MuJoCo env has an entry with the "mujoco-defaults" block, the
 * per-env changes, and budgets of at most 1M steps where RL-Zoo has no entry.
 */
import { describe, expect, it } from 'vitest';
import { mujocoEnvIds } from '../src/cli/env-ids.js';
import { resolveHyperparams } from '../src/cli/hyperparams.js';
import { makeZooModel, VecNormalize, zooHyperparams } from '../src/index.js';

const MUJOCO_DEFAULTS = {
  policy: 'MlpPolicy', nEnvs: 2, normalize: { normObs: true, normReward: true },
  nSteps: 1024, batchSize: 128, gamma: 0.99, gaeLambda: 0.95, cgMaxSteps: 25, cgDamping: 0.1, nCriticUpdates: 20, learningRate: 1e-3,
};

describe('zooHyperparams for the MuJoCo envs', () => {
  const ids = mujocoEnvIds();

  it('covers every registered MuJoCo env with RL-Zoo\'s mujoco-defaults and its per-env changes', () => {
    expect(ids).toEqual(expect.arrayContaining(['Hopper-v5', 'HalfCheetah-v5', 'Walker2d-v5', 'Swimmer-v5', 'Ant-v5', 'Humanoid-v5',
      'InvertedPendulum-v5', 'InvertedDoublePendulum-v5', 'Reacher-v5', 'Pusher-v5']));
    const changes: Record<string, Record<string, number>> = {
      'HalfCheetah-v5': { targetKl: 0.04, nTimesteps: 1_000_000 },
      'Swimmer-v5': { gamma: 0.9999, nTimesteps: 1_000_000 },
      'Humanoid-v5': { nTimesteps: 2_000_000 },
      'Hopper-v5': { nTimesteps: 1_000_000 }, 'Walker2d-v5': { nTimesteps: 1_000_000 }, 'Ant-v5': { nTimesteps: 1_000_000 },
    };
    for (const id of ids) {
      const h = zooHyperparams[id];
      expect(h, id).toBeDefined();
      expect(h).toMatchObject({ ...MUJOCO_DEFAULTS, ...changes[id] });
      if (changes[id]?.targetKl === undefined) expect(h.targetKl, id).toBeUndefined(); // sb3-contrib's 0.01
      expect(h.nTimesteps, id).toBeLessThanOrEqual(id === 'Humanoid-v5' ? 2_000_000 : 1_000_000);
      expect(h.note.length, id).toBeGreaterThan(10);
    }
  });

  it('trpo train and makeZooModel pick them up (HalfCheetah-v5: targetKl 0.04, VecNormalize with gamma 0.99)', async () => {
    const h = resolveHyperparams('HalfCheetah-v5', undefined);
    expect(h).toMatchObject({ source: 'zoo', nEnvs: 2, nTimesteps: 1_000_000, normalize: { normObs: true, normReward: true } });
    expect(h.options).toMatchObject({ targetKl: 0.04, nSteps: 1024, cgMaxSteps: 25 });
    const { model, env } = await makeZooModel('Swimmer-v5', { seed: 3 });
    try {
      expect(model.options).toMatchObject({ gamma: 0.9999, nSteps: 1024, batchSize: 128, seed: 3 });
      expect(env).toBeInstanceOf(VecNormalize);
      expect(env.numEnvs).toBe(2);
      expect(model.normalized).toBe(true);
    } finally {
      await env.close();
    }
  });
});
