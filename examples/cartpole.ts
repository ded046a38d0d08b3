/**
 * Quick start: train CartPole-v1, save, reload and evaluate. The settings are RL-Zoo's with
 * sb3-contrib's default cgDamping 0.1 instead of the zoo's 1e-3 (5 of 5 seeds reach 500 at 100k
 * steps against 3 of 5; docs/hyperparameters.md, "Tuning TRPO").
 *   npx tsx examples/cartpole.ts            # 100k steps, about 2-3 s with the native backend
 *   TIMESTEPS=4096 npx tsx examples/cartpole.ts
 */
import { mkdirSync } from 'node:fs';
import { TRPO, evaluatePolicy, makeVecEnv } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 100_000);
const out = process.env.OUT_DIR ?? 'runs/cartpole';

const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 0 });
const model = new TRPO('MlpPolicy', env, {
  nSteps: 512, batchSize: 512, cgDamping: 0.1, gaeLambda: 0.98, nCriticUpdates: 20, seed: 0,
});
await model.learn({ totalTimesteps: timesteps });
mkdirSync(out, { recursive: true });
await model.save(`${out}/model.trpo.json`);

const evalEnv = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 100 });
const loaded = await TRPO.load(`${out}/model.trpo.json`, { env: evalEnv });
const { meanReward, stdReward } = await evaluatePolicy(loaded, evalEnv, { nEvalEpisodes: 10, deterministic: true });
console.log(`trained ${loaded.numTimesteps} steps; return ${meanReward.toFixed(1)} ± ${stdReward.toFixed(1)}`);
await Promise.all([env.close(), evalEnv.close()]);
