/**
 * Continuous actions: Pendulum-v1 with a diagonal Gaussian policy (RL-Zoo's settings from
 * `makeZooModel`), evaluated deterministically; `predict` gives actions inside the Box.
 *   npx tsx examples/pendulum.ts            # 100k steps (RL-Zoo's budget)
 *   TIMESTEPS=2048 npx tsx examples/pendulum.ts
 */
import { evaluatePolicy, makeVecEnv, makeZooModel } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 100_000);

const { model, env, hyperparams } = await makeZooModel('Pendulum-v1', { seed: 0 });
console.log(`settings: nSteps ${hyperparams.nSteps} x ${hyperparams.nEnvs} envs, gamma ${hyperparams.gamma} (${hyperparams.note})`);
await model.learn({
  totalTimesteps: timesteps,
  callback: (info) => {
    if (info.update % 10 === 0) console.log(`update ${info.update}: return ${info.epReturnMean?.toFixed(1)}, KL ${info.kl.toFixed(4)}, std ${info.policyStd?.toFixed(3)}`);
  },
});

const evalEnv = await makeVecEnv('Pendulum-v1', { nEnvs: 1, seed: 100 });
const { meanReward, stdReward } = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 10, deterministic: true });
const action = model.predict(Float64Array.of(1, 0, 0), { deterministic: true }); // upright, at rest
console.log(`torque at the top: ${action[0].toFixed(3)} (Box [-2, 2])`);
console.log(`return ${meanReward.toFixed(1)} ± ${stdReward.toFixed(1)}`);
await Promise.all([env.close(), evalEnv.close()]);
