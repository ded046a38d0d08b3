import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError, TRPO, evaluatePolicy, makeVecEnv, type TRPOOptions, type VecEnv } from '../src/index.js';
import { serializeModel } from '../src/trpo/serialize.js';
import { FlakyEnv, flaky } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-err-'));

/** A VecEnv that records whether it was reset or stepped. */
async function spyEnv(id = 'CartPole-v1'): Promise<{ env: VecEnv; calls: string[] }> {
  const env = await makeVecEnv(id, { nEnvs: 2 });
  const calls: string[] = [];
  const reset = env.reset.bind(env);
  const step = env.step.bind(env);
  env.reset = (a) => (calls.push('reset'), reset(a));
  env.step = (a) => (calls.push('step'), step(a));
  return { env, calls };
}

describe('TRPO: invalid hyperparameters are named before any training starts', () => {
  const cases: [TRPOOptions | Record<string, unknown>, typeof RangeError | typeof TypeError, RegExp][] = [
    [{ learningRate: 0 }, RangeError, /options\.learningRate: expected a number in \(0, Infinity\)/],
    [{ learningRate: '1e-3' }, RangeError, /options\.learningRate/],
    [{ nSteps: 0 }, RangeError, /options\.nSteps: expected a positive integer, got number 0/],
    [{ nSteps: 2.5 }, RangeError, /options\.nSteps/],
    [{ batchSize: -4 }, RangeError, /options\.batchSize/],
    [{ gamma: 1.5 }, RangeError, /options\.gamma: expected a number in \[0, 1\]/],
    [{ gamma: Number.NaN }, RangeError, /options\.gamma/],
    [{ cgMaxSteps: 0 }, RangeError, /options\.cgMaxSteps/],
    [{ cgDamping: -0.1 }, RangeError, /options\.cgDamping/],
    [{ lineSearchShrinkingFactor: 1 }, RangeError, /options\.lineSearchShrinkingFactor: expected a number in \(0, 1\)/],
    [{ lineSearchShrinkingFactor: 0 }, RangeError, /options\.lineSearchShrinkingFactor/],
    [{ lineSearchMaxIter: 0 }, RangeError, /options\.lineSearchMaxIter/],
    [{ nCriticUpdates: 0 }, RangeError, /options\.nCriticUpdates/],
    [{ gaeLambda: -0.1 }, RangeError, /options\.gaeLambda/],
    [{ normalizeAdvantage: 'yes' }, TypeError, /options\.normalizeAdvantage: expected a boolean/],
    [{ targetKl: 0 }, RangeError, /options\.targetKl/],
    [{ subSamplingFactor: 0 }, RangeError, /options\.subSamplingFactor/],
    [{ entCoef: Number.POSITIVE_INFINITY }, RangeError, /options\.entCoef/],
    [{ statsWindowSize: 0 }, RangeError, /options\.statsWindowSize/],
    [{ policyKwargs: { netArch: [64, 0] } }, RangeError, /options\.policyKwargs\.netArch\[1\]/],
    [{ policyKwargs: { netArch: 'big' } }, TypeError, /options\.policyKwargs\.netArch/],
    [{ policyKwargs: { netArch: { pi: [32], qf: [32] } } }, RangeError, /unknown key 'qf'/],
    [{ policyKwargs: { squashOutput: true } }, RangeError, /policyKwargs: unknown option 'squashOutput'/],
    [{ policyKwargs: { activationFn: 'gelu' } }, TypeError, /options\.policyKwargs\.activationFn: unknown activation the string "gelu"/],
    [{ policyKwargs: { orthoInit: 'no' } }, TypeError, /options\.policyKwargs\.orthoInit: expected a boolean/],
    [{ policyKwargs: { learnFeatures: true } }, RangeError, /options\.policyKwargs\.learnFeatures: only used with useSde: true/],
    [{ sdeSampleFreq: 1.5 }, RangeError, /options\.sdeSampleFreq/],
    [{ useSde: 'yes' }, TypeError, /options\.useSde: expected a boolean/],
    [{ cgTol: -1 }, RangeError, /options\.cgTol/],
    [{ seed: -1 }, TypeError, /options\.seed: expected a non-negative integer/],
    [{ seed: 1.5 }, TypeError, /options\.seed/],
    [{ backend: 'gpu' }, RangeError, /options\.backend/],
    [{ dtype: 'float16' }, RangeError, /options\.dtype/],
    [{ nStep: 64 }, RangeError, /unknown option 'nStep'/],
    [{ n_steps: 64 }, RangeError, /unknown option 'n_steps' \(did you mean 'nSteps'\?\)/],
    [{ target_kl: 0.02 }, RangeError, /did you mean 'targetKl'/],
  ];
  it.each(cases)('%j', async (options, ErrorClass, message) => {
    const { env, calls } = await spyEnv();
    let error: unknown;
    try {
      new TRPO('MlpPolicy', env, options as TRPOOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as Error).message).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('nSteps x nEnvs must exceed 1 to normalize advantages', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 1 });
    expect(() => new TRPO('MlpPolicy', env, { nSteps: 1 })).toThrow(/options\.nSteps: nSteps x nEnvs must be > 1/);
    expect(() => new TRPO('MlpPolicy', env, { nSteps: 1, normalizeAdvantage: false })).not.toThrow();
  });

  it('invalid learn options are rejected before the env is touched', async () => {
    const { env, calls } = await spyEnv();
    const model = new TRPO('MlpPolicy', env, { nSteps: 8, seed: 1 });
    await expect(model.learn({ totalTimesteps: -5 })).rejects.toThrow(/options\.totalTimesteps: expected a non-negative integer/);
    await expect(model.learn({ totalTimesteps: 1.5 })).rejects.toThrow(RangeError);
    await expect(model.learn({ totalTimesteps: 10, callback: 5 as never })).rejects.toThrow(/options\.callback: expected a function/);
    await expect(model.learn({ totalTimesteps: 10, progressBar: 'yes' as never })).rejects.toThrow(/options\.progressBar/);
    await expect(model.learn({ totalTimesteps: 10, logger: 7 as never })).rejects.toThrow(/options\.logger/);
    await expect(model.learn({ totalTimesteps: 10, totalTimestep: 5 } as never)).rejects.toThrow(/unknown option 'totalTimestep'/);
    expect(calls).toEqual([]);
    expect(model.numTimesteps).toBe(0);
  });
});

describe('TRPO: mismatched env and policy', () => {
  it('rejects an unknown policy, a non-VecEnv env and a Box-only option on a Discrete env', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 1 });
    expect(() => new TRPO('CnnPolicy' as 'MlpPolicy', env)).toThrow(/policy: expected 'MlpPolicy'/);
    expect(() => new TRPO('MlpPolicy', 'CartPole-v1' as unknown as VecEnv)).toThrow(/env: expected a VecEnv, got the string "CartPole-v1" \(create one with `await makeVecEnv/);
    expect(() => new TRPO('MlpPolicy', {} as VecEnv)).toThrow(TypeError);
    const pending = makeVecEnv('CartPole-v1');
    expect(() => new TRPO('MlpPolicy', pending as unknown as VecEnv)).toThrow(/got a Promise \(makeVecEnv is async: pass `await makeVecEnv\(\.\.\.\)`\)/);
    await pending;
    expect(() => new TRPO('MlpPolicy', env, { policyKwargs: { logStdInit: -1 } })).toThrow(/policyKwargs\.logStdInit applies to Box action spaces/);
  });

  it('load rejects an env with other spaces, or without the VecNormalize the model was trained with', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 8, seed: 1 });
    const path = join(dir, 'cartpole.json');
    await model.save(path);
    await expect(TRPO.load(path, { env: await makeVecEnv('Acrobot-v1') })).rejects.toThrow(/env\.observationSpace is Box.* but the model was made for Box/);
    await expect(TRPO.load(path, { env: await makeVecEnv('CartPole-v1', { normalize: true }) })).rejects.toThrow(/wrapped in VecNormalize but the model was trained without/);
    const pendulum = await makeVecEnv('Pendulum-v1');
    expect(() => model.setEnv(pendulum)).toThrow(/TRPO\.setEnv: env\.observationSpace/);

    const nenv = await makeVecEnv('CartPole-v1', { nEnvs: 2, normalize: true });
    const nmodel = new TRPO('MlpPolicy', nenv, { nSteps: 8, seed: 1 });
    const npath = join(dir, 'cartpole-norm.json');
    await nmodel.save(npath);
    await expect(TRPO.load(npath, { env: await makeVecEnv('CartPole-v1') })).rejects.toThrow(/trained in a VecNormalize \(observations normalized\)/);
    await expect(evaluatePolicy(nmodel, await makeVecEnv('CartPole-v1'))).rejects.toThrow(/VecNormalize/);
    await expect(evaluatePolicy(model, await makeVecEnv('Acrobot-v1'))).rejects.toThrow(/do not match/);
  });
});

describe('TRPO: corrupted and truncated model files', () => {
  it('gives a clear ModelFileError for each kind of damage', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 16, seed: 4 });
    await model.learn({ totalTimesteps: 32 });
    const path = join(dir, 'good.json');
    await model.save(path);
    const text = readFileSync(path, 'utf8');
    const bad = async (name: string, content: string): Promise<Error> => {
      const p = join(dir, name);
      writeFileSync(p, content);
      const e = await TRPO.load(p).then(() => null, (err: Error) => err);
      expect(e).toBeInstanceOf(ModelFileError);
      return e!;
    };
    expect((await bad('trunc.json', text.slice(0, Math.floor(text.length / 2)))).message).toMatch(/trunc\.json.*the file is truncated or corrupted \(not valid JSON/);
    expect((await bad('empty.json', '')).message).toMatch(/truncated or corrupted/);
    // Change one character inside the base64 of the policy weights.
    const at = text.indexOf('"base64":"') + 20;
    const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect((await bad('flip.json', flipped)).message).toMatch(/checksum mismatch: the file is corrupted/);
    expect((await bad('other.json', JSON.stringify({ hello: 1 }))).message).toMatch(/not a trpo-node model file/);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect((await bad('newer.json', JSON.stringify({ ...doc, formatVersion: 99 }))).message).toMatch(/format version 99 .* reads up to version 1/);
    // A well-formed file whose tensors do not fit the architecture.
    const payload = doc.payload as { tensors: { policy: { length: number } }; options: { policyKwargs: { netArch: { pi: number[] } } } };
    payload.options.policyKwargs.netArch.pi = [32, 32];
    expect((await bad('arch.json', serializeModel(payload as unknown as Record<string, unknown>))).message).toMatch(/tensors\.policy: expected \d+ values, the file has \d+/);
    await expect(TRPO.load(join(dir, 'missing.json'))).rejects.toThrow(/cannot read the file/);
    // The good file still loads.
    expect((await TRPO.load(path)).policy.getParameters()).toEqual(model.policy.getParameters());
  });
});

describe('TRPO: an env failure mid-training', () => {
  it('leaves the model exactly as after the last complete update', async () => {
    const opts = { nSteps: 16, batchSize: 16, nCriticUpdates: 2, seed: 9 };
    // Reference: exactly 2 updates with an env that does not fail.
    flaky.steps = 0;
    flaky.failAt = Infinity;
    const ref = new TRPO('MlpPolicy', await makeVecEnv(FlakyEnv, { nEnvs: 2, maxEpisodeSteps: 20 }), opts);
    await ref.learn({ totalTimesteps: 64 });
    expect(ref.numUpdates).toBe(2);

    // Same run, but the env throws during the rollout of update 3 (2 envs x 16 steps per update).
    flaky.steps = 0;
    flaky.failAt = 2 * 32 + 9;
    const env = await makeVecEnv(FlakyEnv, { nEnvs: 2, maxEpisodeSteps: 20 });
    const model = new TRPO('MlpPolicy', env, opts);
    const seen: number[] = [];
    const err = await model.learn({ totalTimesteps: 1000, callback: (i) => void seen.push(i.update) }).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/update 3 failed: .*simulator diverged.*left as after update 2 \(timestep 64\)/);
    expect((err!.cause as Error).message).toMatch(/simulator diverged/);
    expect(seen).toEqual([1, 2]);
    expect(model.numUpdates).toBe(2);
    expect(model.numTimesteps).toBe(64);
    expect(model.policy.getParameters()).toEqual(ref.policy.getParameters());
    expect(model.valueFunction.getParameters()).toEqual(ref.valueFunction.getParameters());
    expect(model.valueFunction.getOptimizerState()).toEqual(ref.valueFunction.getOptimizerState());
    expect(model.valueFunction.rng.getState()).toEqual(ref.valueFunction.rng.getState());
    // The saved model equals the reference's, up to the env state (the failed env's episodes are dropped).
    const p1 = join(dir, 'after-failure.json');
    const p2 = join(dir, 'reference.json');
    await model.save(p1, { includeEnvState: false });
    await ref.save(p2, { includeEnvState: false });
    const strip = (p: string): unknown => {
      const d = JSON.parse(readFileSync(p, 'utf8')) as { payload: Record<string, unknown> };
      return d.payload;
    };
    expect(strip(p1)).toEqual(strip(p2));
    // Training can go on once the env works again (new episodes).
    flaky.failAt = Infinity;
    await model.learn({ totalTimesteps: 32, resetNumTimesteps: false });
    expect(model.numUpdates).toBe(3);
  });
});
