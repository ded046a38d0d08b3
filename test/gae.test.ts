import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeGae } from '../src/gae.js';
import { Random } from '../src/random.js';

/** Straightforward per-env reference: episodes split explicitly. */
function referenceGae(
  rewards: number[],
  values: number[],
  nextValues: number[],
  terminated: boolean[],
  truncated: boolean[],
  gamma: number,
  lambda: number,
  nEnvs: number,
): number[] {
  const T = rewards.length / nEnvs;
  const adv = new Array<number>(rewards.length).fill(0);
  for (let e = 0; e < nEnvs; e++) {
    let carry = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * nEnvs + e;
      const lastOfSegment = t === T - 1 || terminated[i] || truncated[i];
      const delta = rewards[i] + (terminated[i] ? 0 : gamma * nextValues[i]) - values[i];
      carry = delta + (lastOfSegment ? 0 : gamma * lambda * carry);
      adv[i] = carry;
    }
  }
  return adv;
}

describe('computeGae', () => {
  it('matches a hand-worked example with a termination and a truncation (2 envs)', () => {
    // gamma = 0.5, lambda = 0.5 (gamma * lambda = 0.25), 3 time steps x 2 envs, index t * 2 + e.
    //
    // env 0: t0 r=1   V=0.5 V'=1            delta0 = 1 + 0.5*1 - 0.5 = 1
    //        t1 r=2   V=1   V'=9 TERMINATED delta1 = 2 + 0 - 1 = 1     (V' ignored)
    //        t2 r=0   V=2   V'=4            delta2 = 0 + 0.5*4 - 2 = 0  (end of batch)
    //   A2 = 0; A1 = 1 (episode ends); A0 = 1 + 0.25 * A1 = 1.25
    //   returns = A + V = 1.75, 2, 2
    //
    // env 1: t0 r=1.5 V=2   V'=2 TRUNCATED  delta0 = 1.5 + 0.5*2 - 2 = 0.5 (bootstraps from V')
    //        t1 r=0   V=1   V'=2            delta1 = 0 + 0.5*2 - 1 = 0
    //        t2 r=3   V=0   V'=2            delta2 = 3 + 0.5*2 - 0 = 4  (end of batch)
    //   A2 = 4; A1 = 0 + 0.25 * 4 = 1; A0 = 0.5 (episode ends, no carry from t1)
    //   returns = 2.5, 2, 4
    const { advantages, returns } = computeGae({
      rewards: [1, 1.5, 2, 0, 0, 3],
      values: new Float32Array([0.5, 2, 1, 1, 2, 0]),
      nextValues: [1, 2, 9, 2, 4, 2],
      terminated: [false, false, true, false, false, false],
      truncated: new Uint8Array([0, 1, 0, 0, 0, 0]),
      gamma: 0.5,
      lambda: 0.5,
      nEnvs: 2,
    });
    expect(Array.from(advantages)).toEqual([1.25, 0.5, 1, 1, 0, 4]);
    expect(Array.from(returns)).toEqual([1.75, 2.5, 2, 2, 2, 4]);
  });

  it('reduces to Monte Carlo returns with lambda = 1 and to TD errors with lambda = 0', () => {
    const base = { rewards: [1, 2, 3], values: [0.5, 0.25, 1], nextValues: [0.25, 1, 10], terminated: [0, 0, 0], truncated: [0, 0, 0] };
    const mc = computeGae({ ...base, gamma: 1, lambda: 1 });
    expect(Array.from(mc.returns)).toEqual([16, 15, 13]); // sum of rewards to go + V' of the last state
    const td = computeGae({ ...base, gamma: 0.5, lambda: 0 });
    expect(Array.from(td.advantages)).toEqual([1 + 0.125 - 0.5, 2 + 0.5 - 0.25, 3 + 5 - 1]);
  });

  it('ignores nextValues (even NaN) at terminated steps', () => {
    const r = computeGae({ rewards: [1, 1], values: [0, 0], nextValues: [Number.NaN, 3], terminated: [1, 0], truncated: [0, 0], gamma: 0.9, lambda: 0.9 });
    expect(r.advantages[0]).toBe(1);
    expect(r.advantages[1]).toBeCloseTo(1 + 0.9 * 3, 14);
  });

  it('matches a per-episode reference implementation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (nEnvs, T, gamma, lambda, seed) => {
          const rng = new Random(seed);
          const len = nEnvs * T;
          const draw = (): number[] => Array.from({ length: len }, () => rng.uniformRange(-10, 10));
          const rewards = draw();
          const values = draw();
          const nextValues = draw();
          // ~15% terminations and ~15% truncations, sometimes both on the same step
          const terminated = Array.from({ length: len }, () => rng.uniform() < 0.15);
          const truncated = Array.from({ length: len }, () => rng.uniform() < 0.15);
          const got = computeGae({ rewards, values, nextValues, terminated, truncated, gamma, lambda, nEnvs });
          const want = referenceGae(rewards, values, nextValues, terminated, truncated, gamma, lambda, nEnvs);
          for (let i = 0; i < len; i++) {
            expect(got.advantages[i]).toBeCloseTo(want[i], 10);
            expect(got.returns[i]).toBe(got.advantages[i] + values[i]);
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('validates its inputs, naming the argument', () => {
    const ok = { rewards: [1, 2], values: [0, 0], nextValues: [0, 0], terminated: [0, 0], truncated: [false, false], gamma: 0.99, lambda: 0.95 };
    expect(() => computeGae(ok)).not.toThrow();
    expect(() => computeGae({ ...ok, values: [0] })).toThrow(/values/);
    expect(() => computeGae({ ...ok, values: [0] })).toThrow(RangeError);
    expect(() => computeGae({ ...ok, nEnvs: 3 })).toThrow(/nEnvs/);
    expect(() => computeGae({ ...ok, nEnvs: 0 })).toThrow(RangeError);
    expect(() => computeGae({ ...ok, gamma: 1.5 })).toThrow(/gamma/);
    expect(() => computeGae({ ...ok, lambda: -0.1 })).toThrow(/lambda/);
    expect(() => computeGae({ ...ok, lambda: Number.NaN })).toThrow(RangeError);
    expect(() => computeGae({ ...ok, gamma: '1' as unknown as number })).toThrow(TypeError);
    expect(() => computeGae({ ...ok, rewards: [1, Number.POSITIVE_INFINITY] })).toThrow(/rewards\[1\]/);
    expect(() => computeGae({ ...ok, values: [Number.NaN, 0] })).toThrow(/values\[0\]/);
    expect(() => computeGae({ ...ok, nextValues: [0, Number.NaN] })).toThrow(/nextValues\[1\]/);
    expect(() => computeGae({ ...ok, terminated: [0, 2] })).toThrow(/terminated\[1\]/);
    expect(() => computeGae({ ...ok, truncated: ['x', 0] as unknown as number[] })).toThrow(TypeError);
    expect(() => computeGae({ ...ok, rewards: null as unknown as number[] })).toThrow(/rewards/);
    expect(computeGae({ ...ok, rewards: [], values: [], nextValues: [], terminated: [], truncated: [] }).advantages.length).toBe(0);
  });
});
