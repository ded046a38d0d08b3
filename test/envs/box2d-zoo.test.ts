/**
 * RL-Zoo's TRPO settings for the Box2D envs (hyperparams/trpo.yml: LunarLander-v3 and
 * LunarLanderContinuous-v3 tuned, BipedalWalker-v3 and BipedalWalkerHardcore-v3 on its
 * "mujoco-defaults" block), which `trpo train <id>`, makeZooModel and `npm run bench:learning` use.
 * The one change: LunarLanderContinuous-v3 trains for 200k steps, as RL-Zoo's published agent
 * (its config.yml says n_timesteps 200000) where the yml says 1e5.
 */
import { describe, expect, it } from 'vitest';
import { resolveHyperparams } from '../../src/cli/hyperparams.js';
import { makeZooModel, VecNormalize, zooHyperparams } from '../../src/index.js';

const NORMALIZE = { normObs: true, normReward: true };
const MUJOCO_DEFAULTS = {
  policy: 'MlpPolicy', nEnvs: 2, normalize: NORMALIZE,
  batchSize: 128, nSteps: 1024, gamma: 0.99, gaeLambda: 0.95, subSamplingFactor: 1, cgMaxSteps: 25, cgDamping: 0.1,
  nCriticUpdates: 20, learningRate: 1e-3,
};
/** trpo.yml's entries in camelCase (normalize: false where the yml has no normalize key). */
const YML: Record<string, Record<string, unknown>> = {
  'LunarLander-v3': {
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 200_000, normalize: false,
    nSteps: 512, cgDamping: 0.01, gaeLambda: 0.98, gamma: 0.99, learningRate: 1e-3, nCriticUpdates: 15,
  },
  'LunarLanderContinuous-v3': { policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 200_000, normalize: NORMALIZE, nSteps: 1024, nCriticUpdates: 20 },
  'BipedalWalker-v3': { ...MUJOCO_DEFAULTS, nTimesteps: 1_000_000 },
  'BipedalWalkerHardcore-v3': { ...MUJOCO_DEFAULTS, nTimesteps: 10_000_000 },
};

describe('zooHyperparams for the Box2D envs', () => {
  it('are RL-Zoo trpo.yml\'s entries, key for key (nothing added, nothing left out)', () => {
    for (const [id, want] of Object.entries(YML)) {
      const { note, ...h } = zooHyperparams[id];
      expect(h, id).toEqual(want);
      expect(note, id).toMatch(/trpo\.yml/);
    }
  });

  it('makeZooModel: LunarLander-v3 without normalization, LunarLanderContinuous-v3 and BipedalWalker-v3 in VecNormalize', async () => {
    expect(resolveHyperparams('LunarLander-v3', undefined)).toMatchObject({ source: 'zoo', nEnvs: 2, nTimesteps: 200_000 });
    for (const [id, normalized] of [['LunarLander-v3', false], ['LunarLanderContinuous-v3', true], ['BipedalWalker-v3', true]] as const) {
      const { model, env } = await makeZooModel(id, { seed: 1 });
      try {
        expect(env.numEnvs, id).toBe(2);
        expect(env instanceof VecNormalize, id).toBe(normalized);
        expect(model.normalized, id).toBe(normalized);
        expect(model.options, id).toMatchObject({ nSteps: YML[id].nSteps, nCriticUpdates: YML[id].nCriticUpdates, seed: 1 });
      } finally {
        await env.close();
      }
    }
  });
});
