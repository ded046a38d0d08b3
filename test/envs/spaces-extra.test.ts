/** MultiDiscrete, MultiBinary and Dict spaces, and the constructor errors of every space. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, actionDim, spaceFromJSON, type Space } from '../../src/envs/index.js';

function samples<T>(s: Space<T>, seed: number, n: number): T[] {
  s.seed(seed);
  return Array.from({ length: n }, () => s.sample());
}

describe('MultiDiscrete', () => {
  it('samples every component within [start, start + nvec), reproducibly after seed()', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (comps, seed) => {
          const s = new MultiDiscrete(comps.map(([n]) => n), comps.map(([, st]) => st));
          const xs = samples(s, seed, 20);
          for (const x of xs) {
            expect(x).toBeInstanceOf(Int32Array);
            expect(s.contains(x)).toBe(true);
            comps.forEach(([n, st], i) => expect(x[i] >= st && x[i] < st + n).toBe(true));
          }
          expect(samples(s, seed, 20)).toEqual(xs);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('covers each component uniformly', () => {
    const s = new MultiDiscrete([2, 4]);
    const counts = [new Array(2).fill(0), new Array(4).fill(0)];
    for (const x of samples(s, 5, 4000)) {
      counts[0][x[0]] += 1;
      counts[1][x[1]] += 1;
    }
    for (const c of counts[0]) expect(Math.abs(c - 2000)).toBeLessThan(200);
    for (const c of counts[1]) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('contains only integer vectors of the right length in range', () => {
    const s = new MultiDiscrete([3, 2], [0, -1]);
    expect(s.contains([2, 0]) && s.contains(Int32Array.of(0, -1)) && s.contains(Float64Array.of(1, 0))).toBe(true);
    for (const x of [[3, 0], [0, 1], [0, -2], [1.5, 0], [1], [1, 0, 0], 1, '10', null, [Number.NaN, 0]]) expect(s.contains(x)).toBe(false);
    expect(String(s)).toBe('MultiDiscrete([3, 2], start=[0, -1])');
    expect(String(new MultiDiscrete([4]))).toBe('MultiDiscrete([4])');
    expect(actionDim(s)).toBe(2);
  });

  it('round-trips through JSON and says what was expected for bad arguments', () => {
    const s = new MultiDiscrete({ nvec: [5, 2], start: [1, 0] });
    const back = spaceFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back).toBeInstanceOf(MultiDiscrete);
    expect(String(back)).toBe(String(s));
    expect(() => new MultiDiscrete(3 as unknown as number[])).toThrow(/MultiDiscrete: nvec: expected an array of positive integers.*got number 3.*Discrete\(3\)/);
    expect(() => new MultiDiscrete([])).toThrow(/MultiDiscrete: nvec: expected a non-empty array.*got an Array of length 0/);
    expect(() => new MultiDiscrete([3, 0])).toThrow(RangeError);
    expect(() => new MultiDiscrete([3, 0])).toThrow('MultiDiscrete: nvec[1]: expected a positive integer, got number 0');
    expect(() => new MultiDiscrete([3, 2.5])).toThrow('MultiDiscrete: nvec[1]: expected a positive integer, got number 2.5');
    expect(() => new MultiDiscrete(['3'] as unknown as number[])).toThrow(TypeError);
    expect(() => new MultiDiscrete([3, 2], [0])).toThrow('MultiDiscrete: start has length 1, expected 2 (one per component of nvec)');
    expect(() => new MultiDiscrete([[2, 2]] as unknown as number[])).toThrow(/multi-dimensional nvec is not supported/);
    expect(() => new MultiDiscrete({ nvec: [2], step: 1 } as unknown as { nvec: number[] })).toThrow(/unknown option "step"/);
  });
});

describe('MultiBinary', () => {
  it('samples bits, reproducibly, each bit about half the time', () => {
    const s = new MultiBinary(3);
    const xs = samples(s, 9, 3000);
    const ones = [0, 0, 0];
    for (const x of xs) {
      expect(x).toBeInstanceOf(Int8Array);
      expect(s.contains(x)).toBe(true);
      x.forEach((b, i) => (ones[i] += b));
    }
    for (const c of ones) expect(Math.abs(c - 1500)).toBeLessThan(150);
    expect(samples(s, 9, 3000)).toEqual(xs);
  });

  it('contains only 0/1 vectors of length n; JSON; argument errors', () => {
    const s = new MultiBinary({ n: 2 });
    expect(s.contains([0, 1]) && s.contains(Int8Array.of(1, 1))).toBe(true);
    for (const x of [[0, 2], [1], [true, false], [0.5, 0], [-1, 0], 'ab']) expect(s.contains(x)).toBe(false);
    expect(String(spaceFromJSON(s.toJSON()))).toBe('MultiBinary(2)');
    expect(actionDim(s)).toBe(2);
    expect(() => new MultiBinary(0)).toThrow(new RangeError('MultiBinary: n: expected a positive integer, got number 0'));
    expect(() => new MultiBinary([2, 2] as unknown as number)).toThrow(/multi-dimensional MultiBinary is not supported/);
    expect(() => new MultiBinary('4' as unknown as number)).toThrow(new TypeError('MultiBinary: n: expected a positive integer, got the string "4"'));
  });
});

describe('Dict', () => {
  const make = (): Dict => new Dict({ pos: new Box(-1, 1, [2]), mode: new Discrete(3, 1), bits: new MultiBinary(2) });

  it('sorts the keys of an object (as Gymnasium) and keeps the order of [key, space] pairs', () => {
    expect(make().keys).toEqual(['bits', 'mode', 'pos']);
    const pairs = new Dict([['pos', new Box(-1, 1, [2])], ['mode', new Discrete(3)]]);
    expect(pairs.keys).toEqual(['pos', 'mode']);
    expect(String(pairs)).toBe('Dict("pos": Box(-1, 1, (2,), float64), "mode": Discrete(3))');
  });

  it('samples objects with every key inside its subspace, reproducibly after seed()', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const d = make();
        const xs = samples(d, seed, 10);
        for (const x of xs) {
          expect(Object.keys(x)).toEqual(['bits', 'mode', 'pos']);
          expect(d.contains(x)).toBe(true);
        }
        expect(samples(make(), seed, 10)).toEqual(xs);
      }),
      { numRuns: 50 },
    );
    // Different seeds give different streams.
    expect(samples(make(), 1, 5)).not.toEqual(samples(make(), 2, 5));
  });

  it('contains needs exactly the keys, each value in its subspace', () => {
    const d = make();
    const ok = { pos: Float64Array.of(0, 0.5), mode: 2, bits: [1, 0] };
    expect(d.contains(ok)).toBe(true);
    expect(d.contains({ pos: ok.pos, mode: 2 })).toBe(false);
    expect(d.contains({ ...ok, extra: 1 })).toBe(false);
    expect(d.contains({ ...ok, mode: 0 })).toBe(false);
    expect(d.contains({ ...ok, pos: Float64Array.of(0, 2) })).toBe(false);
    expect(d.contains([ok])).toBe(false);
    expect(d.contains(null)).toBe(false);
  });

  it('round-trips through JSON with its key order', () => {
    const d = new Dict([['z', new MultiDiscrete([2, 3])], ['a', new Box([-Infinity, 0], [Infinity, 1], [2], 'float32')]]);
    const back = spaceFromJSON(JSON.parse(JSON.stringify(d.toJSON()))) as Dict;
    expect(back).toBeInstanceOf(Dict);
    expect(back.keys).toEqual(['z', 'a']);
    expect(String(back)).toBe(String(d));
  });

  it('says what was expected for bad arguments', () => {
    expect(() => new Dict({})).toThrow(new RangeError('Dict: spaces: expected at least one key, got none'));
    expect(() => new Dict({ a: new Dict({ b: new Discrete(2) }) })).toThrow(/key "a": nested Dict spaces are not supported/);
    expect(() => new Dict({ a: 3 } as unknown as Record<string, Space>)).toThrow(/key "a": expected a Box, Discrete, MultiDiscrete or MultiBinary space, got number 3/);
    expect(() => new Dict([['a', new Discrete(2)], ['a', new Discrete(3)]])).toThrow(/key "a" appears twice/);
    expect(() => new Dict('abc' as unknown as Record<string, Space>)).toThrow(/expected an object of named spaces/);
    expect(() => new Dict([['a']] as unknown as [string, Space][])).toThrow(/spaces\[0\]: expected a \[key, space\] pair/);
  });
});

describe('space constructor errors', () => {
  it('Box accepts an options object ({ low, high, shape, dtype }) like Gymnasium keywords', () => {
    const b = new Box({ low: -1, high: 1, shape: [3] });
    expect(String(b)).toBe('Box(-1, 1, (3,), float64)');
    const c = new Box({ low: [0, 0], high: [1, 2], dtype: 'float32' });
    expect(String(c)).toBe('Box(0, [1, 2], (2,), float32)');
    expect(c.shape).toEqual([2]);
  });

  it('Box says what was expected and what was given', () => {
    expect(() => new Box({ low: -1, high: 1 })).toThrow('Box: shape: give a shape when low and high are both numbers (e.g. new Box(-1, 1, [3]))');
    expect(() => new Box({ low: -1, high: 1, shape: 3 } as unknown as { low: number; high: number })).toThrow('Box: shape: expected an array of non-negative integers (e.g. [3]), got number 3');
    expect(() => new Box(-1, 1, [2, -1])).toThrow('Box: shape: expected an array of non-negative integers (e.g. [3]), got [number 2, number -1]');
    expect(() => new Box('a' as unknown as number, 1, [1])).toThrow('Box: low: expected a number or an array of numbers, got the string "a"');
    expect(() => new Box([0, '1'] as unknown as number[], [1, 1])).toThrow('Box: low[1]: expected a number, got the string "1"');
    expect(() => new Box(0, [1, 2, 3], [2])).toThrow('Box: high has length 3, expected 2 (the size of shape [2])');
    expect(() => new Box(0, 1, [1], 'int8' as 'float32')).toThrow(`Box: dtype: expected 'float32' or 'float64', got the string "int8"`);
    expect(() => new Box({ low: 0, high: 1, shape: [1], size: 3 } as unknown as { low: number; high: number })).toThrow(/Box: unknown option "size"/);
    expect(() => new (Box as unknown as new (...a: unknown[]) => Box)({ low: 0, high: 1 }, 2)).toThrow(/not both/);
    expect(() => new Box(undefined as unknown as number, 1, [1])).toThrow('Box: low: expected a number or an array of numbers, got undefined');
  });

  it('Discrete says what was expected and what was given', () => {
    expect(String(new Discrete({ n: 4, start: -2 }))).toBe('Discrete(4, start=-2)');
    expect(() => new Discrete(0)).toThrow(new RangeError('Discrete: n: expected a positive integer, got number 0'));
    expect(() => new Discrete('3' as unknown as number)).toThrow(new TypeError('Discrete: n: expected a positive integer, got the string "3"'));
    expect(() => new Discrete(3, 0.5)).toThrow(new TypeError('Discrete: start: expected an integer, got number 0.5'));
    expect(() => new Discrete({ n: 3, begin: 1 } as unknown as { n: number })).toThrow(/Discrete: unknown option "begin"/);
  });

  it('spaceFromJSON names what is malformed', () => {
    expect(() => spaceFromJSON(null as never)).toThrow(/expected a space description object, got null/);
    expect(() => spaceFromJSON({ type: 'Tuple' } as never)).toThrow(/unknown space/);
    expect(() => spaceFromJSON({ type: 'Dict', spaces: 3 } as never)).toThrow(/Dict spaces: expected an array of \[key, space\] pairs/);
    expect(() => spaceFromJSON({ type: 'MultiDiscrete', nvec: [0], start: [0] })).toThrow(/nvec\[0\]: expected a positive integer/);
  });
});
