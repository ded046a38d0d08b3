/** Argument checks shared by the space constructors: each error names the space, the argument, what was expected and what was given. */
import { describe } from '../validate.js';

export { describe };

/** Whether `x` is an array or a typed array of numbers (not a DataView or BigInt array). */
export function isNumericArray(x: unknown): x is ArrayLike<unknown> {
  return (
    Array.isArray(x) ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array))
  );
}

/** Whether `x` is a plain options object (not an array, typed array or null). */
export function isOptionsObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Throw a TypeError naming `where` unless `o` has only the `known` keys. */
export function onlyKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new TypeError(`${where}: unknown option ${JSON.stringify(k)} (expected ${known.join(', ')})`);
  }
}

/** A non-empty array of integers, each checked by `ok`; `each` says what an entry must be ("a positive integer"). */
export function integerList(value: unknown, where: string, each: string, ok: (x: number) => boolean): number[] {
  if (!isNumericArray(value) || value.length === 0) {
    throw new TypeError(`${where}: expected a non-empty array whose entries are each ${each}, got ${describe(value)}`);
  }
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || !ok(x)) {
      throw new (typeof x === 'number' ? RangeError : TypeError)(`${where}[${i}]: expected ${each}, got ${describe(x)}`);
    }
    out.push(x);
  }
  return out;
}
