/**
 * Dict and Discrete observations and MultiDiscrete / MultiBinary actions through the env layer:
 * the packed and flattened forms (checked against Gymnasium 1.3.0's spaces.flatten), the env
 * guard's checks, vector envs (sync and worker threads), VecNormalize per key and checkEnv.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Box, Dict, Discrete, EnvGuard, MultiBinary, MultiDiscrete, RunningMeanStd, SyncVectorEnv, VecNormalize, WorkerVectorEnv, checkEnv,
  flatDim, flattenObservation, flattenPacked, flattenSpace, makeVecEnv, packObservation, packedSize, unpackObservation, type VecEnv,
} from '../../src/envs/index.js';
import { CueEnv, MissingKeyEnv, MultiBinaryActionEnv, MultiDiscreteActionEnv, TargetEnv } from '../fixtures/space-envs.js';
import { fixturePath } from './helpers.js';
import { readFileSync } from 'node:fs';
import type { Space, SpaceJSON } from '../../src/envs/index.js';
import { spaceFromJSON } from '../../src/envs/index.js';

/** Recorded with Gymnasium 1.3.0 by test/fixtures/record_gym_flatten.py. */
interface GymFlattenCase {
  given_keys: string[];
  keys: string[];
  spaces: Record<string, Record<string, unknown>>;
  flatdim: number;
  samples: Record<string, number | number[]>[];
  flat: number[][];
  flat_space_low: number[];
  flat_space_high: number[];
}
const gymFlatten = JSON.parse(readFileSync(fixturePath('gym-flatten.json'), 'utf8')) as { gymnasium: string; cases: GymFlattenCase[] };

function leafFromGym(j: Record<string, unknown>): Space {
  if (j.type === 'Box') return new Box((j.low as number[]).flat(3) as number[], (j.high as number[]).flat(3) as number[], j.shape as number[]);
  return spaceFromJSON(j as unknown as SpaceJSON);
}

function valueFor(space: Space, v: number | number[]): unknown {
  if (typeof v === 'number') return v;
  if (space.kind === 'multi-discrete') return Int32Array.from(v);
  if (space.kind === 'multi-binary') return Int8Array.from(v);
  return Float64Array.from(v);
}

const open: VecEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

describe('flattenObservation (Gymnasium spaces.flatten)', () => {
  it('matches values recorded with Gymnasium 1.3.0: Dict keys sorted, Discrete one-hot, bits as they are', () => {
    // gymnasium: d = Dict({'b': Box(-1, 1, (2,)), 'a': Discrete(3, start=1), 'c': MultiBinary(2)});
    // flatten(d, {'b': [0.5, -0.5], 'a': 2, 'c': [1, 0]}) == [0, 1, 0, 0.5, -0.5, 1, 0]; flatdim(d) == 7;
    // flatten(MultiDiscrete([3, 2]), [1, 1]) == [0, 1, 0, 0, 1]; flatten_space(d).low == [0, 0, 0, -1, -1, 0, 0].
    const d = new Dict({ b: new Box(-1, 1, [2]), a: new Discrete(3, 1), c: new MultiBinary(2) });
    expect(Array.from(flattenObservation(d, { b: Float64Array.of(0.5, -0.5), a: 2, c: Int8Array.of(1, 0) }))).toEqual([0, 1, 0, 0.5, -0.5, 1, 0]);
    expect(flatDim(d)).toBe(7);
    expect(packedSize(d)).toBe(5);
    expect(Array.from(flattenObservation(new MultiDiscrete([3, 2]), Int32Array.of(1, 1)))).toEqual([0, 1, 0, 0, 1]);
    const fs = flattenSpace(d);
    expect(Array.from(fs.low)).toEqual([0, 0, 0, -1, -1, 0, 0]);
    expect(Array.from(fs.high)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(flattenObservation(new Discrete(4, -1), 1))).toEqual([0, 0, 1, 0]);
  });

  it(`matches Gymnasium ${gymFlatten.gymnasium}'s key order, flatdim, flatten and flatten_space on recorded samples`, () => {
    expect(gymFlatten.cases.length).toBe(3);
    for (const c of gymFlatten.cases) {
      const given: Record<string, Space> = {};
      for (const k of c.given_keys) given[k] = leafFromGym(c.spaces[k]);
      const d = new Dict(given);
      expect(d.keys).toEqual(c.keys);
      expect(flatDim(d)).toBe(c.flatdim);
      c.samples.forEach((x, i) => {
        const obs = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, valueFor(d.spaces[k], v)]));
        expect(d.contains(obs)).toBe(true);
        expect(Array.from(flattenObservation(d, obs))).toEqual(c.flat[i]);
      });
      const fs = flattenSpace(d);
      expect(Array.from(fs.low)).toEqual(c.flat_space_low);
      expect(Array.from(fs.high)).toEqual(c.flat_space_high);
    }
  });

  it('packs and unpacks exactly, and flattening packed rows equals flattening each observation', () => {
    const d = new Dict([['z', new MultiDiscrete([2, 3], [1, 0])], ['pos', new Box(-2, 2, [3])], ['m', new Discrete(5, -2)], ['bits', new MultiBinary(2)]]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 5 }), (seed, rows) => {
        d.seed(seed);
        const xs = Array.from({ length: rows }, () => d.sample());
        const packed = new Float64Array(rows * packedSize(d));
        xs.forEach((x, i) => packObservation(d, x, packed, i * packedSize(d)));
        xs.forEach((x, i) => expect(unpackObservation(d, packed, i * packedSize(d))).toEqual(x));
        const flat = new Float64Array(rows * flatDim(d));
        flattenPacked(d, packed, rows, flat);
        xs.forEach((x, i) => expect(Array.from(flat.subarray(i * flatDim(d), (i + 1) * flatDim(d)))).toEqual(Array.from(flattenObservation(d, x))));
        // Every one-hot block sums to 1.
        for (let i = 0; i < rows; i++) {
          const row = flat.subarray(i * flatDim(d), (i + 1) * flatDim(d));
          expect(row[0] + row[1]).toBe(1);
          expect(row[2] + row[3] + row[4]).toBe(1);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('rejects packed values outside their space, naming row and key', () => {
    const d = new Dict({ m: new Discrete(3), pos: new Box(-1, 1, [1]) });
    const out = new Float64Array(8);
    expect(() => flattenPacked(d, Float64Array.of(1, 0, 3, 0), 2, out)).toThrow(new RangeError('obs: row 1 key "m" (Discrete(3)) is number 3, expected an integer in [0, 3)'));
    expect(() => flattenPacked(d, Float64Array.of(0.5, 0), 1, out)).toThrow(RangeError);
    expect(() => flattenPacked(new MultiBinary(2), Float64Array.of(1, 2), 1, out)).toThrow(/row 0 bit 1 is number 2, expected 0 or 1/);
    expect(() => flattenObservation(d, { pos: Float64Array.of(0) })).toThrow(/missing key "m"/);
  });
});

describe('env guard checks of the new spaces', () => {
  it('MultiDiscrete: a component out of range is a RangeError naming it', () => {
    const env = new EnvGuard(new MultiDiscreteActionEnv());
    env.reset();
    expect(() => env.step(Int32Array.of(1, 3))).toThrow(new RangeError(
      "MultiDiscreteAction-v0 step 0: action[1] is 3, outside component 1's values [1, 3) of MultiDiscrete([3, 2], start=[0, 1]) (action Int32Array [1, 3])"));
    expect(() => env.step(Int32Array.of(-1, 1))).toThrow(/action\[0\] is -1/);
    expect(() => env.step(Int32Array.of(1))).toThrow(TypeError);
    expect(() => env.step(2 as unknown as Int32Array)).toThrow(/action must be an Int32Array of length 2 for MultiDiscrete/);
    expect(env.step(Int32Array.of(2, 2)).reward).toBe(2);
  });

  it('MultiBinary: a value other than 0/1 is a RangeError naming it', () => {
    const env = new EnvGuard(new MultiBinaryActionEnv());
    env.reset();
    expect(() => env.step(Int8Array.of(0, 2, 1))).toThrow(new RangeError('MultiBinaryAction-v0 step 0: action[1] is 2, expected 0 or 1 (MultiBinary(3); action Int8Array [0, 2, 1])'));
    expect(() => env.step(Int8Array.of(0, 1))).toThrow(/has length 2, expected 3/);
    expect(env.step(Int8Array.of(1, 0, 1)).reward).toBe(2);
  });

  it('Dict: a missing key is a TypeError naming it; values are checked per key', () => {
    const env = new EnvGuard(new MissingKeyEnv({ dropAt: 2 }));
    env.reset({ seed: 0 });
    env.step(1);
    expect(() => env.step(1)).toThrow(TypeError);
    const env2 = new EnvGuard(new MissingKeyEnv({ dropAt: 1 }));
    env2.reset({ seed: 0 });
    expect(() => env2.step(1)).toThrow(/Cue-v0 step 0: observation is missing key "cue" \(expected keys "cue", "position" of Dict\("cue": Discrete\(3, start=1\), "position": Box\(-5, 5, \(2,\), float64\)\); got keys "position"\)/);
    const bad = new CueEnv();
    (bad as unknown as { obs: () => unknown }).obs = () => ({ cue: 7, position: Float64Array.of(0, 0) });
    expect(() => new EnvGuard(bad).reset()).toThrow(new RangeError('Cue-v0 step 0: reset observation.cue 7 is outside Discrete(3, start=1) (expected an integer in [1, 4))'));
    (bad as unknown as { obs: () => unknown }).obs = () => ({ cue: 1, position: Float64Array.of(0, Number.NaN) });
    expect(() => new EnvGuard(bad).reset()).toThrow(/non-finite reset observation.position: reset observation.position\[1\] is NaN/);
    (bad as unknown as { obs: () => unknown }).obs = () => ({ cue: 1, position: Float64Array.of(0, 0), extra: 1 });
    expect(() => new EnvGuard(bad).reset()).toThrow(/has the unknown key "extra"/);
  });

  it('Discrete observations: integers of the space', () => {
    const env = new TargetEnv();
    (env as unknown as { reset: () => unknown }).reset = () => ({ observation: 3, info: {} });
    expect(() => new EnvGuard(env).reset()).toThrow(new RangeError('Target-v0 step 0: reset observation 3 is outside Discrete(3) (expected an integer in [0, 3))'));
    (env as unknown as { reset: () => unknown }).reset = () => ({ observation: Float64Array.of(1), info: {} });
    expect(() => new EnvGuard(env).reset()).toThrow(/reset observation must be an integer of Discrete\(3\)/);
  });
});

describe('vector envs with the new spaces', () => {
  it('SyncVectorEnv packs Dict observations (keys in order, Discrete as its value) and keeps the final one', () => {
    const singles = [new CueEnv(), new CueEnv()];
    const venv = new SyncVectorEnv([() => new CueEnv({ length: 3 }), () => new CueEnv({ length: 3 })]);
    expect(venv.obsDim).toBe(3);
    const obs = venv.resetSync({ seed: 4 });
    singles.forEach((e, i) => {
      const o = e.reset({ seed: 4 + i }).observation;
      expect(Array.from(obs.subarray(i * 3, i * 3 + 3))).toEqual([o.cue as number, ...(o.position as Float64Array)]);
    });
    let ended = 0;
    for (let t = 0; t < 6; t++) {
      const r = venv.stepSync(Float64Array.of(1, 2));
      r.infos.forEach((info, i) => {
        if (!r.terminated[i]) return;
        ended++;
        const fo = unpackObservation(venv.observationSpace, info.finalObservation!) as { cue: number; position: Float64Array };
        expect(venv.observationSpace.contains(fo)).toBe(true);
        expect(info.finalObservation!.length).toBe(3);
      });
    }
    expect(ended).toBe(4);
  });

  it('SyncVectorEnv hands MultiDiscrete / MultiBinary actions to the env as typed integer arrays and rejects non-integers', () => {
    const md = new MultiDiscreteActionEnv();
    const venv = new SyncVectorEnv([md]);
    expect(venv.actDim).toBe(2);
    venv.resetSync();
    expect(venv.stepSync(Float64Array.of(2, 1)).rewards[0]).toBe(2);
    expect(md.lastAction).toEqual(Int32Array.of(2, 1));
    expect(() => venv.stepSync(Float64Array.of(1.5, 1))).toThrow(new RangeError('SyncVectorEnv.step: actions[0] (env 0, component 0) is 1.5, expected an integer of MultiDiscrete([3, 2], start=[0, 1])'));
    expect(() => venv.stepSync(Float64Array.of(1, 2 ** 40))).toThrow(/env 0: MultiDiscreteAction-v0 step 1: action\[1\] is 1099511627776, outside/);
    const mb = new MultiBinaryActionEnv();
    const vb = new SyncVectorEnv([mb]);
    vb.resetSync();
    expect(vb.stepSync(Float64Array.of(1, 1, 0)).rewards[0]).toBe(2);
    expect(mb.lastAction).toEqual(Int8Array.of(1, 1, 0));
    expect(() => vb.stepSync(Float64Array.of(1, 300, 0))).toThrow(/action\[1\] is 300, expected 0 or 1/);
  });

  it('WorkerVectorEnv with Dict observations equals SyncVectorEnv step for step', async () => {
    const ref = { modulePath: fixturePath('space-envs.ts'), exportName: 'CueEnv' };
    const w = await WorkerVectorEnv.create(ref, { nEnvs: 3, workers: 2, envOptions: { length: 4 } });
    open.push(w);
    const s = await makeVecEnv(CueEnv, { nEnvs: 3, envOptions: { length: 4 } });
    open.push(s);
    expect(String(w.observationSpace)).toBe(String(s.observationSpace));
    expect(w.obsDim).toBe(3);
    expect(await w.reset({ seed: 11 })).toEqual(await s.reset({ seed: 11 }));
    let ended = 0;
    for (let t = 0; t < 9; t++) {
      const act = Float64Array.from({ length: 3 }, (_, i) => 1 + ((t + i) % 3));
      const [a, b] = await Promise.all([w.step(act), s.step(act)]);
      expect(a).toEqual(b);
      ended += a.terminated.reduce((x, y) => x + y, 0);
    }
    expect(ended).toBe(6);
  });

  it('WorkerVectorEnv carries MultiDiscrete actions and their errors across threads', async () => {
    const ref = { modulePath: fixturePath('space-envs.ts'), exportName: 'MultiDiscreteActionEnv' };
    const w = await WorkerVectorEnv.create(ref, { nEnvs: 2, workers: 2 });
    open.push(w);
    expect(String(w.actionSpace)).toBe('MultiDiscrete([3, 2], start=[0, 1])');
    expect(w.actDim).toBe(2);
    await w.reset();
    expect(Array.from((await w.step(Float64Array.of(2, 1, 1, 2))).rewards)).toEqual([2, 1]);
    await expect(w.step(Float64Array.of(0, 1, 3, 1))).rejects.toThrow(RangeError);
    await expect(w.step(Float64Array.of(0, 1, 3, 1))).rejects.toThrow(/env 1: MultiDiscreteAction-v0 step 1: action\[0\] is 3, outside component 0's values \[0, 3\)/);
  });
});

describe('VecNormalize with Dict observations', () => {
  async function stepped(options = {}): Promise<{ vn: VecNormalize; raw: Float64Array[] }> {
    const vn = new VecNormalize(await makeVecEnv(CueEnv, { nEnvs: 3, seed: 2 }), options);
    const raw: Float64Array[] = [];
    await vn.reset();
    raw.push(vn.originalObservations()!);
    for (let t = 0; t < 25; t++) {
      await vn.step(Float64Array.from({ length: 3 }, (_, i) => 1 + ((t * 7 + i) % 3)));
      raw.push(vn.originalObservations()!);
    }
    return { vn, raw };
  }

  it('normalizes each Box key with its own statistics (as SB3) and leaves Discrete keys as they are', async () => {
    const { vn, raw } = await stepped();
    expect(vn.normObsKeys).toEqual(['position']);
    const ref = new RunningMeanStd(2);
    for (const batch of raw) ref.update(Float64Array.from({ length: 6 }, (_, k) => batch[Math.floor(k / 2) * 3 + 1 + (k % 2)]), 3);
    const rms = vn.obsRmsByKey.position;
    expect(Array.from(rms.mean)).toEqual(Array.from(ref.mean));
    expect(Array.from(rms.var)).toEqual(Array.from(ref.var));
    expect(rms.count).toBe(ref.count);
    const last = raw[raw.length - 1];
    const z = vn.normalizeObs(last);
    for (let e = 0; e < 3; e++) {
      expect(z[e * 3]).toBe(last[e * 3]); // the cue
      for (let j = 0; j < 2; j++) {
        const want = Math.min(Math.max((last[e * 3 + 1 + j] - ref.mean[j]) / Math.sqrt(ref.var[j] + 1e-8), -10), 10);
        expect(z[e * 3 + 1 + j]).toBe(want);
      }
    }
    // Exact inverse on unclipped values.
    const back = vn.unnormalizeObs(z);
    for (let k = 0; k < back.length; k++) expect(back[k]).toBeCloseTo(last[k], 12);
    expect(() => vn.obsRms).toThrow(/not a Box; its statistics are per key in obsRmsByKey/);
    await vn.close();
  });

  it('saves and restores the per-key statistics', async () => {
    const { vn, raw } = await stepped();
    const state = JSON.parse(JSON.stringify(vn.getState()));
    expect(Object.keys(state.obsRms)).toEqual(['position']);
    const fresh = new VecNormalize(await makeVecEnv(CueEnv, { nEnvs: 3 }));
    fresh.setState(state);
    const last = raw[raw.length - 1];
    expect(fresh.normalizeObs(last)).toEqual(vn.normalizeObs(last));
    expect(() => fresh.setState({ ...state, obsRms: { mean: [0, 0], var: [1, 1], count: 1 } })).toThrow(/obsRms: expected per-key statistics for the keys "position"/);
    expect(() => fresh.setState({ ...state, obsRms: { position: { mean: [0], var: [1], count: 1 } } })).toThrow(/obsRms.position: RunningMeanStd.setState/);
    expect(fresh.normalizeObs(last)).toEqual(vn.normalizeObs(last)); // unchanged by the failed restores
    await Promise.all([vn.close(), fresh.close()]);
  });

  it('checks normObsKeys; a Discrete observation space passes through', async () => {
    const base = await makeVecEnv(CueEnv, { nEnvs: 1 });
    expect(() => new VecNormalize(base, { normObsKeys: ['cue'] })).toThrow(new TypeError('VecNormalize: normObsKeys: key "cue" is Discrete(3, start=1); only Box keys can be normalized'));
    expect(() => new VecNormalize(base, { normObsKeys: ['speed'] })).toThrow(/"speed" is not a key of Dict/);
    const none = new VecNormalize(base, { normObsKeys: [] });
    const obs = await none.reset({ seed: 1 });
    expect(none.originalObservations()).toEqual(obs);
    const target = new VecNormalize(await makeVecEnv(TargetEnv, { nEnvs: 2 }));
    const o = await target.reset({ seed: 3 });
    expect(o).toEqual(target.originalObservations());
    await Promise.all([base.close(), target.close()]);
  });
});

describe('checkEnv with the new spaces', () => {
  it('passes correct envs with Dict / Discrete observations and MultiDiscrete / MultiBinary actions', () => {
    for (const env of [new CueEnv(), new TargetEnv(), new MultiDiscreteActionEnv(), new MultiBinaryActionEnv()]) {
      expect(checkEnv(env, { throwOnError: false }).errors).toEqual([]);
    }
  });

  it('reports a Dict observation with a missing key', () => {
    const r = checkEnv(new MissingKeyEnv({ dropAt: 3 }), { throwOnError: false });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/step observation: Cue-v0 step 2: step observation is missing key "cue"/);
  });
});
