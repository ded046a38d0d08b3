/**
 * Change one TRPO option of RL-Zoo's settings and compare: final deterministic return per seed,
 * the share of updates whose full step the line search accepted, mean backtracks, mean CG
 * iterations and the median accepted KL / targetKl. docs/hyperparameters.md quotes its output.
 *   npx tsx examples/ablate.ts CartPole-v1 cgDamping 0.001 0.1
 *   TIMESTEPS=2048 SEEDS=0 npx tsx examples/ablate.ts Pendulum-v1 targetKl 0.01 0.02
 */
import { evaluatePolicy, makeEvalEnv, makeZooModel, type TRPOOptions, type TRPOUpdateInfo } from 'trpo-node';

const [envId = 'CartPole-v1', option = 'cgDamping', ...values] = process.argv.slice(2);
const seeds = (process.env.SEEDS ?? '0,1,2,3,4').split(',').map(Number);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const value of values.length > 0 ? values : ['0.001', '0.1']) {
  const returns: number[] = [];
  const updates: TRPOUpdateInfo[] = [];
  let targetKl = 0.01;
  for (const seed of seeds) {
    const overrides = { [option]: Number(value) } as TRPOOptions;
    const { model, env, hyperparams } = await makeZooModel(envId, { seed, overrides });
    targetKl = overrides.targetKl ?? hyperparams.targetKl ?? 0.01;
    await model.learn({ totalTimesteps: Number(process.env.TIMESTEPS ?? hyperparams.nTimesteps), callback: (info) => { updates.push(info); } });
    const evalEnv = await makeEvalEnv(envId, model, { seed: 10_000 + seed }); // frozen VecNormalize statistics where the zoo normalizes
    returns.push((await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 10, deterministic: true })).meanReward);
    await Promise.all([env.close(), evalEnv.close()]);
  }
  const accepted = updates.filter((u) => u.accepted);
  console.log(JSON.stringify({
    envId, option, value: Number(value),
    returns: returns.map((r) => Math.round(r * 10) / 10),
    fullStepShare: updates.filter((u) => u.accepted && u.backtracks === 0).length / updates.length,
    meanBacktracks: updates.reduce((s, u) => s + u.backtracks, 0) / updates.length,
    meanCgIterations: updates.reduce((s, u) => s + u.cgIterations, 0) / updates.length,
    medianKlOverTarget: accepted.length > 0 ? median(accepted.map((u) => u.kl / targetKl)) : null,
  }));
}
