import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TRPO, evaluatePolicy, makeEvalEnv, makeVecEnv, makeZooModel, zooHyperparams, zooTrpoOptions,
  type TRPOOptions, type TRPOUpdateInfo, type VecEnv, type VecNormalizeOptions,
} from '../src/index.js';
import { withoutTimes } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-test-'));

describe('TRPO learning smoke test', () => {
  it('CartPole-v1 (zoo settings, seeded) reaches a mean deterministic return >= 195 within 50k steps', async () => {
    const { model, env } = await makeZooModel('CartPole-v1', { seed: 3 });
    expect(model.options.nSteps * env.numEnvs).toBe(1024);
    await model.learn({ totalTimesteps: 48 * 1024 });
    expect(model.numTimesteps).toBe(49_152);
    const evalEnv = await makeEvalEnv('CartPole-v1', model, { seed: 100 });
    const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, deterministic: true });
    expect(r.episodeRewards).toHaveLength(20);
    expect(r.meanReward).toBeGreaterThanOrEqual(195);
  });
});

interface RunSpec {
  envId: string;
  nEnvs: number;
  normalize?: VecNormalizeOptions;
  options: TRPOOptions;
}

const SPECS: RunSpec[] = [
  { envId: 'CartPole-v1', nEnvs: 2, options: { nSteps: 64, batchSize: 32, nCriticUpdates: 3 } },
  { envId: 'Pendulum-v1', nEnvs: 2, options: { nSteps: 64, batchSize: 64, gamma: 0.9, nCriticUpdates: 3 } },
  { envId: 'Acrobot-v1', nEnvs: 2, normalize: { normObs: true, normReward: true }, options: { nSteps: 64, batchSize: 64, nCriticUpdates: 3 } },
  // A MuJoCo env: resume restores the engine state (mjSTATE_INTEGRATION + derived) exactly.
  { envId: 'Hopper-v5', nEnvs: 2, normalize: { normObs: true, normReward: true }, options: { nSteps: 64, batchSize: 64, nCriticUpdates: 3 } },
  // gSDE (matrices redrawn every 4 steps and at episode starts), ReLU, PyTorch's init, the newer trainer options
  {
    envId: 'Pendulum-v1', nEnvs: 2,
    options: {
      nSteps: 64, batchSize: 64, gamma: 0.9, nCriticUpdates: 3, useSde: true, sdeSampleFreq: 4, cgTol: 1e-12, maxGradNorm: 0.5,
      policyKwargs: { activationFn: 'relu', orthoInit: false, logStdInit: -2, learnFeatures: true },
    },
  },
];

async function makeRun(spec: RunSpec, seed: number, extra: TRPOOptions = {}): Promise<{ model: TRPO; env: VecEnv }> {
  const env = await makeVecEnv(spec.envId, { nEnvs: spec.nEnvs, normalize: spec.normalize ?? false });
  return { model: new TRPO('MlpPolicy', env, { ...spec.options, ...extra, seed }), env };
}

async function train(model: TRPO, updates: number, resetNumTimesteps = true): Promise<TRPOUpdateInfo[]> {
  const infos: TRPOUpdateInfo[] = [];
  const perUpdate = model.options.nSteps * model.env!.numEnvs;
  await model.learn({ totalTimesteps: updates * perUpdate, resetNumTimesteps, callback: (i) => void infos.push(i) });
  return infos;
}

describe('TRPO determinism and exact resume', () => {
  for (const spec of SPECS) {
    it(`${spec.envId}: the same seed gives the same learning curve and parameters, bit for bit`, async () => {
      const a = await makeRun(spec, 11);
      const b = await makeRun(spec, 11);
      const c = await makeRun(spec, 12);
      const ia = await train(a.model, 3);
      const ib = await train(b.model, 3);
      await train(c.model, 3);
      expect(ib.map(withoutTimes)).toEqual(ia.map(withoutTimes));
      expect(b.model.policy.getParameters()).toEqual(a.model.policy.getParameters());
      expect(b.model.valueFunction.getParameters()).toEqual(a.model.valueFunction.getParameters());
      expect(c.model.policy.getParameters()).not.toEqual(a.model.policy.getParameters());
      expect(a.model.numTimesteps).toBe(3 * spec.options.nSteps! * spec.nEnvs);
    });

    it(`${spec.envId}: train 2 updates, save, load into a fresh env, train 2 more == 4 updates straight`, async () => {
      const straight = await makeRun(spec, 5);
      const infosStraight = await train(straight.model, 4);

      const first = await makeRun(spec, 5);
      const infos1 = await train(first.model, 2);
      const path = join(dir, `resume-${spec.envId}.json`);
      await first.model.save(path);
      const freshEnv = await makeVecEnv(spec.envId, { nEnvs: spec.nEnvs, normalize: spec.normalize ?? false });
      const loaded = await TRPO.load(path, { env: freshEnv });
      expect(loaded.numTimesteps).toBe(first.model.numTimesteps);
      const infos2 = await train(loaded, 2, false);

      expect([...infos1, ...infos2].map(withoutTimes)).toEqual(infosStraight.map(withoutTimes));
      expect(loaded.policy.getParameters()).toEqual(straight.model.policy.getParameters());
      expect(loaded.valueFunction.getParameters()).toEqual(straight.model.valueFunction.getParameters());
      expect(loaded.valueFunction.getOptimizerState()).toEqual(straight.model.valueFunction.getOptimizerState());
      expect(loaded.normalizationState()).toEqual(straight.model.normalizationState());
      expect(loaded.numTimesteps).toBe(straight.model.numTimesteps);

      // In-process continuation is exact too.
      const cont = await makeRun(spec, 5);
      await train(cont.model, 1);
      await train(cont.model, 3, false);
      expect(cont.model.policy.getParameters()).toEqual(straight.model.policy.getParameters());
    });
  }
});

describe('TRPO save / load', () => {
  it('a loaded model predicts exactly as the saved one (deterministic and stochastic, Discrete and Box)', async () => {
    for (const spec of [SPECS[0], SPECS[1]]) {
      const { model, env } = await makeRun(spec, 21);
      await train(model, 1);
      const path = join(dir, `predict-${spec.envId}.json`);
      await model.save(path);
      const loaded = await TRPO.load(path);
      expect(loaded.env).toBeNull();
      const obs = await env.reset({ seed: 99 });
      const batch = new Float64Array(6 * model.obsDim);
      for (let i = 0; i < batch.length; i++) batch[i] = obs[i % obs.length] * (1 + (i % 5) / 10);
      expect(loaded.predict(batch, { deterministic: true })).toEqual(model.predict(batch, { deterministic: true }));
      for (let k = 0; k < 3; k++) expect(loaded.predict(batch)).toEqual(model.predict(batch));
      const a = model.predict(batch);
      expect(a).toHaveLength(6 * model.actDim);
      if (spec.envId === 'Pendulum-v1') expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(2);
      else expect(a.every((x) => x === 0 || x === 1)).toBe(true);
      expect(loaded.options).toEqual(model.options);
      expect(loaded.seed).toBe(model.seed);
    }
  });

  it('writes atomically: no temporary file is left, an existing file is replaced whole', async () => {
    const d = mkdtempSync(join(tmpdir(), 'trpo-atomic-'));
    const { model } = await makeRun(SPECS[0], 1);
    const path = join(d, 'm.json');
    await model.save(path);
    await train(model, 1);
    await model.save(path);
    expect(readdirSync(d)).toEqual(['m.json']);
    expect((await TRPO.load(path)).policy.getParameters()).toEqual(model.policy.getParameters());
    await expect(model.save(join(d, 'no-such-dir', 'm.json'))).rejects.toThrow(/ENOENT/);
    expect(readdirSync(d)).toEqual(['m.json']);
  });

  it('a model trained with VecNormalize is evaluated on a frozen VecNormalize with its statistics', async () => {
    const spec = SPECS[2];
    const { model } = await makeRun(spec, 2);
    await train(model, 1);
    const path = join(dir, 'norm.json');
    await model.save(path);
    const loaded = await TRPO.load(path);
    expect(loaded.normalized).toBe(true);
    expect(loaded.normalizationState()).toEqual(model.normalizationState());
    const evalEnv = await makeEvalEnv('Acrobot-v1', loaded, { seed: 3 });
    const r = await evaluatePolicy(loaded, evalEnv, { nEvalEpisodes: 2 });
    expect(r.episodeRewards).toHaveLength(2);
    expect(r.meanReward).toBeGreaterThanOrEqual(-500);
    expect(r.meanReward).toBeLessThanOrEqual(0);
  });
});

describe('zooHyperparams', () => {
  it('has the RL-Zoo settings in this package\'s option names, which TRPO accepts', async () => {
    expect(zooHyperparams['CartPole-v1']).toMatchObject({
      nEnvs: 2, nTimesteps: 100_000, nSteps: 512, batchSize: 512, cgDamping: 1e-3, gaeLambda: 0.98, gamma: 0.99,
      learningRate: 1e-3, nCriticUpdates: 20, normalize: false,
    });
    expect(zooHyperparams['MountainCar-v0']).toMatchObject({ nEnvs: 2, nSteps: 1024, nCriticUpdates: 20, normalize: { normObs: true, normReward: true } });
    for (const [id, h] of Object.entries(zooHyperparams)) {
      const env = await makeVecEnv(id, { nEnvs: h.nEnvs });
      expect(() => new TRPO('MlpPolicy', env, zooTrpoOptions(h))).not.toThrow();
    }
  });
});

describe('TRPO with gSDE', () => {
  it('PointMass1D-v0 (the seed notebook settings plus useSde) reaches the target return > -60', async () => {
    const env = await makeVecEnv('PointMass1D-v0', { nEnvs: 1, seed: 0, normalize: { normObs: false, normReward: true } });
    const model = new TRPO('MlpPolicy', env, { nSteps: 1024, gamma: 0.99, targetKl: 0.01, seed: 0, useSde: true, sdeSampleFreq: 4, policyKwargs: { logStdInit: -2 } });
    await model.learn({ totalTimesteps: 25 * 1024 });
    const evalEnv = await makeEvalEnv('PointMass1D-v0', model, { seed: 100 });
    const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, deterministic: true });
    expect(r.meanReward).toBeGreaterThan(-60);
  });

  it('rejects gSDE options that do not apply, naming them', async () => {
    const cartpole = await makeVecEnv('CartPole-v1', { nEnvs: 1 });
    expect(() => new TRPO('MlpPolicy', cartpole, { useSde: true })).toThrow(/^TRPO: options\.useSde applies to Box action spaces/);
    const pendulum = await makeVecEnv('Pendulum-v1', { nEnvs: 1 });
    expect(() => new TRPO('MlpPolicy', pendulum, { useSde: true, sdeSampleFreq: 0 })).toThrow(/^TRPO: options\.sdeSampleFreq: expected a positive integer or -1/);
    expect(() => new TRPO('MlpPolicy', pendulum, { policyKwargs: { fullStd: false } })).toThrow(/^TRPO: options\.policyKwargs\.fullStd: only used with useSde: true/);
    expect(() => new TRPO('MlpPolicy', pendulum, { policyKwargs: { activationFn: 'gelu' as never } })).toThrow(TypeError);
    expect(() => new TRPO('MlpPolicy', pendulum, { policyKwargs: { activationFn: 'gelu' as never } })).toThrow(/^TRPO: options\.policyKwargs\.activationFn: unknown activation/);
    expect(() => new TRPO('MlpPolicy', pendulum, { cgTol: -1 })).toThrow(/^TRPO: options\.cgTol/);
    expect(() => new TRPO('MlpPolicy', pendulum, { maxGradNorm: NaN })).toThrow(/^TRPO: options\.maxGradNorm/);
    const m = new TRPO('MlpPolicy', pendulum, { useSde: true, policyKwargs: { activationFn: 'relu', learnFeatures: true } });
    expect(m.policy.activationFn).toBe('relu');
    expect(m.valueFunction.activationFn).toBe('relu');
    expect((m.policy as { useSde?: boolean }).useSde).toBe(true);
  });
});

describe('TRPO learningRate schedules', () => {
  const spec: RunSpec = { envId: 'Pendulum-v1', nEnvs: 2, options: { nSteps: 64, batchSize: 64, gamma: 0.9, nCriticUpdates: 3 } };

  it('calls a schedule once per update with SB3\'s remaining progress; a constant schedule equals the number', async () => {
    const calls: number[] = [];
    const scheduled = await makeRun(spec, 4, { learningRate: (p) => { calls.push(p); return 1e-3; } });
    const constant = await makeRun(spec, 4, { learningRate: 1e-3 });
    const a = await train(scheduled.model, 4);
    const b = await train(constant.model, 4);
    expect(calls).toEqual([0.75, 0.5, 0.25, 0]);
    expect(a.map(withoutTimes)).toEqual(b.map(withoutTimes));
    expect(scheduled.model.valueFunction.getParameters()).toEqual(constant.model.valueFunction.getParameters());
    await expect(scheduled.model.save(join(dir, 'fn.json'))).rejects.toThrow(/^TRPO\.save: options\.learningRate is a function/);
  });

  it("'linear:1e-3' is initial * progressRemaining, is saved with the model and resumes exactly", async () => {
    const linear = await makeRun(spec, 6, { learningRate: 'linear:1e-3' });
    const fn = await makeRun(spec, 6, { learningRate: (p) => 1e-3 * p });
    const other = await makeRun(spec, 6);
    const a = await train(linear.model, 3);
    const b = await train(fn.model, 3);
    const c = await train(other.model, 3);
    expect(a.map(withoutTimes)).toEqual(b.map(withoutTimes));
    expect(a.map(withoutTimes)).not.toEqual(c.map(withoutTimes));
    const path = join(dir, 'linear.json');
    await linear.model.save(path);
    const loaded = await TRPO.load(path, { env: await makeVecEnv(spec.envId, { nEnvs: spec.nEnvs }) });
    expect(loaded.options.learningRate).toBe('linear:1e-3');
    expect(() => new TRPO('MlpPolicy', linear.env, { learningRate: 'linear:-1' as never })).toThrow(/^TRPO: options\.learningRate: expected a positive number, a function/);
    expect(() => new TRPO('MlpPolicy', linear.env, { learningRate: 'cosine:1' as never })).toThrow(RangeError);
  });
});
