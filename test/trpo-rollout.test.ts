import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressBar, TRPO, computeGae, evaluatePolicy, makeVecEnv, type TRPOUpdateInfo } from '../src/index.js';
import { FirstChoiceEnv } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-rollout-'));

/** The trainer's private rollout buffer (white-box test of the rollout). */
interface Buf {
  n: number;
  nEnvs: number;
  obs: Float32Array | Float64Array;
  values: Float64Array;
  nextValues: Float64Array;
  lastValues: Float64Array;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  actionsI: Int32Array;
  logProbs: Float64Array;
}

describe('TRPO rollout', () => {
  it('bootstraps a truncated step from V(final observation), a terminated one from nothing', async () => {
    const opts = { nSteps: 12, batchSize: 8, nCriticUpdates: 1, seed: 3 };
    const env = await makeVecEnv(FirstChoiceEnv, { nEnvs: 2, maxEpisodeSteps: 5 });
    const model = new TRPO('MlpPolicy', env, opts);
    // An untrained twin: its value net is the one the rollout used (the fit comes after).
    const twin = new TRPO('MlpPolicy', await makeVecEnv(FirstChoiceEnv, { nEnvs: 2, maxEpisodeSteps: 5 }), opts);
    await model.learn({ totalTimesteps: 24 });
    const buf = (model as unknown as { buffer: Buf }).buffer;
    const V = (x: number[]): number => twin.valueFunction.forward(Float64Array.from(x))[0];
    const ne = 2;
    let truncs = 0;
    let terms = 0;
    for (let i = 0; i < buf.n; i++) {
      const row = Array.from(buf.obs.subarray(i * 2, i * 2 + 2));
      // V of the step's observations, evaluated as the rollout does (both envs in one call).
      const t = Math.floor(i / ne);
      expect(buf.values[i]).toBe(twin.valueFunction.forward(buf.obs.slice(t * ne * 2, (t + 1) * ne * 2))[i % ne]);
      if (buf.truncated[i]) {
        truncs++;
        // The episode ran to the limit: final observation [5, first action = 1].
        expect(buf.terminated[i]).toBe(0);
        expect(row[0]).toBe(4);
        expect(buf.nextValues[i]).toBe(V([5, 1]));
        // ... not the value of the next episode's first observation.
        if (i + ne < buf.n) expect(buf.nextValues[i]).not.toBe(buf.values[i + ne]);
      } else if (buf.terminated[i]) {
        terms++;
        expect(row).toEqual([2, 0]);
      } else if (i + ne < buf.n) {
        expect(buf.nextValues[i]).toBe(buf.values[i + ne]);
      } else {
        expect(buf.nextValues[i]).toBe(buf.lastValues[i % ne]);
      }
      expect(buf.rewards[i]).toBe(1);
      expect(buf.actionsI[i] === 0 || buf.actionsI[i] === 1).toBe(true);
    }
    expect(truncs).toBeGreaterThan(0);
    expect(terms).toBeGreaterThan(0);
    // The logged log-probabilities are the policy's at collection time (the twin's policy).
    const lp = twin.policy.logProb(Float64Array.from(buf.obs), buf.actionsI);
    for (let i = 0; i < buf.n; i++) expect(buf.logProbs[i]).toBeCloseTo(lp[i], 5);
    // And the GAE of this data bootstraps the truncations: delta = 1 + gamma V(final) - V.
    const g = computeGae({
      rewards: buf.rewards, values: buf.values, nextValues: buf.nextValues, terminated: buf.terminated, truncated: buf.truncated,
      gamma: model.options.gamma, lambda: model.options.gaeLambda, nEnvs: ne,
    });
    for (let i = 0; i < buf.n; i++) {
      if (buf.truncated[i]) expect(g.advantages[i]).toBeCloseTo(1 + 0.99 * V([5, 1]) - buf.values[i], 12);
      if (buf.terminated[i]) expect(g.advantages[i]).toBeCloseTo(1 - buf.values[i], 12);
    }
  });

  it('clips Box actions when stepping and keeps the unclipped sample for the log-prob', async () => {
    const env = await makeVecEnv('Pendulum-v1', { nEnvs: 2 });
    // A wide policy: most samples fall outside the action bounds [-2, 2].
    const model = new TRPO('MlpPolicy', env, { nSteps: 32, batchSize: 32, nCriticUpdates: 1, seed: 8, policyKwargs: { logStdInit: 2 } });
    const twin = new TRPO('MlpPolicy', await makeVecEnv('Pendulum-v1', { nEnvs: 2 }), { nSteps: 32, batchSize: 32, nCriticUpdates: 1, seed: 8, policyKwargs: { logStdInit: 2 } });
    await model.learn({ totalTimesteps: 64 });
    const buf = (model as unknown as { buffer: { n: number; obs: Float32Array; actionsF: Float64Array; logProbs: Float64Array } }).buffer;
    const outside = buf.actionsF.filter((a) => Math.abs(a) > 2).length;
    expect(outside).toBeGreaterThan(buf.n / 4);
    const lp = twin.policy.logProb(buf.obs, buf.actionsF);
    for (let i = 0; i < buf.n; i++) expect(buf.logProbs[i]).toBeCloseTo(lp[i], 4);
  });
});

describe('TRPO callback and JSON-lines logger', () => {
  it('report every update\'s statistics; the callback can stop training', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 128, batchSize: 64, nCriticUpdates: 2, seed: 1 });
    const path = join(dir, 'log', 'cartpole.jsonl');
    const infos: TRPOUpdateInfo[] = [];
    await model.learn({
      totalTimesteps: 100_000, logger: path,
      callback: (info, m) => {
        expect(m).toBe(model);
        infos.push(info);
        return info.update < 4;
      },
    });
    expect(infos.map((i) => i.update)).toEqual([1, 2, 3, 4]);
    expect(model.numTimesteps).toBe(4 * 256);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TRPOUpdateInfo);
    expect(lines).toEqual(JSON.parse(JSON.stringify(infos)));
    for (const [k, i] of infos.entries()) {
      expect(i.timesteps).toBe((k + 1) * 256);
      expect(i.episodes).toBeGreaterThan(0);
      expect(i.rolloutEpisodes).toBeGreaterThan(0);
      expect(i.epReturnP10!).toBeLessThanOrEqual(i.epReturnMean!);
      expect(i.epReturnMean!).toBeLessThanOrEqual(i.epReturnP90!);
      expect(i.epLengthMean).toBe(i.epReturnMean); // CartPole: reward 1 per step
      if (i.accepted) {
        expect(i.kl).toBeGreaterThan(0);
        expect(i.kl).toBeLessThan(model.options.targetKl);
        expect(i.stepFraction).toBeCloseTo(0.8 ** i.backtracks, 12);
        expect(i.surrogateImprovement).toBeGreaterThan(0);
      } else {
        expect(i.kl).toBe(0);
        expect(i.stepFraction).toBe(0);
      }
      expect(i.cgIterations).toBeGreaterThan(0);
      expect(i.valueLoss).toBeGreaterThanOrEqual(0);
      expect(i.valueLoss).toBeLessThan(i.valueLossBefore);
      expect(Number.isFinite(i.explainedVariance)).toBe(true);
      expect(i.explainedVariance).toBeLessThanOrEqual(1);
      expect(i.policyStd).toBeNull();
      expect(i.entropy).toBeGreaterThan(0);
      expect(i.entropy).toBeLessThanOrEqual(Math.log(2) + 1e-12);
      expect(i.fps).toBeGreaterThan(0);
      expect(i.elapsedSeconds).toBeGreaterThanOrEqual(i.rolloutSeconds + i.updateSeconds - 1e-9);
    }
    // Appends on the next learn.
    await model.learn({ totalTimesteps: 256, logger: path });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('reports the Gaussian policy std and the true returns under reward normalization', async () => {
    const env = await makeVecEnv('Pendulum-v1', { nEnvs: 2, normalize: { normObs: true, normReward: true } });
    const model = new TRPO('MlpPolicy', env, { nSteps: 200, batchSize: 100, nCriticUpdates: 1, seed: 2, policyKwargs: { logStdInit: -0.5 } });
    const infos: TRPOUpdateInfo[] = [];
    await model.learn({ totalTimesteps: 800, callback: (i) => void infos.push(i) });
    expect(infos[0].policyStd).toBeGreaterThan(0.5);
    expect(infos[0].policyStd).toBeLessThan(0.75);
    // Pendulum returns are in [-16.3 * 200, 0]; normalized rewards would be around -200 .. 0 instead.
    expect(infos[1].episodes).toBe(4);
    expect(infos[1].epReturnMean!).toBeLessThan(-300);
    expect(infos[1].epLengthMean).toBe(200);
  });
});

describe('evaluatePolicy', () => {
  it('runs nEvalEpisodes split over the envs as SB3 and returns mean/std of true returns', async () => {
    const env = await makeVecEnv(FirstChoiceEnv, { nEnvs: 3, maxEpisodeSteps: 5 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 8, seed: 5 });
    const r = await evaluatePolicy(model, env, { nEvalEpisodes: 7, deterministic: true });
    expect(r.episodeRewards).toHaveLength(7);
    // Deterministic policy: each env repeats one behaviour; returns are 3 (terminated) or 5 (truncated).
    for (const x of r.episodeRewards) expect([3, 5]).toContain(x);
    expect(r.episodeLengths).toEqual(r.episodeRewards);
    const mean = r.episodeRewards.reduce((a, b) => a + b) / 7;
    expect(r.meanReward).toBeCloseTo(mean, 12);
    expect(r.stdReward).toBeCloseTo(Math.sqrt(r.episodeRewards.reduce((a, b) => a + (b - mean) ** 2, 0) / 7), 12);
    await expect(evaluatePolicy(model, env, { nEvalEpisodes: 0 })).rejects.toThrow(/nEvalEpisodes/);
  });
});

describe('ProgressBar', () => {
  it('draws one updating line on a TTY and nothing elsewhere', () => {
    const out: string[] = [];
    const stream = { isTTY: true, columns: 200, write: (s: string) => (out.push(s), true) };
    const bar = new ProgressBar(1000, stream);
    bar.update(500, 'return 42.0', true);
    bar.done(1000);
    expect(out[0]).toMatch(/^\r\[#{12}-{12}\]  50% 500\/1000 .* return 42\.0\x1b\[K$/);
    expect(out.at(-2)).toMatch(/100% 1000\/1000/);
    expect(out.at(-1)).toBe('\n');
    const silent: string[] = [];
    const pipe = new ProgressBar(10, { isTTY: false, write: (s: string) => (silent.push(s), true) });
    pipe.update(5, '', true);
    pipe.done(10);
    expect(silent).toEqual([]);
  });
});
