import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Box, Discrete, actionDim, spaceFromJSON } from '../../src/envs/index.js';

describe('Box', () => {
  it('broadcasts scalar bounds, infers shape from arrays, rounds float32 bounds', () => {
    const b = new Box(-1, 2, [2, 3]);
    expect(b.size).toBe(6);
    expect(Array.from(b.low)).toEqual([-1, -1, -1, -1, -1, -1]);
    const c = new Box([0, -Infinity], [1, Infinity]);
    expect(c.shape).toEqual([2]);
    const f = new Box(-0.1, 0.1, [1], 'float32');
    expect(f.high[0]).toBe(Math.fround(0.1));
    expect(String(f)).toBe('Box(-0.10000000149011612, 0.10000000149011612, (1,), float32)');
  });

  it('rejects malformed bounds', () => {
    expect(() => new Box(1, 0, [1])).toThrow(RangeError);
    expect(() => new Box([0, 0], [1, 1, 1])).toThrow(/length 3, expected 2/);
    expect(() => new Box(0, 1)).toThrow(/shape/);
    expect(() => new Box(Number.NaN, 1, [1])).toThrow(/NaN/);
  });

  it('contains checks length, type and bounds', () => {
    const b = new Box([-1, 0], [1, 5]);
    expect(b.contains(Float64Array.of(0, 5))).toBe(true);
    expect(b.contains([1, 0])).toBe(true);
    expect(b.contains(Float64Array.of(0, 5.0001))).toBe(false);
    expect(b.contains(Float64Array.of(0))).toBe(false);
    expect(b.contains(Float64Array.of(Number.NaN, 1))).toBe(false);
    expect(b.contains(0)).toBe(false);
    expect(b.contains('ab')).toBe(false);
  });

  it('samples inside the box, reproducibly after seed()', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 0, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
        (pairs, seed, dtype) => {
          const low = pairs.map(([l]) => Math.fround(l));
          const high = pairs.map(([l, w]) => Math.fround(l + w));
          const b = new Box(low, high, undefined, dtype);
          b.seed(seed);
          const xs = Array.from({ length: 5 }, () => b.sample());
          for (const x of xs) {
            expect(b.contains(x)).toBe(true);
            if (dtype === 'float32') expect(Array.from(x, Math.fround)).toEqual(Array.from(x));
          }
          b.seed(seed);
          expect(b.sample()).toEqual(xs[0]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('samples unbounded and half-bounded coordinates like Gymnasium (normal, shifted exponential)', () => {
    const b = new Box([-Infinity, 2, -Infinity], [Infinity, Infinity, -3]);
    b.seed(7);
    let mean0 = 0;
    let min1 = Infinity;
    let max2 = -Infinity;
    let mean1 = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const x = b.sample();
      mean0 += x[0] / n;
      mean1 += x[1] / n;
      min1 = Math.min(min1, x[1]);
      max2 = Math.max(max2, x[2]);
    }
    expect(Math.abs(mean0)).toBeLessThan(0.1);
    expect(min1).toBeGreaterThanOrEqual(2);
    expect(Math.abs(mean1 - 3)).toBeLessThan(0.1); // 2 + Exp(1)
    expect(max2).toBeLessThanOrEqual(-3);
  });

  it('round-trips through JSON, infinite bounds included', () => {
    const b = new Box([-Infinity, -1], [Infinity, 1], [2], 'float32');
    const c = spaceFromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(c).toBeInstanceOf(Box);
    expect(String(c)).toBe(String(b));
    expect(Array.from((c as Box).low)).toEqual([-Infinity, -1]);
  });
});

describe('Discrete', () => {
  it('contains only integers in [start, start + n)', () => {
    const d = new Discrete(3);
    expect([0, 1, 2].every((a) => d.contains(a))).toBe(true);
    expect([-1, 3, 1.5, Number.NaN, '1', null].some((a) => d.contains(a))).toBe(false);
    const s = new Discrete(2, -1);
    expect(s.contains(-1) && s.contains(0) && !s.contains(1)).toBe(true);
    expect(String(s)).toBe('Discrete(2, start=-1)');
    expect(String(d)).toBe('Discrete(3)');
  });

  it('samples uniformly and reproducibly', () => {
    const d = new Discrete(4, 10);
    d.seed(3);
    const counts = [0, 0, 0, 0];
    const first: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = d.sample();
      if (i < 10) first.push(a);
      expect(d.contains(a)).toBe(true);
      counts[a - 10] += 1;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    d.seed(3);
    expect(Array.from({ length: 10 }, () => d.sample())).toEqual(first);
  });

  it('validates n and round-trips through JSON', () => {
    expect(() => new Discrete(0)).toThrow(RangeError);
    expect(() => new Discrete(2.5)).toThrow(RangeError);
    expect(String(spaceFromJSON(new Discrete(5, 2).toJSON()))).toBe('Discrete(5, start=2)');
    expect(actionDim(new Discrete(5))).toBe(1);
    expect(actionDim(new Box(0, 1, [2, 2]))).toBe(4);
  });
});
