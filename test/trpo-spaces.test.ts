/**
 * The trainer with Dict and Discrete observations (flattened as SB3's MultiInputPolicy with its
 * flatten extractor: Box keys as they are, Discrete keys one-hot, keys in the Dict's order), and
 * with MultiDiscrete / MultiBinary actions (multi-categorical and Bernoulli policies).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, SyncVectorEnv, VecNormalize, flattenObservation, makeVecEnv, packObservation, type DictObservation, type StepResult } from '../src/envs/index.js';
import { TRPO, evaluatePolicy } from '../src/trpo/index.js';
import { Random } from '../src/random.js';
import { ValueFunction } from '../src/value-function.js';
import { EpisodeWindow } from '../src/trpo/episode-window.js';
import { RolloutBuffer } from '../src/trpo/rollout-buffer.js';
import { actionLayoutOf, collectRollout, observationLayoutOf, type RolloutActor } from '../src/trpo/rollout.js';
import { CueEnv, CueMultiBinaryEnv, CueMultiDiscreteEnv, MultiBinaryActionEnv, MultiDiscreteActionEnv, TargetEnv } from './fixtures/space-envs.js';
import { BernoulliMlpPolicy, MultiCategoricalMlpPolicy } from '../src/policies.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-spaces-'));
const cueOptions = { nSteps: 128, batchSize: 128, nCriticUpdates: 5, seed: 3, policyKwargs: { netArch: { pi: [32], vf: [32] } } };

describe('TRPO with Dict and Discrete observations', () => {
  it('learns a Dict-observation task whose reward depends on one Discrete key (random policy: 3.3 of 10)', async () => {
    const env = await makeVecEnv(CueEnv, { nEnvs: 4, normalize: true });
    const model = new TRPO('MlpPolicy', env, cueOptions);
    expect(model.obsDim).toBe(5); // cue one-hot (3) + position (2), keys sorted
    expect(model.envObsDim).toBe(3);
    await model.learn({ totalTimesteps: 15_000 });
    const evalEnv = new VecNormalize(await makeVecEnv(CueEnv, { nEnvs: 2 }), { training: false });
    evalEnv.setState(model.normalizationState()!);
    const random = await evaluatePolicy(new TRPO('MlpPolicy', env, { ...cueOptions, seed: 4 }), evalEnv, { nEvalEpisodes: 20, seed: 50 });
    const res = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, seed: 50 });
    expect(random.meanReward).toBeLessThan(6);
    expect(res.meanReward).toBeGreaterThanOrEqual(9);
    await Promise.all([env.close(), evalEnv.close()]);
  }, 120_000);

  it('learns a Discrete-observation task with Box actions (any state-blind policy: <= -6.7 of 0)', async () => {
    const env = await makeVecEnv(TargetEnv, { nEnvs: 4 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 128, batchSize: 128, nCriticUpdates: 5, seed: 1, policyKwargs: { netArch: { pi: [16], vf: [16] } } });
    expect(model.obsDim).toBe(3);
    await model.learn({ totalTimesteps: 20_000 });
    const evalEnv = await makeVecEnv(TargetEnv, { nEnvs: 1 });
    const res = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 10, seed: 7 });
    expect(res.meanReward).toBeGreaterThan(-1.5);
    // predict takes one Discrete observation or a batch of them; the mean action follows the target s - 1.
    const a = model.predict(Float64Array.of(0, 1, 2), { deterministic: true });
    expect(a[0]).toBeLessThan(-0.5);
    expect(Math.abs(a[1])).toBeLessThan(0.5);
    expect(a[2]).toBeGreaterThan(0.5);
    expect(model.predict(2, { deterministic: true })).toEqual(a.subarray(2, 3));
    expect(() => model.predict(3)).toThrow(new RangeError('TRPO.predict: obs 3 is outside Discrete(3) (expected an integer in [0, 3))'));
    expect(() => model.predict(Float64Array.of(0, 1.5))).toThrow(/TRPO.predict: obs: row 1 \(Discrete\(3\)\) is number 1.5, expected an integer in \[0, 3\)/);
    await Promise.all([env.close(), evalEnv.close()]);
  }, 120_000);

  it('predict takes Dict observation objects, arrays of them or packed rows, all alike', async () => {
    const env = await makeVecEnv(CueEnv, { nEnvs: 2, seed: 0 });
    const model = new TRPO('MlpPolicy', env, { ...cueOptions, seed: 8 });
    const space = env.observationSpace;
    space.seed(5);
    const xs = [space.sample(), space.sample(), space.sample()];
    const packed = new Float64Array(9);
    xs.forEach((x, i) => packObservation(space, x, packed, i * 3));
    const fromPacked = model.predict(packed, { deterministic: true });
    expect(model.predict(xs, { deterministic: true })).toEqual(fromPacked);
    expect(model.predict(xs[1], { deterministic: true })).toEqual(fromPacked.subarray(1, 2));
    // The policy's input is the flattened observation.
    const flat = Float64Array.from(xs.flatMap((x) => Array.from(flattenObservation(space, x))));
    const mode = model.policy.sample(flat, { deterministic: true }).actions;
    expect(Array.from(fromPacked)).toEqual(Array.from(mode, (i) => i + 1));
    expect(() => model.predict({ position: Float64Array.of(0, 0) })).toThrow(/TRPO.predict: obs is missing key "cue"/);
    expect(() => model.predict([xs[0], { cue: 9, position: Float64Array.of(0, 0) }])).toThrow(RangeError);
    expect(() => model.predict(Float64Array.of(1, 0))).toThrow(new RangeError('TRPO.predict: obs: length 2 is not a positive multiple of the observation size 3'));
    expect(() => model.predict('x' as never)).toThrow(/expected a flat array of n x 3 numbers, a Dict observation object or an array of them/);
    await env.close();
  });

  it('saves and loads a Dict-observation model with per-key normalization, and resumes exactly', async () => {
    const mk = (): Promise<VecNormalize> => makeVecEnv(CueEnv, { nEnvs: 2, normalize: true }) as Promise<VecNormalize>;
    const straight = new TRPO('MlpPolicy', await mk(), cueOptions);
    await straight.learn({ totalTimesteps: 4 * 256 });
    const first = new TRPO('MlpPolicy', await mk(), cueOptions);
    await first.learn({ totalTimesteps: 2 * 256 });
    const path = join(dir, 'cue.trpo.json');
    await first.save(path);
    const env = await mk();
    const loaded = await TRPO.load(path, { env });
    expect(String(loaded.observationSpace)).toBe(String(first.observationSpace));
    expect(env.getState().obsRms).toEqual(first.vecNormalize!.getState().obsRms);
    await loaded.learn({ totalTimesteps: 2 * 256, resetNumTimesteps: false });
    expect(loaded.numTimesteps).toBe(4 * 256);
    expect(loaded.policy.getParameters()).toEqual(straight.policy.getParameters());
    expect(loaded.valueFunction.getParameters()).toEqual(straight.valueFunction.getParameters());
    expect(loaded.normalizationState()).toEqual(straight.normalizationState());
  }, 60_000);
});

/** A CueEnv that records every observation it returns (reset and step), in order. */
class LoggedCueEnv extends CueEnv {
  readonly log: DictObservation[] = [];
  override reset(args = {}): ReturnType<CueEnv['reset']> {
    const r = super.reset(args);
    this.log.push(r.observation);
    return r;
  }
  override step(a: number): StepResult<DictObservation> {
    const r = super.step(a);
    this.log.push(r.observation);
    return r;
  }
}

describe('model files with Dict observations', () => {
  it('keep the Dict key order: an env with the same keys in another order, or other per-key statistics, is refused', async () => {
    const env = await makeVecEnv(CueEnv, { nEnvs: 1, normalize: true });
    const model = new TRPO('MlpPolicy', env, { ...cueOptions, nSteps: 16, batchSize: 16 });
    await model.learn({ totalTimesteps: 16 });
    const path = join(dir, 'cue-small.trpo.json');
    await model.save(path);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text).payload.env.observationSpace.spaces.map((p: [string]) => p[0])).toEqual(['cue', 'position']);
    expect(Object.keys(JSON.parse(text).payload.vecNormalize.obsRms)).toEqual(['position']);
    class Reordered extends CueEnv {
      override readonly observationSpace = new Dict([['position', new Box(-5, 5, [2])], ['cue', new Discrete(3, 1)]]);
    }
    await expect(TRPO.load(path, { env: await makeVecEnv(Reordered, { nEnvs: 1, normalize: true }) })).rejects.toThrow(
      /TRPO.load: env.observationSpace is Dict\("position": .*, "cue": .*\) but the model was made for Dict\("cue": .*, "position": .*\)/);
    // Statistics of other keys than the env normalizes: a ModelFileError naming the field.
    const p2 = join(dir, 'cue-keys.trpo.json');
    await model.save(p2);
    const loaded = await TRPO.load(p2);
    expect(loaded.normalizationState()!.obsRms).toEqual(model.normalizationState()!.obsRms);
    const noKeys = await makeVecEnv(CueEnv, { nEnvs: 1, normalize: { normObsKeys: [] } });
    await expect(TRPO.load(p2, { env: noKeys })).rejects.toThrow(/field vecNormalize: VecNormalize.setState: obsRms: expected per-key statistics for the keys \(none\)/);
    await env.close();
  });
});

describe('TRPO rollout with Dict observations', () => {
  it('feeds the networks the flattened observations and bootstraps a truncation from V(flattened final observation)', async () => {
    const inner = new LoggedCueEnv();
    const env = await makeVecEnv(() => inner, { nEnvs: 1, maxEpisodeSteps: 4 });
    const opts = { nSteps: 12, batchSize: 12, nCriticUpdates: 1, seed: 5, policyKwargs: { netArch: { pi: [8], vf: [8] } } };
    const model = new TRPO('MlpPolicy', env, opts);
    const twin = new TRPO('MlpPolicy', await makeVecEnv(CueEnv, { nEnvs: 1 }), opts); // the untrained value net
    await model.learn({ totalTimesteps: 12 });
    const buf = (model as unknown as { buffer: { obs: Float64Array | Float32Array; truncated: Uint8Array; nextValues: Float64Array } }).buffer;
    const space = env.observationSpace;
    const flat = (o: DictObservation): number[] => Array.from(flattenObservation(space, o), (x) => (buf.obs instanceof Float32Array ? Math.fround(x) : x));
    // The env's observations in order: every 5th (after 4 steps) is a final one, followed by the reset's.
    const acted = inner.log.filter((_, k) => k % 5 !== 4);
    const finals = inner.log.filter((_, k) => k % 5 === 4);
    let truncs = 0;
    for (let t = 0; t < 12; t++) {
      expect(Array.from(buf.obs.subarray(t * 5, t * 5 + 5))).toEqual(flat(acted[t]));
      if (buf.truncated[t]) {
        const fo = Float64Array.from(flat(finals[truncs++]));
        expect(buf.nextValues[t]).toBe(twin.valueFunction.forward(buf.obs instanceof Float32Array ? Float32Array.from(fo) : fo)[0]);
      }
    }
    expect(truncs).toBe(3);
  });
});

describe('the rollout with MultiDiscrete actions', () => {
  it('samples through the policy (one uniform per component), stores 0-based indices and steps the env with the space\'s starts', async () => {
    const envs = [new MultiDiscreteActionEnv(), new MultiDiscreteActionEnv()];
    const venv = new SyncVectorEnv(envs);
    const space = venv.actionSpace;
    const layout = actionLayoutOf(space);
    expect(layout).toMatchObject({ kind: 'multi-discrete', discrete: true, dim: 2 });
    const valueFunction = new ValueFunction({ obsDim: 1, hiddenSizes: [4], seed: 1 });
    const policy = new MultiCategoricalMlpPolicy({ obsDim: 1, nvec: [3, 2], hiddenSizes: [4], seed: 2 });
    expect(policy.core.noiseDim).toBe(2);
    const actor: RolloutActor = {
      policy, valueFunction, rng: new Random(9), actions: layout,
      observations: observationLayoutOf(venv.observationSpace, 1), episodes: new EpisodeWindow(10),
    };
    const buf = new RolloutBuffer(3, 2, 1, 2, true, false);
    await collectRollout(venv, buf, venv.resetSync(), actor);
    expect(buf.actionsI!.length).toBe(12);
    // The public sample() with a generator in the same state draws the same actions, step by step.
    const check = new Random(9);
    for (let t = 0; t < 3; t++) {
      const { actions } = policy.sample(buf.obsRows[t], { rng: check });
      expect(Array.from(buf.actionsI!.subarray(t * 4, t * 4 + 4))).toEqual(Array.from(actions));
      for (let e = 0; e < 2; e++) {
        const idx = buf.actionsI!.subarray((t * 2 + e) * 2, (t * 2 + e) * 2 + 2);
        expect(idx[0]).toBeGreaterThanOrEqual(0);
        expect(idx[0]).toBeLessThan(3);
        expect(idx[1]).toBeGreaterThanOrEqual(0);
        expect(idx[1]).toBeLessThan(2);
        // The env got the indices plus the starts [0, 1]; its reward is the first component.
        expect(buf.rewards[t * 2 + e]).toBe(idx[0]);
      }
    }
    expect(Array.from(envs[1].lastAction!)).toEqual([buf.actionsI![10], buf.actionsI![11] + 1]);
  });
});

describe('TRPO with MultiDiscrete and MultiBinary actions', () => {
  const options = { nSteps: 128, batchSize: 128, nCriticUpdates: 5, policyKwargs: { netArch: { pi: [32], vf: [32] } } };

  it('learns a MultiDiscrete task whose best action per component is its cue (cue-blind policies: 6.7 of 20)', async () => {
    const env = await makeVecEnv(CueMultiDiscreteEnv, { nEnvs: 4, seed: 0 });
    const model = new TRPO('MlpPolicy', env, { ...options, seed: 5 });
    expect(model.policy).toBeInstanceOf(MultiCategoricalMlpPolicy);
    await model.learn({ totalTimesteps: 20_000 });
    const evalEnv = await makeVecEnv(CueMultiDiscreteEnv, { nEnvs: 1, seed: 100 });
    const res = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, deterministic: true });
    expect(res.meanReward).toBeGreaterThanOrEqual(16);
    // predict gives the space's values (starts added): component 1 of the action space starts at 1.
    const a = model.predict(Float64Array.of(3, 2), { deterministic: true });
    expect(Array.from(a)).toEqual([2, 2]);
    await Promise.all([env.close(), evalEnv.close()]);
  }, 120_000);

  it('learns a MultiBinary task whose best action copies the cue bits (cue-blind policies: 20 of 40)', async () => {
    const env = await makeVecEnv(CueMultiBinaryEnv, { nEnvs: 4, seed: 0 });
    const model = new TRPO('MlpPolicy', env, { ...options, seed: 6 });
    expect(model.policy).toBeInstanceOf(BernoulliMlpPolicy);
    await model.learn({ totalTimesteps: 20_000 });
    const evalEnv = await makeVecEnv(CueMultiBinaryEnv, { nEnvs: 1, seed: 100 });
    const res = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, deterministic: true });
    expect(res.meanReward).toBeGreaterThanOrEqual(34);
    expect(Array.from(model.predict(Float64Array.of(1, 0, 0, 1), { deterministic: true }))).toEqual([1, 0, 0, 1]);
    // Saved and loaded, it predicts the same.
    const file = join(dir, 'multibinary.trpo.json');
    await model.save(file);
    const again = await TRPO.load(file, { env: evalEnv });
    const obs = Float64Array.of(0, 1, 1, 0, 1, 1, 1, 1);
    expect(Array.from(again.predict(obs, { deterministic: true }))).toEqual(Array.from(model.predict(obs, { deterministic: true })));
    await Promise.all([env.close(), evalEnv.close()]);
  }, 120_000);

  it('refuses gSDE and logStdInit for integer action spaces, naming the option', async () => {
    const md = await makeVecEnv(MultiDiscreteActionEnv, { nEnvs: 1 });
    expect(() => new TRPO('MlpPolicy', md, { useSde: true })).toThrow(/TRPO: options.useSde applies to Box action spaces/);
    const mb = await makeVecEnv(MultiBinaryActionEnv, { nEnvs: 1 });
    expect(() => new TRPO('MlpPolicy', mb, { policyKwargs: { logStdInit: -1 } })).toThrow(/TRPO: options.policyKwargs.logStdInit applies to Box action spaces/);
    await Promise.all([md.close(), mb.close()]);
  });
});
