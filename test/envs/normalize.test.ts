import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunningMeanStd, SyncVectorEnv, VecNormalize, makeVecEnv, type VecEnv, type VecNormalizeState } from '../../src/envs/index.js';

const EPS_COUNT = 1e-4;

/** Two-pass mean/variance of all rows, including SB3's prior (count 1e-4 at mean 0, var 1). */
function twoPass(rows: number[][]): { mean: number[]; var: number[]; count: number } {
  const d = rows[0].length;
  const n = rows.length + EPS_COUNT;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const v = mean.map((m, j) => (EPS_COUNT * (1 + m * m) + rows.reduce((s, r) => s + (r[j] - m) ** 2, 0)) / n);
  return { mean, var: v, count: n };
}

function rowsOf(flat: Float64Array, d: number): number[][] {
  return Array.from({ length: flat.length / d }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));
}

function expectRel(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
  }
}

function actions(t: number, venv: VecEnv): Float64Array {
  return Float64Array.from({ length: venv.numEnvs * venv.actDim }, (_, i) => Math.sin(t * 1.3 + i * 2.1) * 2);
}

describe('RunningMeanStd', () => {
  it('merges batches exactly like a two-pass computation (Chan et al.)', () => {
    const rms = new RunningMeanStd(3);
    const rows: number[][] = [];
    let k = 0;
    for (const size of [1, 5, 2, 17, 3]) {
      const batch: number[] = [];
      for (let r = 0; r < size; r++) {
        const row = [Math.sin(k) * 10 + 3, Math.cos(k * 0.7) * 0.01, k * 0.5];
        k++;
        rows.push(row);
        batch.push(...row);
      }
      rms.update(batch, size);
    }
    const ref = twoPass(rows);
    expectRel(rms.mean, ref.mean);
    expectRel(rms.var, ref.var);
    expect(rms.count).toBeCloseTo(ref.count, 12);
  });
});

describe('VecNormalize', () => {
  it('observation statistics match a two-pass computation; outputs are clip((obs - mean) / sqrt(var + eps))', async () => {
    const venv = new VecNormalize(await makeVecEnv('Pendulum-v1', { nEnvs: 4, maxEpisodeSteps: 30 }));
    const rows: number[][] = [];
    const obs0 = await venv.reset({ seed: 0 });
    rows.push(...rowsOf(venv.originalObservations()!, 3));
    let last = obs0;
    let raw = venv.originalObservations()!;
    for (let t = 0; t < 80; t++) {
      const r = await venv.step(actions(t, venv));
      raw = venv.originalObservations()!;
      rows.push(...rowsOf(raw, 3));
      last = r.observations;
    }
    const ref = twoPass(rows);
    expectRel(venv.obsRms.mean, ref.mean);
    expectRel(venv.obsRms.var, ref.var);
    const expected = Array.from(raw, (x, k) => Math.min(10, Math.max(-10, (x - ref.mean[k % 3]) / Math.sqrt(ref.var[k % 3] + 1e-8))));
    expectRel(last, expected, 1e-9);
    expectRel(venv.unnormalizeObs(last), raw, 1e-9);
  });

  it('scales rewards by the std of the running discounted return (reset at episode ends) and clips', async () => {
    const gamma = 0.9;
    const venv = new VecNormalize(await makeVecEnv('Pendulum-v1', { nEnvs: 3, maxEpisodeSteps: 25 }), { normReward: true, gamma, clipReward: 0.5 });
    await venv.reset({ seed: 1 });
    const returns = new Float64Array(3);
    const history: number[][] = [];
    let clipped = 0;
    for (let t = 0; t < 70; t++) {
      const r = await venv.step(actions(t, venv));
      const raw = venv.originalRewards()!;
      for (let i = 0; i < 3; i++) returns[i] = returns[i] * gamma + raw[i];
      history.push(...Array.from(returns, (x) => [x]));
      const ref = twoPass(history);
      const std = Math.sqrt(ref.var[0] + 1e-8);
      for (let i = 0; i < 3; i++) {
        const want = Math.min(0.5, Math.max(-0.5, raw[i] / std));
        if (Math.abs(raw[i] / std) > 0.5) clipped++;
        expect(Math.abs(r.rewards[i] - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        if (r.truncated[i] || r.terminated[i]) returns[i] = 0;
      }
    }
    expectRel(venv.retRms.var, twoPass(history).var);
    expect(clipped).toBeGreaterThan(0);
  });

  it('defaults to SB3\'s VecNormalize options (observations and rewards), also through makeVecEnv normalize: true', async () => {
    for (const venv of [new VecNormalize(await makeVecEnv('Pendulum-v1', { nEnvs: 2 })), await makeVecEnv('Pendulum-v1', { nEnvs: 2, normalize: true })]) {
      if (!(venv instanceof VecNormalize)) throw new TypeError('expected a VecNormalize');
      expect({ normObs: venv.normObs, normReward: venv.normReward, clipObs: venv.clipObs, clipReward: venv.clipReward, gamma: venv.gamma, epsilon: venv.epsilon, training: venv.training })
        .toEqual({ normObs: true, normReward: true, clipObs: 10, clipReward: 10, gamma: 0.99, epsilon: 1e-8, training: true });
      await venv.reset({ seed: 0 });
      const r = await venv.step(actions(0, venv));
      // Pendulum's rewards are <= 0 and at most ~-16 per step; scaled by the first return's std they differ from the raw ones.
      expect(Array.from(r.rewards)).not.toEqual(Array.from(venv.originalRewards()!));
      await venv.close();
    }
  });

  it('clips observations to ±clipObs', async () => {
    const venv = new VecNormalize(await makeVecEnv('MountainCar-v0', { nEnvs: 2 }), { clipObs: 0.5 });
    await venv.reset({ seed: 0 });
    let hit = false;
    for (let t = 0; t < 40; t++) {
      const r = await venv.step(Float64Array.of(t % 3, 2));
      for (const x of r.observations) {
        expect(Math.abs(x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(x) === 0.5) hit = true;
      }
    }
    expect(hit).toBe(true);
  });

  it('keeps raw episode returns in infos and normalizes final observations', async () => {
    const venv = new VecNormalize(await makeVecEnv('CartPole-v1', { nEnvs: 2, maxEpisodeSteps: 15 }), { normReward: true });
    await venv.reset({ seed: 2 });
    const sums = [0, 0];
    let episodes = 0;
    for (let t = 0; t < 60; t++) {
      const r = await venv.step(Float64Array.of(t % 2, 1));
      const raw = venv.originalRewards()!;
      for (let i = 0; i < 2; i++) {
        sums[i] += raw[i];
        expect(r.rewards[i]).not.toBe(raw[i]);
        const info = r.infos[i];
        if (info.episode) {
          episodes++;
          expect(info.episode.r).toBe(sums[i]);
          expect(info.episode.r).toBe(info.episode.l); // CartPole pays 1 per step
          const original = info.originalFinalObservation as Float64Array;
          expect(info.finalObservation).toEqual(venv.normalizeObs(original));
          sums[i] = 0;
        }
      }
    }
    expect(episodes).toBeGreaterThan(3);
  });

  it('freezes statistics when training is false, and saves/loads them', async () => {
    const make = (): Promise<VecEnv> => makeVecEnv('Acrobot-v1', { nEnvs: 2 });
    const venv = new VecNormalize(await make(), { normReward: true });
    await venv.reset({ seed: 3 });
    for (let t = 0; t < 20; t++) await venv.step(Float64Array.of(t % 3, 0));
    const state = JSON.parse(JSON.stringify(venv.getState()));
    venv.training = false;
    for (let t = 0; t < 20; t++) await venv.step(Float64Array.of(2, 2));
    await venv.reset();
    // The statistics are frozen; the running returns (not statistics) are zeroed by reset.
    const { returns, ...statistics } = JSON.parse(JSON.stringify(venv.getState()));
    expect(returns).toEqual([0, 0]);
    expect({ ...statistics, returns: state.returns }).toEqual(state);

    const dir = mkdtempSync(join(tmpdir(), 'vecnorm-'));
    try {
      await venv.save(join(dir, 'stats.json'));
      const loaded = await VecNormalize.load(join(dir, 'stats.json'), await make(), { training: false });
      expect(loaded.getState()).toEqual(venv.getState());
      const probe = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
      expect(loaded.normalizeObs(probe)).toEqual(venv.normalizeObs(probe));
      expect(loaded.normalizeReward(Float64Array.of(-1))).toEqual(venv.normalizeReward(Float64Array.of(-1)));
      expect(loaded.training).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => venv.setState({ ...state, obsRms: { mean: [0], var: [1], count: 1 } })).toThrow(TypeError);
  });

  it('getState/setState carry the running discounted returns: a fresh wrapper restored mid-episode continues exactly', async () => {
    const make = async (): Promise<VecNormalize> => new VecNormalize(await makeVecEnv('Pendulum-v1', { nEnvs: 2, maxEpisodeSteps: 40 }), { normReward: true, gamma: 0.9 });
    const a = await make();
    await a.reset({ seed: 4 });
    for (let t = 0; t < 23; t++) await a.step(actions(t, a));
    const state = JSON.parse(JSON.stringify(a.getState())) as VecNormalizeState;
    expect(state.returns).toHaveLength(2);
    expect(state.returns!.every((r) => r !== 0)).toBe(true);
    const inner = a.venv as SyncVectorEnv;
    const saved = JSON.parse(JSON.stringify({ envs: inner.envs.map((e) => e.getState!()), episode: inner.getEpisodeState() }));

    const restore = async (s: VecNormalizeState): Promise<VecNormalize> => {
      const b = await make();
      const sync = b.venv as SyncVectorEnv;
      sync.resetSync();
      sync.envs.forEach((e, i) => e.setState!(saved.envs[i]));
      sync.setEpisodeState(saved.episode);
      b.setState(s);
      return b;
    };
    const b = await restore(state);
    expect(b.getState()).toEqual(state);
    const { returns: _r, ...withoutReturns } = state;
    const c = await restore(withoutReturns); // an old state: the running returns stay 0
    expect(c.getState().returns).toEqual([0, 0]);
    let differs = false;
    for (let t = 23; t < 70; t++) {
      const act = actions(t, a);
      const ra = await a.step(act);
      expect(await b.step(act)).toEqual(ra);
      differs ||= (await c.step(act)).rewards.some((r, i) => r !== ra.rewards[i]);
    }
    expect(b.getState()).toEqual(a.getState());
    expect(differs).toBe(true);
  });

  it('setState accepts states without returns, or with null, or for another numEnvs (returns kept); rejects malformed returns', async () => {
    const venv = new VecNormalize(await makeVecEnv('CartPole-v1', { nEnvs: 2 }), { normReward: true });
    await venv.reset({ seed: 1 });
    for (let t = 0; t < 5; t++) await venv.step(Float64Array.of(0, 1));
    const state = venv.getState();
    const running = state.returns!;
    const other = new VecNormalize(await makeVecEnv('CartPole-v1', { nEnvs: 3 }));
    other.setState(state); // the statistics, not the 2 running returns
    expect(other.getState()).toEqual({ ...state, returns: [0, 0, 0] });
    for (const returns of [undefined, null, [1, 2, 3]]) {
      venv.setState({ ...state, returns });
      expect(venv.getState().returns).toEqual(running);
    }
    venv.setState({ ...state, returns: [0.5, -0.5] });
    expect(venv.getState().returns).toEqual([0.5, -0.5]);
    for (const returns of ['x', [1, Number.NaN], { 0: 1, 1: 2 }]) {
      expect(() => venv.setState({ ...state, returns } as unknown as VecNormalizeState)).toThrow(/VecNormalize\.setState: returns: expected an array of finite numbers/);
    }
    expect(venv.getState().returns).toEqual([0.5, -0.5]);
  });

  it('passes through when normObs is false, validates options', async () => {
    const inner = (await makeVecEnv('CartPole-v1', { nEnvs: 2 })) as SyncVectorEnv;
    const venv = new VecNormalize(inner, { normObs: false });
    const obs = await venv.reset({ seed: 0 });
    expect(obs).toEqual(venv.originalObservations());
    expect(() => new VecNormalize(inner, { clipObs: 0 })).toThrow(RangeError);
    expect(() => new VecNormalize(inner, { gamma: 2 })).toThrow(RangeError);
  });
});
