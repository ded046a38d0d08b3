import type { Random } from '../random.js';
import { checkSeed, entropySeed, makeRandom } from './seeding.js';

/** Element type of a `Box`. Values of a `float32` box are doubles that are exactly float32-representable. */
export type BoxDType = 'float32' | 'float64';

/** A plain, structured-clone- and JSON-safe description of a space (see `spaceFromJSON`). */
export type SpaceJSON =
  | { type: 'Box'; low: (number | string)[]; high: (number | string)[]; shape: number[]; dtype: BoxDType }
  | { type: 'Discrete'; n: number; start: number };

/** A set of valid observations or actions, with seeded sampling (Gymnasium's `Space`). */
export interface Space<T = unknown> {
  readonly kind: 'box' | 'discrete';
  /** Shape of one element (`[]` for `Discrete`). */
  readonly shape: readonly number[];
  /** Reseed the space's own generator; returns the seed used (fresh entropy when omitted). */
  seed(seed?: number): number;
  /** A random element of the space. */
  sample(): T;
  /** Whether `x` is an element of the space. */
  contains(x: unknown): boolean;
  toJSON(): SpaceJSON;
  toString(): string;
}

function fround(dtype: BoxDType, x: number): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

function toBounds(v: number | ArrayLike<number>, size: number, dtype: BoxDType, name: string): Float64Array {
  const out = new Float64Array(size);
  if (typeof v === 'number') {
    out.fill(fround(dtype, v));
  } else {
    if (v.length !== size) throw new TypeError(`Box: ${name} has length ${v.length}, expected ${size}`);
    for (let i = 0; i < size; i++) out[i] = fround(dtype, v[i]);
  }
  for (let i = 0; i < size; i++) {
    if (Number.isNaN(out[i])) throw new RangeError(`Box: ${name}[${i}] is NaN`);
  }
  return out;
}

/**
 * A box in R^n: every element lies in [low, high] (bounds may be infinite).
 * Elements are `Float64Array`s of length `size` (row-major for multi-dimensional shapes).
 */
export class Box implements Space<Float64Array> {
  readonly kind = 'box' as const;
  readonly shape: readonly number[];
  readonly dtype: BoxDType;
  /** Number of elements (product of `shape`). */
  readonly size: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
  private rng: Random;

  /**
   * @param low lower bound: a number (broadcast) or an array of `size` numbers; may be -Infinity
   * @param high upper bound, like `low`; may be +Infinity
   * @param shape element shape; inferred from an array `low`/`high` when omitted
   * @param dtype `'float64'` (default) or `'float32'` (bounds and samples rounded to float32)
   */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype: BoxDType = 'float64') {
    if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`Box: unknown dtype ${String(dtype)}`);
    let shp = shape;
    if (shp === undefined) {
      if (typeof low !== 'number') shp = [low.length];
      else if (typeof high !== 'number') shp = [high.length];
      else throw new TypeError('Box: give a shape when low and high are both numbers');
    }
    if (!shp.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`Box: bad shape [${shp.join(', ')}]`);
    this.shape = Object.freeze([...shp]);
    this.dtype = dtype;
    this.size = shp.reduce((a, b) => a * b, 1);
    this.low = toBounds(low, this.size, dtype, 'low');
    this.high = toBounds(high, this.size, dtype, 'high');
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
  readonly kind = 'discrete' as const;
  readonly shape: readonly number[] = Object.freeze([]);
  readonly n: number;
  readonly start: number;
  private rng: Random;

  constructor(n: number, start = 0) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Discrete: n must be a positive integer, got ${String(n)}`);
    if (!Number.isInteger(start)) throw new TypeError(`Discrete: start must be an integer, got ${String(start)}`);
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

/** Rebuild a space from `space.toJSON()`. */
export function spaceFromJSON(json: SpaceJSON): Box | Discrete {
  if (json.type === 'Discrete') return new Discrete(json.n, json.start);
  if (json.type === 'Box') {
    const dec = (a: (number | string)[]): number[] => a.map((v) => (typeof v === 'number' ? v : Number(v)));
    return new Box(dec(json.low), dec(json.high), json.shape, json.dtype);
  }
  throw new TypeError(`spaceFromJSON: unknown space ${JSON.stringify(json)}`);
}

/** Whether `s` is a `Box` (also for boxes made by another copy of this module). */
export function isBox(s: unknown): s is Box {
  return s instanceof Box || (typeof s === 'object' && s !== null && (s as Box).kind === 'box' && (s as Box).low instanceof Float64Array);
}

/** Whether `s` is a `Discrete`. */
export function isDiscrete(s: unknown): s is Discrete {
  return s instanceof Discrete || (typeof s === 'object' && s !== null && (s as Discrete).kind === 'discrete' && typeof (s as Discrete).n === 'number');
}

/** Length of one action in a flat action batch: `size` for a Box, 1 for a Discrete. */
export function actionDim(space: Space): number {
  if (isBox(space)) return space.size;
  if (isDiscrete(space)) return 1;
  throw new TypeError(`unsupported action space ${String(space)}`);
}

function isNumericArray(x: unknown): x is ArrayLike<unknown> {
  return (
    Array.isArray(x) ||
    x instanceof Float64Array ||
    x instanceof Float32Array ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array))
  );
}
