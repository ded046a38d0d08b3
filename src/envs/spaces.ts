import type { Random } from '../random.js';
import { checkSeed, entropySeed, makeRandom } from './seeding.js';
import { describe, isNumericArray, isOptionsObject, onlyKeys } from './space-args.js';
import { Dict } from './dict-space.js';
import { MultiBinary, MultiDiscrete } from './multi-spaces.js';

export { Dict, MultiBinary, MultiDiscrete };

/** Element type of a `Box`. Values of a `float32` box are doubles that are exactly float32-representable. */
export type BoxDType = 'float32' | 'float64';

/** A plain, structured-clone- and JSON-safe description of a space (see `spaceFromJSON`). */
export type SpaceJSON =
  | {
    /** The space class. */
    type: 'Box';
    /** Lower bounds, row-major; ±Infinity as the strings 'Infinity' / '-Infinity'. */
    low: (number | string)[];
    /** Upper bounds, like low. */
    high: (number | string)[];
    /** Element shape. */
    shape: number[];
    /** Element type. */
    dtype: BoxDType;
  }
  | {
    /** The space class. */
    type: 'Discrete';
    /** Number of values. */
    n: number;
    /** The first value. */
    start: number;
  }
  | {
    /** The space class. */
    type: 'MultiDiscrete';
    /** Number of values of each component. */
    nvec: number[];
    /** First value of each component. */
    start: number[];
  }
  | {
    /** The space class. */
    type: 'MultiBinary';
    /** Number of bits. */
    n: number;
  }
  | {
    /** The space class. */
    type: 'Dict';
    /** Keys in the space's order (as [key, space] pairs, so that the order survives JSON). */
    spaces: [string, SpaceJSON][];
  };

/** The kinds of spaces. */
export type SpaceKind = 'box' | 'discrete' | 'multi-discrete' | 'multi-binary' | 'dict';

/** A set of valid observations or actions, with seeded sampling (Gymnasium's `Space`). */
export interface Space<T = unknown> {
  /** Which kind of space this is (the `is*` guards test it). */
  readonly kind: SpaceKind;
  /** Shape of one element (`[]` for `Discrete` and `Dict`). */
  readonly shape: readonly number[];
  /** Reseed the space's own generator; returns the seed used (fresh entropy when omitted). */
  seed(seed?: number): number;
  /** A random element of the space. */
  sample(): T;
  /** Whether `x` is an element of the space. */
  contains(x: unknown): boolean;
  /** A JSON-safe description; `spaceFromJSON` rebuilds an equal space. */
  toJSON(): SpaceJSON;
  /** A repr in Gymnasium's style, e.g. `Box(-1, 1, (3,), float32)` or `Discrete(2)`. */
  toString(): string;
}

/** Spaces a `Dict` may hold (nested Dicts are not supported, as in SB3's MultiInputPolicy). */
export type LeafSpace = Box | Discrete | MultiDiscrete | MultiBinary;
/** Observation spaces the vector envs, VecNormalize and the trainer accept. */
export type ObservationSpace = LeafSpace | Dict;
/** Action spaces the vector envs and the trainer accept (a Gaussian/gSDE, categorical, multi-categorical or Bernoulli policy; see `TRPO`). */
export type ActionSpace = LeafSpace;

/** Arguments of `new Box({ ... })` (Gymnasium's `Box(low, high, shape, dtype)` keywords). */
export interface BoxOptions {
  /** Lower bound: a number (broadcast) or an array of `size` numbers; may be -Infinity. */
  low: number | ArrayLike<number>;
  /** Upper bound, like `low`; may be +Infinity. */
  high: number | ArrayLike<number>;
  /** Element shape (non-negative integers); inferred from an array `low`/`high` when omitted. */
  shape?: readonly number[];
  /** 'float64' (default) or 'float32' (bounds and samples rounded to float32). */
  dtype?: BoxDType;
}

function fround(dtype: BoxDType, x: number): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

function checkBound(v: unknown, name: string): number | ArrayLike<number> {
  if (typeof v === 'number') return v;
  if (!isNumericArray(v)) throw new TypeError(`Box: ${name}: expected a number or an array of numbers, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') throw new TypeError(`Box: ${name}[${i}]: expected a number, got ${describe(v[i])}`);
  }
  return v as ArrayLike<number>;
}

function toBounds(v: number | ArrayLike<number>, size: number, dtype: BoxDType, name: string, shape: readonly number[]): Float64Array {
  const out = new Float64Array(size);
  if (typeof v === 'number') {
    out.fill(fround(dtype, v));
  } else {
    if (v.length !== size) throw new TypeError(`Box: ${name} has length ${v.length}, expected ${size} (the size of shape [${shape.join(', ')}])`);
    for (let i = 0; i < size; i++) out[i] = fround(dtype, v[i]);
  }
  for (let i = 0; i < size; i++) {
    if (Number.isNaN(out[i])) throw new RangeError(`Box: ${name}[${i}] is NaN (expected a number, -Infinity or Infinity)`);
  }
  return out;
}

/**
 * A box in R^n: every element lies in [low, high] (bounds may be infinite).
 * Elements are `Float64Array`s of length `size` (row-major for multi-dimensional shapes).
 */
export class Box implements Space<Float64Array> {
  /** Always 'box'. */
  readonly kind = 'box' as const;
  /** Element shape (frozen). */
  readonly shape: readonly number[];
  /** Element type; float32 bounds and samples are float32-representable doubles. */
  readonly dtype: BoxDType;
  /** Number of elements (product of `shape`). */
  readonly size: number;
  /** Lower bounds, `size` values (may be -Infinity). */
  readonly low: Float64Array;
  /** Upper bounds, `size` values (may be +Infinity). */
  readonly high: Float64Array;
  private rng: Random;

  /**
   * `new Box({ low, high, shape?, dtype? })`: the keyword form (see BoxOptions).
   * @throws TypeError for a bound that is not a number or numeric array, a length that does not match the shape, an unknown key or dtype; RangeError for a NaN bound or low > high.
   */
  constructor(options: BoxOptions);
  /**
   * `new Box(low, high, shape?, dtype?)`.
   * @param low lower bound: a number (broadcast) or an array of `size` numbers; may be -Infinity
   * @param high upper bound, like `low`; may be +Infinity
   * @param shape element shape (non-negative integers); inferred from an array `low`/`high` when omitted
   * @param dtype `'float64'` (default) or `'float32'` (bounds and samples rounded to float32)
   * @throws TypeError for a bound that is not a number or numeric array, a length that does not match the shape, or an unknown dtype; RangeError for a NaN bound or low > high.
   */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype?: BoxDType);
  constructor(lowOrOptions: number | ArrayLike<number> | BoxOptions, highArg?: number | ArrayLike<number>, shapeArg?: readonly number[], dtypeArg?: BoxDType) {
    let lowIn: unknown = lowOrOptions;
    let highIn: unknown = highArg;
    let shape: unknown = shapeArg;
    let dtypeIn: unknown = dtypeArg;
    if (isOptionsObject(lowOrOptions) && !isNumericArray(lowOrOptions)) {
      if (arguments.length > 1) throw new TypeError('Box: give either new Box({ low, high, shape, dtype }) or new Box(low, high, shape, dtype), not both');
      const o = lowOrOptions as Record<string, unknown>;
      onlyKeys(o, ['low', 'high', 'shape', 'dtype'], 'Box');
      ({ low: lowIn, high: highIn, shape, dtype: dtypeIn } = o);
    }
    const dtype = (dtypeIn ?? 'float64') as BoxDType;
    if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`Box: dtype: expected 'float32' or 'float64', got ${describe(dtypeIn)}`);
    const low = checkBound(lowIn, 'low');
    const high = checkBound(highIn, 'high');
    let shp: readonly number[];
    if (shape === undefined) {
      if (typeof low !== 'number') shp = [low.length];
      else if (typeof high !== 'number') shp = [high.length];
      else throw new TypeError('Box: shape: give a shape when low and high are both numbers (e.g. new Box(-1, 1, [3]))');
    } else {
      const dims = isNumericArray(shape) ? Array.from(shape as ArrayLike<unknown>) : null;
      if (dims === null || !dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
        throw new TypeError(`Box: shape: expected an array of non-negative integers (e.g. [3]), got ${dims ? `[${dims.map(describe).join(', ')}]` : describe(shape)}`);
      }
      shp = dims as number[];
    }
    this.shape = Object.freeze([...shp]);
    this.dtype = dtype;
    this.size = shp.reduce((a, b) => a * b, 1);
    this.low = toBounds(low, this.size, dtype, 'low', shp);
    this.high = toBounds(high, this.size, dtype, 'high', shp);
    for (let i = 0; i < this.size; i++) {
      if (this.low[i] > this.high[i]) throw new RangeError(`Box: low[${i}] = ${this.low[i]} > high[${i}] = ${this.high[i]}`);
    }
    this.rng = makeRandom();
  }

  seed(seed?: number): number {
    const s = checkSeed(seed, 'Box.seed') ?? entropySeed();
    this.rng.seed(s);
    return s;
  }

  /**
   * Gymnasium's sampling rule per coordinate: uniform when bounded on both sides, standard normal
   * when unbounded, low + Exp(1) or high - Exp(1) when bounded on one side.
   */
  sample(): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const loOk = Number.isFinite(lo);
      const hiOk = Number.isFinite(hi);
      let x: number;
      if (loOk && hiOk) x = this.rng.uniformRange(lo, hi);
      else if (!loOk && !hiOk) x = this.rng.normal();
      else {
        const e = -Math.log(1 - this.rng.uniform());
        x = loOk ? lo + e : hi - e;
      }
      out[i] = Math.min(Math.max(fround(this.dtype, x), lo), hi);
    }
    return out;
  }

  /** True when `x` is a numeric array of length `size` whose entries lie within [low, high]. */
  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (typeof v !== 'number' || !(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    const enc = (a: Float64Array): (number | string)[] => Array.from(a, (v) => (Number.isFinite(v) ? v : String(v)));
    return { type: 'Box', low: enc(this.low), high: enc(this.high), shape: [...this.shape], dtype: this.dtype };
  }

  toString(): string {
    const uniform = (a: Float64Array): boolean => a.every((v) => v === a[0]);
    const fmt = (a: Float64Array): string => (uniform(a) && a.length > 0 ? String(a[0]) : `[${Array.from(a).join(', ')}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}

/** The integers {start, ..., start + n - 1}. Elements are plain numbers. */
export class Discrete implements Space<number> {
  /** Always 'discrete'. */
  readonly kind = 'discrete' as const;
  /** Always [] (an element is a scalar). */
  readonly shape: readonly number[] = Object.freeze([]);
  /** Number of values (≥ 1). */
  readonly n: number;
  /** The smallest value (default 0). */
  readonly start: number;
  private rng: Random;

  /**
   * `new Discrete({ n, start })`: the integers start, ..., start + n - 1.
   * @throws TypeError for a non-number n or a non-integer start; RangeError when n is not a positive integer.
   */
  constructor(options: {
    /** Number of values (a positive integer). */
    n: number;
    /** The smallest value (an integer, default 0). */
    start?: number;
  });
  /**
   * `new Discrete(n, start = 0)`: the integers start, ..., start + n - 1.
   * @throws TypeError for a non-number n or a non-integer start; RangeError when n is not a positive integer.
   */
  constructor(n: number, start?: number);
  constructor(nOrOptions: number | { n: number; start?: number }, startArg?: number) {
    let n: unknown = nOrOptions;
    let start: unknown = startArg ?? 0;
    if (isOptionsObject(nOrOptions)) {
      onlyKeys(nOrOptions, ['n', 'start'], 'Discrete');
      n = nOrOptions.n;
      start = nOrOptions.start ?? 0;
    }
    if (typeof n !== 'number') throw new TypeError(`Discrete: n: expected a positive integer, got ${describe(n)}`);
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Discrete: n: expected a positive integer, got ${describe(n)}`);
    if (typeof start !== 'number' || !Number.isInteger(start)) throw new TypeError(`Discrete: start: expected an integer, got ${describe(start)}`);
    this.n = n;
    this.start = start;
    this.rng = makeRandom();
  }

  seed(seed?: number): number {
    const s = checkSeed(seed, 'Discrete.seed') ?? entropySeed();
    this.rng.seed(s);
    return s;
  }

  sample(): number {
    return this.start + this.rng.integer(this.n);
  }

  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/** Rebuild a space from `space.toJSON()`; throws a TypeError naming what is malformed. */
export function spaceFromJSON(json: SpaceJSON): ObservationSpace {
  const j = json as Record<string, unknown> | null;
  if (typeof j !== 'object' || j === null) throw new TypeError(`spaceFromJSON: expected a space description object, got ${describe(json)}`);
  switch (j.type) {
    case 'Discrete':
      return new Discrete(j.n as number, j.start as number);
    case 'Box': {
      const dec = (a: unknown, name: string): number[] => {
        if (!Array.isArray(a)) throw new TypeError(`spaceFromJSON: Box ${name}: expected an array, got ${describe(a)}`);
        return a.map((v) => (typeof v === 'number' ? v : Number(v)));
      };
      return new Box(dec(j.low, 'low'), dec(j.high, 'high'), j.shape as number[], j.dtype as BoxDType);
    }
    case 'MultiDiscrete':
      return new MultiDiscrete(j.nvec as number[], j.start as number[]);
    case 'MultiBinary':
      return new MultiBinary(j.n as number);
    case 'Dict': {
      if (!Array.isArray(j.spaces)) throw new TypeError(`spaceFromJSON: Dict spaces: expected an array of [key, space] pairs, got ${describe(j.spaces)}`);
      const pairs = (j.spaces as unknown[]).map((p) => {
        if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`spaceFromJSON: Dict spaces: expected [key, space] pairs, got ${describe(p)}`);
        return [p[0], spaceFromJSON(p[1] as SpaceJSON)] as [string, Space];
      });
      return new Dict(pairs);
    }
    default:
      throw new TypeError(`spaceFromJSON: unknown space ${JSON.stringify(json)}`);
  }
}

function hasKind(s: unknown, kind: SpaceKind): boolean {
  return typeof s === 'object' && s !== null && (s as Space).kind === kind;
}

/** Whether `s` is a `Box` (also for boxes made by another copy of this module). */
export function isBox(s: unknown): s is Box {
  return s instanceof Box || (hasKind(s, 'box') && (s as Box).low instanceof Float64Array);
}

/** Whether `s` is a `Discrete`. */
export function isDiscrete(s: unknown): s is Discrete {
  return s instanceof Discrete || (hasKind(s, 'discrete') && typeof (s as Discrete).n === 'number');
}

/** Whether `s` is a `MultiDiscrete`. */
export function isMultiDiscrete(s: unknown): s is MultiDiscrete {
  return s instanceof MultiDiscrete || (hasKind(s, 'multi-discrete') && Array.isArray((s as MultiDiscrete).nvec));
}

/** Whether `s` is a `MultiBinary`. */
export function isMultiBinary(s: unknown): s is MultiBinary {
  return s instanceof MultiBinary || (hasKind(s, 'multi-binary') && typeof (s as MultiBinary).n === 'number');
}

/** Whether `s` is a `Dict`. */
export function isDict(s: unknown): s is Dict {
  return s instanceof Dict || (hasKind(s, 'dict') && Array.isArray((s as Dict).keys));
}

/** Whether `s` is a space a `Dict` may hold: Box, Discrete, MultiDiscrete or MultiBinary. */
export function isLeafSpace(s: unknown): s is LeafSpace {
  return isBox(s) || isDiscrete(s) || isMultiDiscrete(s) || isMultiBinary(s);
}

/** Whether `s` is an observation space the vector envs accept (a leaf space or a Dict of them). */
export function isObservationSpace(s: unknown): s is ObservationSpace {
  return isLeafSpace(s) || isDict(s);
}

/**
 * Length of one action in a flat action batch: `size` for a Box, 1 for a Discrete, `nvec.length`
 * for a MultiDiscrete, `n` for a MultiBinary.
 */
export function actionDim(space: Space): number {
  if (isBox(space)) return space.size;
  if (isDiscrete(space)) return 1;
  if (isMultiDiscrete(space) || isMultiBinary(space)) return space.size;
  throw new TypeError(`unsupported action space ${String(space)} (expected Box, Discrete, MultiDiscrete or MultiBinary)`);
}
