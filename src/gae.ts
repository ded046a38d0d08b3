/**
 * Generalized Advantage Estimation (Schulman et al., 2016) over a time-major rollout of nEnvs
 * parallel environments, with Gymnasium's terminated/truncated distinction.
 */

/** Any array of numbers: a TypedArray or a plain array. */
export type NumericArray = ArrayLike<number>;
/** Per-step flags: booleans, or numbers where non-zero means true (e.g. a Uint8Array of 0/1). */
export type FlagArray = ArrayLike<number | boolean>;

/** The rollout computeGae works on: n = nSteps × nEnvs steps, time-major; every array has length n. */
export interface GaeInput {
  /** r_i, time-major: index t * nEnvs + e. */
  rewards: NumericArray;
  /** V(s_i) of the state where step i was taken. */
  values: NumericArray;
  /**
   * V(s_{i+1}) of the state reached by step i. For a truncated step, the value of the final
   * observation (before the reset); for a terminated step it is ignored (and may be any number,
   * NaN included).
   */
  nextValues: NumericArray;
  /** Step i reached a terminal state (no bootstrap). Booleans, or numbers 0/1. */
  terminated: FlagArray;
  /** Step i was cut by a time limit (bootstrap from nextValues, but the episode ends). */
  truncated: FlagArray;
  /** Discount, in [0, 1]. */
  gamma: number;
  /** GAE lambda, in [0, 1]. */
  lambda: number;
  /** Number of parallel environments (default 1); the length must be a multiple of it. */
  nEnvs?: number;
}

/** computeGae's output, n values each, in the input's time-major order. */
export interface GaeResult {
  /** The GAE(γ, λ) advantage Â_i of each step (not normalized). */
  advantages: Float64Array;
  /** advantages + values (the value-function targets). */
  returns: Float64Array;
}

/**
 * delta_i = r_i + gamma * (terminated_i ? 0 : nextValues_i) - values_i, and backwards per env
 * A_i = delta_i + gamma * lambda * (done_i ? 0 : A_{i + nEnvs}) with done = terminated || truncated;
 * the last time step of the batch has no successor (A = delta). returns = A + values.
 * @throws TypeError naming the field for a missing array or a non-number entry; RangeError naming it
 * for a length that differs from rewards', a length not a multiple of nEnvs, gamma or lambda outside
 * [0, 1], or a non-finite reward or value (nextValues of terminated steps excepted).
 * @example
 * ```ts
 * const { advantages, returns } = computeGae({ rewards, values, nextValues, terminated, truncated, gamma: 0.99, lambda: 0.95, nEnvs: 2 });
 * ```
 */
export function computeGae(input: GaeInput): GaeResult {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('input: expected { rewards, values, nextValues, terminated, truncated, gamma, lambda, nEnvs? }');
  }
  const { rewards, values, nextValues, terminated, truncated, gamma, lambda } = input;
  const nEnvs = input.nEnvs ?? 1;
  if (typeof nEnvs !== 'number' || !Number.isInteger(nEnvs) || nEnvs <= 0) {
    throw new RangeError(`nEnvs: expected a positive integer, got ${String(nEnvs)}`);
  }
  checkUnit('gamma', gamma);
  checkUnit('lambda', lambda);
  const len = checkArrayLike('rewards', rewards);
  for (const [name, arr] of [
    ['values', values],
    ['nextValues', nextValues],
    ['terminated', terminated],
    ['truncated', truncated],
  ] as const) {
    const l = checkArrayLike(name, arr);
    if (l !== len) throw new RangeError(`${name}: expected length ${len} (the length of rewards), got ${l}`);
  }
  if (len % nEnvs !== 0) throw new RangeError(`rewards: length ${len} is not a multiple of nEnvs (${nEnvs})`);

  const term = new Uint8Array(len);
  const done = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    term[i] = flag('terminated', terminated, i);
    done[i] = term[i] | flag('truncated', truncated, i);
  }
  checkFinite('rewards', rewards, null);
  checkFinite('values', values, null);
  checkFinite('nextValues', nextValues, term);

  const advantages = new Float64Array(len);
  const returns = new Float64Array(len);
  const gl = gamma * lambda;
  for (let e = 0; e < nEnvs; e++) {
    let next = 0; // A_{i + nEnvs}; 0 past the end of the batch
    for (let i = len - nEnvs + e; i >= 0; i -= nEnvs) {
      const bootstrap = term[i] ? 0 : nextValues[i];
      const delta = rewards[i] + gamma * bootstrap - values[i];
      const a = delta + gl * (done[i] ? 0 : next);
      advantages[i] = a;
      returns[i] = a + values[i];
      next = a;
    }
  }
  return { advantages, returns };
}

function checkUnit(name: string, x: unknown): void {
  if (typeof x !== 'number') throw new TypeError(`${name}: expected a number in [0, 1], got ${typeof x}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name}: expected a number in [0, 1], got ${String(x)}`);
}

function checkArrayLike(name: string, arr: unknown): number {
  if (arr === null || typeof arr !== 'object' || typeof (arr as { length?: unknown }).length !== 'number') {
    throw new TypeError(`${name}: expected an array or typed array`);
  }
  return (arr as ArrayLike<unknown>).length;
}

/** Finite check; entries where skip[i] is set are not read into the result and not checked. */
function checkFinite(name: string, arr: NumericArray, skip: Uint8Array | null): void {
  for (let i = 0; i < arr.length; i++) {
    if (skip !== null && skip[i]) continue;
    const x = arr[i];
    if (typeof x !== 'number') throw new TypeError(`${name}[${i}]: expected a number, got ${typeof x}`);
    if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}]: expected a finite number, got ${String(x)}`);
  }
}

function flag(name: string, arr: FlagArray, i: number): 0 | 1 {
  const x = arr[i];
  if (x === true || x === 1) return 1;
  if (x === false || x === 0) return 0;
  if (typeof x === 'number' || typeof x === 'boolean') {
    throw new RangeError(`${name}[${i}]: expected a boolean or 0/1, got ${String(x)}`);
  }
  throw new TypeError(`${name}[${i}]: expected a boolean or 0/1, got ${typeof x}`);
}
