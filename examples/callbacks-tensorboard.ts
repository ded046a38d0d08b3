/**
 * Callbacks and TensorBoard: evaluate every few thousand steps and keep the best model, write
 * checkpoints, stop at a reward threshold, log a custom value from your own callback, and write
 * TensorBoard event files (`tensorboard --logdir runs/tb`).
 *   npx tsx examples/callbacks-tensorboard.ts
 *   TIMESTEPS=4096 OUT_DIR=/tmp/cb npx tsx examples/callbacks-tensorboard.ts
 */
import { readdirSync } from 'node:fs';
import { BaseCallback, CheckpointCallback, EvalCallback, StopTrainingOnRewardThreshold, TRPO, makeVecEnv } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 100_000);
const out = process.env.OUT_DIR ?? 'runs';

/** Counts finished training episodes and logs them under custom/episodes at every update. */
class EpisodeCounter extends BaseCallback {
  episodes = 0;
  protected override onStep(): boolean {
    const dones = this.locals.dones as ArrayLike<number | boolean>;
    for (let i = 0; i < dones.length; i++) if (dones[i]) this.episodes++;
    return true; // false would stop training at once
  }
  protected override onRolloutEnd(): void {
    this.logger?.record('custom/episodes', this.episodes);
  }
}

const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 0 });
const evalEnv = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 100 });
const model = new TRPO('MlpPolicy', env, {
  nSteps: 512, batchSize: 512, cgDamping: 0.1, gaeLambda: 0.98, nCriticUpdates: 20, seed: 0,
  tensorboardLog: `${out}/tb`,
});
const evalCb = new EvalCallback(evalEnv, {
  evalFreq: 1024, // steps of each env: 2048 timesteps with 2 envs
  nEvalEpisodes: 5,
  bestModelSavePath: `${out}/cartpole`,
  logPath: `${out}/cartpole`,
  callbackOnNewBest: new StopTrainingOnRewardThreshold({ rewardThreshold: 475 }),
});
const checkpoints = new CheckpointCallback({ saveFreq: 1024, savePath: `${out}/cartpole/checkpoints` });
const counter = new EpisodeCounter();
await model.learn({ totalTimesteps: timesteps, callback: [evalCb, checkpoints, counter] });

const tbRun = readdirSync(`${out}/tb`).sort().at(-1)!;
console.log(JSON.stringify({
  timesteps: model.numTimesteps,
  episodes: counter.episodes,
  bestMeanReward: evalCb.bestMeanReward,
  evaluations: evalCb.evaluations.timesteps.length,
  checkpoints: readdirSync(`${out}/cartpole/checkpoints`).length,
  tensorboard: `${out}/tb/${tbRun}/${readdirSync(`${out}/tb/${tbRun}`)[0]}`,
}));
await Promise.all([env.close(), evalEnv.close()]);
