/** Gymnasium's `MultiDiscrete` and `MultiBinary` spaces (1-D). */
import type { Random } from '../random.js';
import { checkSeed, entropySeed, makeRandom } from './seeding.js';
import { describe, integerList, isNumericArray, isOptionsObject, onlyKeys } from './space-args.js';
import type { Space, SpaceJSON } from './spaces.js';

/**
 * A vector of `nvec.length` integers, component i in {start[i], ..., start[i] + nvec[i] - 1}
 * (Gymnasium's `MultiDiscrete(nvec, start=...)`, 1-D). Elements are `Int32Array`s; `contains`
 * accepts any numeric array of integers in range.
 */
export class MultiDiscrete implements Space<Int32Array> {
  /** Always 'multi-discrete'. */
  readonly kind = 'multi-discrete' as const;
  /** [nvec.length]. */
  readonly shape: readonly number[];
  /** Number of components. */
  readonly size: number;
  /** Number of values of each component. */
  readonly nvec: readonly number[];
  /** Smallest value of each component (default 0). */
  readonly start: readonly number[];
  private rng: Random;

  /**
   * `new MultiDiscrete({ nvec, start })`: component c takes the integers start[c], ..., start[c] + nvec[c] − 1.
   * @throws TypeError/RangeError naming `nvec` or `start` for anything but a flat array of positive integers and a start of the same length.
   */
  constructor(options: {
    /** Number of values of each component (positive integers). */
    nvec: ArrayLike<number>;
    /** Smallest value of each component (integers, default 0). */
    start?: ArrayLike<number>;
  });
  /**
   * `new MultiDiscrete(nvec, start?)`: component c takes the integers start[c], ..., start[c] + nvec[c] − 1.
   * @throws TypeError/RangeError naming `nvec` or `start` for anything but a flat array of positive integers and a start of the same length.
   */
  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>);
  constructor(nvecOrOptions: ArrayLike<number> | { nvec: ArrayLike<number>; start?: ArrayLike<number> }, startArg?: ArrayLike<number>) {
    let nvecIn: unknown = nvecOrOptions;
    let startIn: unknown = startArg;
    if (isOptionsObject(nvecOrOptions)) {
      onlyKeys(nvecOrOptions, ['nvec', 'start'], 'MultiDiscrete');
      nvecIn = nvecOrOptions.nvec;
      startIn = nvecOrOptions.start;
    }
    if (typeof nvecIn === 'number') {
      throw new TypeError(`MultiDiscrete: nvec: expected an array of positive integers, one per component (e.g. [3, 2]), got ${describe(nvecIn)} (for a single component use Discrete(${nvecIn}))`);
    }
    if (Array.isArray(nvecIn) && nvecIn.some((x) => isNumericArray(x))) {
      throw new TypeError('MultiDiscrete: nvec: multi-dimensional nvec is not supported; give a flat array of positive integers');
    }
    const nvec = integerList(nvecIn, 'MultiDiscrete: nvec', 'a positive integer', (x) => x > 0 && x <= 2 ** 31);
    const start = startIn === undefined ? nvec.map(() => 0) : integerList(startIn, 'MultiDiscrete: start', 'an integer', () => true);
    if (start.length !== nvec.length) {
      throw new TypeError(`MultiDiscrete: start has length ${start.length}, expected ${nvec.length} (one per component of nvec)`);
    }
    this.nvec = Object.freeze(nvec);
    this.start = Object.freeze(start);
    this.size = nvec.length;
    this.shape = Object.freeze([nvec.length]);
    this.rng = makeRandom();
  }

  seed(seed?: number): number {
    const s = checkSeed(seed, 'MultiDiscrete.seed') ?? entropySeed();
    this.rng.seed(s);
    return s;
  }

  sample(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.start[i] + this.rng.integer(this.nvec[i]);
    return out;
  }

  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < this.start[i] || v >= this.start[i] + this.nvec[i]) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: [...this.nvec], start: [...this.start] };
  }

  toString(): string {
    const nvec = `[${this.nvec.join(', ')}]`;
    return this.start.every((s) => s === 0) ? `MultiDiscrete(${nvec})` : `MultiDiscrete(${nvec}, start=[${this.start.join(', ')}])`;
  }
}

/**
 * `n` independent bits (Gymnasium's `MultiBinary(n)`, 1-D). Elements are `Int8Array`s of 0s and
 * 1s; `contains` accepts any numeric array of 0s and 1s of length n.
 */
export class MultiBinary implements Space<Int8Array> {
  /** Always 'multi-binary'. */
  readonly kind = 'multi-binary' as const;
  /** [n]. */
  readonly shape: readonly number[];
  /** Number of bits of an element. */
  readonly n: number;
  /** Number of bits (= n). */
  readonly size: number;
  private rng: Random;

  /**
   * `new MultiBinary(n)` or `new MultiBinary({ n })`: arrays of n bits.
   * @throws TypeError for a non-number or an array n (multi-dimensional MultiBinary is not supported); RangeError when n is not a positive integer.
   */
  constructor(n: number | { n: number }) {
    let nIn: unknown = n;
    if (isOptionsObject(n)) {
      onlyKeys(n, ['n'], 'MultiBinary');
      nIn = n.n;
    }
    if (isNumericArray(nIn)) throw new TypeError(`MultiBinary: n: expected a positive integer (multi-dimensional MultiBinary is not supported), got ${describe(nIn)}`);
    if (typeof nIn !== 'number') throw new TypeError(`MultiBinary: n: expected a positive integer, got ${describe(nIn)}`);
    if (!Number.isInteger(nIn) || nIn <= 0) throw new RangeError(`MultiBinary: n: expected a positive integer, got ${describe(nIn)}`);
    this.n = nIn;
    this.size = nIn;
    this.shape = Object.freeze([nIn]);
    this.rng = makeRandom();
  }

  seed(seed?: number): number {
    const s = checkSeed(seed, 'MultiBinary.seed') ?? entropySeed();
    this.rng.seed(s);
    return s;
  }

  sample(): Int8Array {
    const out = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.rng.integer(2);
    return out;
  }

  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.n) return false;
    for (let i = 0; i < this.n; i++) if (x[i] !== 0 && x[i] !== 1) return false;
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: this.n };
  }

  toString(): string {
    return `MultiBinary(${this.n})`;
  }
}
