import { Random } from '../random.js';

/**
 * A fresh 32-bit seed from the platform's entropy, for generators the user has not seeded.
 * (`Random`'s own default, `Date.now()`, would give every env made in the same millisecond
 * the same stream.)
 */
export function entropySeed(): number {
  // Web Crypto: in Node >= 19 and every browser, with no Node built-in import.
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

/** A `Random` seeded with `seed`, or from entropy when `seed` is undefined. */
export function makeRandom(seed?: number): Random {
  return new Random(seed ?? entropySeed());
}

/** Check a user-supplied seed and return it (undefined passes through). */
export function checkSeed(seed: unknown, where: string): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new TypeError(`${where}: seed must be an integer, got ${String(seed)}`);
  }
  return seed;
}
