/** SB3's callbacks on the TRPO trainer: hooks and counters, EvalCallback, checkpoints, the stop callbacks. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BaseCallback, Box, CheckpointCallback, Discrete, EvalCallback, EveryNTimesteps, StopTrainingOnMaxEpisodes,
  StopTrainingOnNoModelImprovement, StopTrainingOnRewardThreshold, TRPO, VecNormalize, configureLogger, makeVecEnv,
  type Env, type ResetResult, type StepResult, type TRPOUpdateInfo, type VecEnv,
} from '../src/index.js';
import { withoutTimes } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-callbacks-'));

/** Reward 1 per step, every episode exactly 4 steps (terminated), whatever the actions: evaluations always give 4. */
class FourStepEnv implements Env<number, Float64Array> {
  readonly id = 'FourStep-v0';
  readonly observationSpace = new Box(-10, 10, [2]);
  readonly actionSpace = new Discrete(2);
  private t = 0;
  reset(): ResetResult<Float64Array> {
    this.t = 0;
    return { observation: Float64Array.of(0, 1), info: {} };
  }
  step(action: number): StepResult<Float64Array> {
    this.t++;
    return { observation: Float64Array.of(this.t, action), reward: 1, terminated: this.t === 4, truncated: false, info: {} };
  }
  close(): void {}
}

const fourStep = (nEnvs: number): Promise<VecEnv> => makeVecEnv(() => new FourStepEnv(), { nEnvs });
const small = { nSteps: 32, batchSize: 32, nCriticUpdates: 2, seed: 3 };

/** Records the hooks in order. */
class Recorder extends BaseCallback {
  readonly events: string[] = [];
  readonly stepTimesteps: number[] = [];
  protected override onTrainingStart(): void { this.events.push(`start:${String(this.locals.totalTimesteps)}`); }
  protected override onRolloutStart(): void { this.events.push('rollout'); }
  protected override onStep(): boolean {
    this.stepTimesteps.push(this.numTimesteps);
    expect(this.locals.dones).toBeInstanceOf(Uint8Array);
    return true;
  }
  protected override onRolloutEnd(): void { this.events.push(`end:${this.model!.numUpdates}`); }
  protected override onTrainingEnd(): void { this.events.push('done'); }
}

describe('BaseCallback hooks', () => {
  it('calls onTrainingStart, onRolloutStart, onStep per vector step, onRolloutEnd (before the update), onTrainingEnd; counters as SB3', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const model = new TRPO('MlpPolicy', env, small);
    const rec = new Recorder();
    const seen: number[] = [];
    await model.learn({ totalTimesteps: 128, callback: [rec, new EveryNTimesteps(50, new (class extends BaseCallback {
      protected override onStep(): boolean { seen.push(this.numTimesteps); return true; }
    })())] });
    expect(rec.events).toEqual(['start:128', 'rollout', 'end:0', 'rollout', 'end:1', 'done']);
    expect(rec.nCalls).toBe(64); // vector steps: 2 rollouts x 32
    expect(rec.stepTimesteps).toEqual(Array.from({ length: 64 }, (_, i) => 2 * (i + 1)));
    expect(seen).toEqual([50, 100]);
  });

  it('training with callbacks is the same, bit for bit, as without', async () => {
    const a = new TRPO('MlpPolicy', await makeVecEnv('CartPole-v1', { nEnvs: 2 }), small);
    const b = new TRPO('MlpPolicy', await makeVecEnv('CartPole-v1', { nEnvs: 2 }), small);
    await a.learn({ totalTimesteps: 192 });
    await b.learn({ totalTimesteps: 192, callback: new CheckpointCallback({ saveFreq: 20, savePath: join(dir, 'same') }) });
    expect(b.policy.getParameters()).toEqual(a.policy.getParameters());
    expect(b.valueFunction.getParameters()).toEqual(a.valueFunction.getParameters());
  });

  it('onStep returning false stops training at once: no update on the partial rollout, the steps taken count', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const model = new TRPO('MlpPolicy', env, small);
    const before = model.policy.getParameters();
    await model.learn({ totalTimesteps: 1000, callback: new (class extends BaseCallback {
      protected override onStep(): boolean { return this.nCalls < 10; }
    })() });
    expect(model.numTimesteps).toBe(20);
    expect(model.numUpdates).toBe(0);
    expect(model.policy.getParameters()).toEqual(before);
  });

  it('rejects a callback that is neither a function nor BaseCallbacks', async () => {
    const model = new TRPO('MlpPolicy', await fourStep(1), small);
    await expect(model.learn({ totalTimesteps: 10, callback: {} as never })).rejects.toThrow(/options\.callback: expected a function, a BaseCallback/);
    expect(() => new CheckpointCallback({ saveFreq: 0, savePath: dir })).toThrow(/saveFreq: expected a positive integer/);
    expect(() => new EvalCallback(null as never)).toThrow(/EvalCallback: env: expected a VecEnv/);
  });
});

describe('EvalCallback', () => {
  it('saves best_model when the mean improves; the file loads and predicts exactly as the model did; logs eval/* and evaluations.json', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 1 });
    const evalEnv = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 50 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 64, batchSize: 64, cgDamping: 1e-3, nCriticUpdates: 5, seed: 0 });
    const probe = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i) * 0.5);
    const bests: { predict: Float64Array; updates: number; reward: number }[] = [];
    const onBest = new (class extends BaseCallback {
      protected override onStep(): boolean {
        bests.push({ predict: this.model!.predict(probe, { deterministic: true }), updates: this.model!.numUpdates, reward: (this.parent as EvalCallback).bestMeanReward });
        return true;
      }
    })();
    const savePath = join(dir, 'eval');
    const cb = new EvalCallback(evalEnv, { evalFreq: 64, nEvalEpisodes: 3, bestModelSavePath: savePath, logPath: savePath, callbackOnNewBest: onBest, verbose: 0 });
    const logDir = join(dir, 'eval-log');
    await model.learn({ totalTimesteps: 6 * 128, callback: cb, logger: configureLogger(logDir, ['csv']) });

    expect(cb.evaluations.timesteps).toEqual([128, 256, 384, 512, 640, 768]);
    expect(bests.length).toBeGreaterThanOrEqual(2); // CartPole improves from the initial policy
    for (let i = 1; i < bests.length; i++) expect(bests[i].reward).toBeGreaterThan(bests[i - 1].reward);
    const last = bests[bests.length - 1];
    expect(cb.bestMeanReward).toBe(last.reward);
    const loaded = await TRPO.load(cb.bestModelPath!);
    // the evaluation ran at the end of a rollout, with the policy of the last complete update
    expect(loaded.numUpdates).toBe(last.updates);
    expect(loaded.predict(probe, { deterministic: true })).toEqual(last.predict);

    const evaluations = JSON.parse(readFileSync(join(savePath, 'evaluations.json'), 'utf8')) as { timesteps: number[]; results: number[][] };
    expect(evaluations.timesteps).toEqual(cb.evaluations.timesteps);
    expect(evaluations.results.every((r) => r.length === 3)).toBe(true);
    // SB3's evaluations.npz, read back with numpy where python3 has it
    const npz = spawnSync('python3', ['-c', 'import numpy as np, json, sys\nd = np.load(sys.argv[1])\nprint(json.dumps({k: [str(d[k].dtype), d[k].tolist()] for k in d.files}))', join(savePath, 'evaluations.npz')], { encoding: 'utf8' });
    if (npz.status === 0) {
      expect(JSON.parse(npz.stdout)).toEqual({
        timesteps: ['int64', cb.evaluations.timesteps], results: ['float64', cb.evaluations.results], ep_lengths: ['int64', cb.evaluations.epLengths],
      });
    } else {
      console.warn(`callbacks.test.ts: evaluations.npz not checked with numpy: ${npz.error?.message ?? npz.stderr.trim().split('\n').pop()}`);
    }
    const csv = readFileSync(join(logDir, 'progress.csv'), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const col = header.indexOf('eval/mean_reward');
    expect(col).toBeGreaterThanOrEqual(0);
    expect(header).toContain('eval/mean_ep_length');
    const evalRows = csv.slice(1).map((l) => l.split(',')[col]).filter((c) => c !== '').map(Number);
    expect(evalRows).toEqual(cb.evaluations.results.map((r) => r.reduce((a, b) => a + b, 0) / r.length));
  });

  it('copies the training VecNormalize statistics into a frozen VecNormalize on the eval env before each evaluation', async () => {
    const env = await makeVecEnv('Acrobot-v1', { nEnvs: 2, normalize: { normObs: true, normReward: true } });
    const trainingVn = env as VecNormalize;
    const checks: { same: boolean; frozen: boolean }[] = [];
    let evalVn: VecNormalize | null = null;
    const after = new (class extends BaseCallback {
      protected override onStep(): boolean {
        const cbEnv = (this.parent as EvalCallback).evalEnv as VecNormalize;
        evalVn = cbEnv;
        const a = trainingVn.getState();
        const b = cbEnv.getState();
        checks.push({ same: JSON.stringify([a.obsRms, a.retRms, a.clipObs, a.epsilon]) === JSON.stringify([b.obsRms, b.retRms, b.clipObs, b.epsilon]), frozen: !cbEnv.training });
        return true;
      }
    })();
    // the eval env is plain: EvalCallback wraps it in a frozen VecNormalize
    const plainEval = await makeVecEnv('Acrobot-v1', { nEnvs: 1, seed: 9 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 32, batchSize: 64, nCriticUpdates: 2, seed: 1 });
    const cb = new EvalCallback(plainEval, { evalFreq: 40, nEvalEpisodes: 1, callbackAfterEval: after, verbose: 0 });
    await model.learn({ totalTimesteps: 3 * 64, callback: cb });
    expect(checks).toEqual([{ same: true, frozen: true }, { same: true, frozen: true }]);
    expect(evalVn).toBeInstanceOf(VecNormalize);
    expect(evalVn!.venv).toBe(plainEval);
    // the statistics moved on with training after the last sync, the eval copy did not
    expect(trainingVn.obsRms.count).toBeGreaterThan(evalVn!.obsRms.count);

    // a VecNormalize eval env that was left in training mode is frozen and synced
    const vnEval = new VecNormalize(await makeVecEnv('Acrobot-v1', { nEnvs: 1 }), { training: true });
    const cb2 = new EvalCallback(vnEval, { evalFreq: 32, nEvalEpisodes: 1, verbose: 0 });
    await model.learn({ totalTimesteps: 64, callback: cb2, resetNumTimesteps: false });
    expect(cb2.evalEnv).toBe(vnEval);
    expect(vnEval.training).toBe(false);
    expect(vnEval.obsRms.count).toBeGreaterThan(1);
  });
});

describe('stop-training callbacks', () => {
  it('StopTrainingOnRewardThreshold stops at the first evaluation whose best mean reaches the threshold', async () => {
    const run = async (rewardThreshold: number): Promise<{ model: TRPO; cb: EvalCallback }> => {
      const model = new TRPO('MlpPolicy', await fourStep(2), small);
      const cb = new EvalCallback(await fourStep(1), { evalFreq: 10, nEvalEpisodes: 2, callbackOnNewBest: new StopTrainingOnRewardThreshold({ rewardThreshold }), verbose: 0 });
      await model.learn({ totalTimesteps: 320, callback: cb });
      return { model, cb };
    };
    const stopped = await run(4);
    expect(stopped.cb.evaluations.timesteps).toEqual([20]);
    expect(stopped.model.numTimesteps).toBe(20);
    const kept = await run(4.5);
    expect(kept.model.numTimesteps).toBe(320);
    expect(kept.cb.evaluations.timesteps).toHaveLength(16);
  });

  it('StopTrainingOnNoModelImprovement stops after more than maxNoImprovementEvals evaluations without a new best (after minEvals)', async () => {
    const run = async (maxNoImprovementEvals: number, minEvals: number): Promise<number> => {
      const model = new TRPO('MlpPolicy', await fourStep(2), small);
      const stop = new StopTrainingOnNoModelImprovement({ maxNoImprovementEvals, minEvals });
      const cb = new EvalCallback(await fourStep(1), { evalFreq: 10, nEvalEpisodes: 1, callbackAfterEval: stop, verbose: 0 });
      await model.learn({ totalTimesteps: 640, callback: cb });
      expect(model.numTimesteps).toBe(cb.evaluations.timesteps.at(-1));
      return cb.evaluations.timesteps.length;
    };
    // every evaluation gives 4: the first is a new best, none after it
    expect(await run(1, 0)).toBe(3);
    expect(await run(0, 0)).toBe(2);
    expect(await run(1, 3)).toBe(5);
  });

  it('StopTrainingOnMaxEpisodes stops after maxEpisodes episodes per env', async () => {
    const model = new TRPO('MlpPolicy', await fourStep(2), small);
    const stop = new StopTrainingOnMaxEpisodes({ maxEpisodes: 3 });
    await model.learn({ totalTimesteps: 1000, callback: stop });
    // both envs end an episode every 4 steps: 6 episodes after 12 vector steps
    expect(stop.nEpisodes).toBe(6);
    expect(model.numTimesteps).toBe(24);
    expect(model.numUpdates).toBe(0);
  });

  it('the stop callbacks name what they need', async () => {
    expect(() => new StopTrainingOnRewardThreshold({ rewardThreshold: Number.NaN })).toThrow(/rewardThreshold/);
    expect(() => new StopTrainingOnNoModelImprovement({ maxNoImprovementEvals: -1 })).toThrow(/maxNoImprovementEvals: expected a non-negative integer/);
    const model = new TRPO('MlpPolicy', await fourStep(1), small);
    await expect(model.learn({ totalTimesteps: 64, callback: [new EveryNTimesteps(5, new StopTrainingOnRewardThreshold({ rewardThreshold: 1 }))] }))
      .rejects.toThrow(/must be used inside an EvalCallback/);
  });
});

describe('CheckpointCallback', () => {
  it('saves every saveFreq calls; a checkpoint taken mid-rollout loads and resumes exactly like the uninterrupted run', async () => {
    const make = async (): Promise<TRPO> => new TRPO('MlpPolicy', await makeVecEnv('Acrobot-v1', { nEnvs: 2, normalize: { normObs: true, normReward: true } }), { ...small, batchSize: 64 });
    const savePath = join(dir, 'ckpt');
    const straight = await make();
    const infos: TRPOUpdateInfo[] = [];
    const ckpt = new CheckpointCallback({ saveFreq: 48, savePath, namePrefix: 'acro' });
    await straight.learn({ totalTimesteps: 5 * 64, callback: [ckpt], logger: { log: (i) => void infos.push(i) } });
    // calls 48, 96, 144: numTimesteps 96, 192, 288
    expect(ckpt.saved).toEqual([96, 192, 288].map((n) => join(savePath, `acro_${n}_steps.trpo.json`)));
    expect(ckpt.saved.every((p) => existsSync(p))).toBe(true);

    // call 48 is step 16 of the second rollout: the file holds the model after update 1
    const resumed = await TRPO.load(ckpt.saved[0], { env: await makeVecEnv('Acrobot-v1', { nEnvs: 2, normalize: { normObs: true, normReward: true } }) });
    expect(resumed.numUpdates).toBe(1);
    expect(resumed.numTimesteps).toBe(64);
    const infos2: TRPOUpdateInfo[] = [];
    await resumed.learn({ totalTimesteps: 4 * 64, resetNumTimesteps: false, callback: (i) => void infos2.push(i) });
    expect(infos2.map(withoutTimes)).toEqual(infos.slice(1).map(withoutTimes));
    expect(resumed.policy.getParameters()).toEqual(straight.policy.getParameters());
    expect(resumed.valueFunction.getOptimizerState()).toEqual(straight.valueFunction.getOptimizerState());
    expect(resumed.normalizationState()).toEqual(straight.normalizationState());
  });
});

describe('callback and logger argument errors', () => {
  it('EvalCallback refuses an eval env of other spaces; Logger.record names the key', async () => {
    const model = new TRPO('MlpPolicy', await makeVecEnv('CartPole-v1'), small);
    const cb = new EvalCallback(await makeVecEnv('Pendulum-v1'), { evalFreq: 5, verbose: 0 });
    await expect(model.learn({ totalTimesteps: 64, callback: cb })).rejects.toThrow(/EvalCallback: the eval env's spaces .* do not match the model's/);
    const logger = configureLogger(null, ['stdout']);
    expect(() => logger.record('train/x', {} as never)).toThrow(/Logger\.record\("train\/x"\): value: expected a number, boolean or string/);
    expect(() => configureLogger(null, ['csv'])).toThrow(/configureLogger: folder: expected a directory path/);
  });
});
