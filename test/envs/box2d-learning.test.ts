import { describe, expect, it } from 'vitest';
import { evaluatePolicy, makeEvalEnv, makeZooModel } from '../../src/index.js';

describe('Box2D learning sanity check', () => {
  it('LunarLander-v3: 50k steps of TRPO with the zoo settings beat the untrained policy by 50', async () => {
    const { model, env } = await makeZooModel('LunarLander-v3', { seed: 0 });
    const evalBefore = await makeEvalEnv('LunarLander-v3', model, { seed: 100 });
    const before = await evaluatePolicy(model, evalBefore, { nEvalEpisodes: 10, deterministic: false });
    await model.learn({ totalTimesteps: 50_000 });
    const evalAfter = await makeEvalEnv('LunarLander-v3', model, { seed: 100 });
    const after = await evaluatePolicy(model, evalAfter, { nEvalEpisodes: 10, deterministic: true });
    await Promise.all([env.close(), evalBefore.close(), evalAfter.close()]);
    expect(before.meanReward).toBeLessThan(-100);
    expect(after.meanReward).toBeGreaterThan(before.meanReward + 50);
  }, 120_000);
});
