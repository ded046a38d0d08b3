/** Argument checks shared by the public API: clear TypeError/RangeError naming the argument. */
import type { FloatArray, IndexArray } from './core/types.js';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

export function floatArray(value: unknown, name: string): FloatArray {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a Float32Array or Float64Array, got ${describe(value)}`);
  }
  return value;
}

export function float64Array(value: unknown, name: string, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) throw new TypeError(`${name}: expected a Float64Array, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name}: expected length ${length}, got ${value.length}`);
  }
  return value;
}

export function finite(array: ArrayLike<number>, name: string): void {
  for (let i = 0; i < array.length; i++) {
    const x = array[i];
    if (!Number.isFinite(x)) throw new RangeError(`${name}: element ${i} is ${x} (expected a finite number)`);
  }
}

/** Number of rows of a flat (n x dim) array; checks it is non-empty and finite. */
export function rowsOf(array: FloatArray, dim: number, name: string): number {
  if (array.length === 0 || array.length % dim !== 0) {
    throw new RangeError(`${name}: length ${array.length} is not a positive multiple of ${dim}`);
  }
  finite(array, name);
  return array.length / dim;
}

export function floatRows(value: unknown, dim: number, name: string, rows?: number): FloatArray {
  const a = floatArray(value, name);
  if (rows !== undefined && a.length !== rows * dim) {
    throw new RangeError(`${name}: expected ${rows} rows of ${dim} (length ${rows * dim}), got length ${a.length}`);
  }
  rowsOf(a, dim, name);
  return a;
}

export function indexArray(value: unknown, name: string, n: number, nActions: number): IndexArray {
  if (!(value instanceof Int32Array) && !(value instanceof Uint32Array)) {
    throw new TypeError(`${name}: expected an Int32Array or Uint32Array of action indices, got ${describe(value)}`);
  }
  if (value.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${value.length}`);
  for (let i = 0; i < n; i++) {
    if (value[i] < 0 || value[i] >= nActions) {
      throw new RangeError(`${name}: index ${value[i]} at position ${i} is outside [0, ${nActions})`);
    }
  }
  return value;
}

/** n x nvec.length indices, component c in [0, nvec[c]). */
export function multiIndexArray(value: unknown, name: string, n: number, nvec: readonly number[]): IndexArray {
  if (!(value instanceof Int32Array) && !(value instanceof Uint32Array)) {
    throw new TypeError(`${name}: expected an Int32Array or Uint32Array of action indices (n x ${nvec.length}), got ${describe(value)}`);
  }
  const m = nvec.length;
  if (value.length !== n * m) throw new RangeError(`${name}: expected ${n} rows of ${m} (length ${n * m}), got length ${value.length}`);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      const x = value[i * m + c];
      if (x < 0 || x >= nvec[c]) throw new RangeError(`${name}: component ${c} of sample ${i} is ${x}, outside [0, ${nvec[c]}) (nvec[${c}] = ${nvec[c]})`);
    }
  }
  return value;
}

/** n x dim entries, each exactly 0 or 1, in a Float32/Float64/Int32/Uint32Array. */
export function binaryArray(value: unknown, name: string, n: number, dim: number): FloatArray | IndexArray {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array) && !(value instanceof Int32Array) && !(value instanceof Uint32Array)) {
    throw new TypeError(`${name}: expected a Float32Array, Float64Array, Int32Array or Uint32Array of 0/1 entries, got ${describe(value)}`);
  }
  if (value.length !== n * dim) throw new RangeError(`${name}: expected ${n} rows of ${dim} (length ${n * dim}), got length ${value.length}`);
  for (let t = 0; t < value.length; t++) {
    const x = value[t];
    if (x !== 0 && x !== 1) throw new RangeError(`${name}: entry ${t % dim} of sample ${Math.floor(t / dim)} is ${x}, expected 0 or 1`);
  }
  return value;
}

export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: expected a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function numberIn(value: unknown, name: string, min: number, max: number, opts: { minOpen?: boolean; maxOpen?: boolean } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) &&
    (opts.minOpen ? value > min : value >= min) && (opts.maxOpen ? value < max : value <= max);
  if (!ok) {
    const lo = opts.minOpen ? '(' : '[';
    const hi = opts.maxOpen ? ')' : ']';
    throw new RangeError(`${name}: expected a number in ${lo}${min}, ${max}${hi}, got ${describe(value)}`);
  }
  return value as number;
}

export function object(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${name}: expected an options object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Throws when `options` has keys outside `known` (catches typos like `maxkl`). */
export function knownKeys(options: Record<string, unknown>, known: readonly string[], name: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RangeError(`${name}: unknown option '${key}' (expected one of ${known.join(', ')})`);
    }
  }
}

export function hiddenSizes(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) throw new TypeError(`${name}: expected an array of positive integers, got ${describe(value)}`);
  value.forEach((w, i) => positiveInteger(w, `${name}[${i}]`));
  return [...value] as number[];
}
