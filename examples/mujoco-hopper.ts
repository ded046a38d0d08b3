/**
 * A MuJoCo env on worker threads: Hopper-v5 with RL-Zoo's MuJoCo settings (2 envs x 1024 steps,
 * VecNormalize of observations and rewards), each env in its own worker with its own WASM engine.
 *   npx tsx examples/mujoco-hopper.ts       # 1M steps: minutes (HalfCheetah-v5: 55-315 s on a busy 2-vCPU VM)
 *   TIMESTEPS=2048 EVAL_EPISODES=2 npx tsx examples/mujoco-hopper.ts
 */
import { evaluatePolicy, makeEvalEnv, makeZooModel } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 1_000_000);
const evalEpisodes = Number(process.env.EVAL_EPISODES ?? 10);

const { model, env } = await makeZooModel('Hopper-v5', { seed: 0, workers: 2 });
await model.learn({
  totalTimesteps: timesteps,
  callback: (info) => console.log(`${info.timesteps} steps: return ${info.epReturnMean?.toFixed(1)}, ${info.fps.toFixed(0)} steps/s`),
});

// An eval env with the training statistics of the observations, frozen (VecNormalize, training: false).
const evalEnv = await makeEvalEnv('Hopper-v5', model, { seed: 1000 });
const { meanReward, episodeLengths } = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: evalEpisodes, deterministic: true });
console.log(`return ${meanReward.toFixed(1)} over ${episodeLengths.length} episodes`);
await Promise.all([env.close(), evalEnv.close()]);
