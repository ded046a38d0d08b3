// The multi-categorical and Bernoulli policies learn through trpoStep alone: contextual bandits
// whose reward depends on a cue in the observation, so a cue-blind policy cannot solve them.
import { describe, expect, it } from 'vitest';
import { BernoulliMlpPolicy, MultiCategoricalMlpPolicy, Random, type AnyMlpPolicy } from '../src/index.js';

/** Rounds of: sample a batch, reward it, one TRPO step on the centred rewards. Returns the greedy reward. */
function train(policy: AnyMlpPolicy, batch: () => { obs: Float64Array; reward: (actions: Float64Array, i: number) => number }, rounds: number, asIndices: (a: Float64Array) => Int32Array): number {
  const rng = new Random(5);
  for (let r = 0; r < rounds; r++) {
    const { obs, reward } = batch();
    const n = obs.length / policy.obsDim;
    const { actions, logProb } = policy.sample(obs, { rng });
    const rewards = Float64Array.from({ length: n }, (_, i) => reward(actions, i));
    const mean = rewards.reduce((a, x) => a + x, 0) / n;
    const advantages = rewards.map((x) => x - mean);
    policy.trpoStep({ obs, actions: asIndices(actions), advantages, logProbOld: logProb }, { targetKl: 0.05 });
  }
  const { obs, reward } = batch();
  const n = obs.length / policy.obsDim;
  const { actions } = policy.sample(obs, { deterministic: true });
  let total = 0;
  for (let i = 0; i < n; i++) total += reward(actions, i);
  return total / n;
}

for (const backend of ['native', 'js'] as const) {
  describe(`${backend} backend: the new distributions learn`, () => {
    it('MultiDiscrete([3, 3]): each component must copy its cue (one-hot in the observation)', () => {
      const policy = new MultiCategoricalMlpPolicy({ obsDim: 6, nvec: [3, 3], hiddenSizes: [16], backend, seed: 1 });
      const rng = new Random(2);
      const batch = () => {
        const n = 256;
        const cues = Int32Array.from({ length: 2 * n }, () => rng.integer(3));
        const obs = new Float64Array(n * 6);
        for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) obs[i * 6 + c * 3 + cues[i * 2 + c]] = 1;
        return { obs, reward: (a: Float64Array, i: number) => Number(a[i * 2] === cues[i * 2]) + Number(a[i * 2 + 1] === cues[i * 2 + 1]) };
      };
      // A cue-blind policy gets 2/3 per step at best; the task's maximum is 2.
      expect(train(policy, batch, 60, (a) => Int32Array.from(a))).toBeGreaterThan(1.9);
    });

    it('MultiBinary(4): bit k must equal bit k of the observation', () => {
      const policy = new BernoulliMlpPolicy({ obsDim: 4, nBits: 4, hiddenSizes: [16], backend, seed: 1 });
      const rng = new Random(3);
      const batch = () => {
        const n = 256;
        const obs = Float64Array.from({ length: n * 4 }, () => rng.integer(2));
        return { obs, reward: (a: Float64Array, i: number) => { let s = 0; for (let k = 0; k < 4; k++) s += Number(a[i * 4 + k] === obs[i * 4 + k]); return s; } };
      };
      // A cue-blind policy gets 2 per step; the maximum is 4.
      expect(train(policy, batch, 60, (a) => Int32Array.from(a))).toBeGreaterThan(3.8);
    });
  });
}
