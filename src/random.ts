/**
 * A small seeded random generator shared by the whole package (weight init, action sampling,
 * environment resets, minibatch shuffles), so that a seed fixes every random choice and the
 * native and JS backends see exactly the same random numbers.
 *
 * Generator: xoshiro128** (Blackman & Vigna), state seeded by splitmix32 from one integer.
 * It is not numpy's generator: seeds give the same streams across runs and platforms of this
 * package, not the same numbers as Python.
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Second Box-Muller value, kept so a pair of normals costs one log/sqrt. */
  private spareNormal: number | null = null;

  /**
   * @param seed Any finite number (default: the current time in ms); the same seed gives the same stream.
   * @throws TypeError when seed is not a finite number.
   */
  constructor(seed: number = Date.now()) {
    this.seed(seed);
  }

  /** Re-seed from an integer (any finite number; the fractional part is ignored). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) {
      throw new TypeError(`seed: expected a finite number, got ${String(seed)}`);
    }
    // Fold the seed to 32 bits, keeping the high bits of large seeds.
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** A double uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A double uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A standard normal sample (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** An integer uniform in [0, n), without modulo bias. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`n: expected an integer in [1, 2^32], got ${String(n)}`);
    }
    if (n === 4294967296) return this.nextUint32();
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffle `array` in place (Fisher-Yates) and return it. */
  shuffle<T extends {
    /** The number of elements shuffled. */
    length: number;
    [i: number]: number;
  }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** The full generator state, for save/resume. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal ?? Number.NaN];
  }

  /** Restore a state from `getState()`. */
  setState(state: readonly number[]): void {
    if (!Array.isArray(state) || state.length !== 5 || state.slice(0, 4).some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff)) {
      throw new TypeError('state: expected the 5-number array returned by Random.getState()');
    }
    [this.s0, this.s1, this.s2, this.s3] = state as number[];
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
