/**
 * Checks shared by `BaseEnv` and the `EnvGuard` wrapper. Every message names the env, the step
 * index (0-based, counted from the last reset) and the offending value, e.g.
 * `CartPole-v1 step 12: action 3 is outside Discrete(2)`.
 */
import { isBox, isDict, isDiscrete, isMultiBinary, isMultiDiscrete, type Discrete, type MultiBinary, type MultiDiscrete, type Space } from './spaces.js';

/** Where an env is in its episode. */
export type EpisodeStatus = 'needs-reset' | 'running' | 'terminated' | 'truncated';

/** Short printable form of a value for error messages. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array || v instanceof Int8Array || v instanceof Uint8Array || Array.isArray(v)) {
    const items = Array.from(v as ArrayLike<unknown>).slice(0, 8).map(formatValue);
    const more = v.length > 8 ? `, … (${v.length} values)` : '';
    const kind = Array.isArray(v) ? '' : `${v.constructor.name} `;
    return `${kind}[${items.join(', ')}${more}]`;
  }
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const entries = Object.entries(v as Record<string, unknown>).slice(0, 8).map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && !Array.isArray(x) ? '{…}' : formatValue(x)}`);
    return `{ ${entries.join(', ')} }`;
  }
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return String(v);
}

/** Throw unless the env may be stepped now. */
export function assertCanStep(name: string, step: number, status: EpisodeStatus): void {
  if (status === 'needs-reset') {
    throw new Error(`${name} step ${step}: step() called before reset(); call reset() first`);
  }
  if (status === 'terminated' || status === 'truncated') {
    throw new Error(
      `${name} step ${step}: step() called after the episode was ${status} at step ${step - 1}; call reset() to start a new episode`,
    );
  }
}

/**
 * Throw a TypeError (wrong kind) or RangeError (wrong length, non-finite or out of range) unless `action`
 * is a valid action for `space`. Box actions are only checked for shape and finiteness: values
 * outside [low, high] are clipped by the envs, as in Gymnasium.
 */
export function assertValidAction(name: string, step: number, space: Space, action: unknown): void {
  const at = `${name} step ${step}`;
  if (isDiscrete(space)) {
    if (typeof action !== 'number') {
      throw new TypeError(`${at}: action must be an integer for ${String(space)}, got ${formatValue(action)}`);
    }
    if (!space.contains(action)) throw new RangeError(`${at}: action ${formatValue(action)} is outside ${String(space)}`);
    return;
  }
  if (isBox(space)) {
    if (!(action instanceof Float64Array || action instanceof Float32Array || Array.isArray(action))) {
      throw new TypeError(`${at}: action must be a Float64Array of length ${space.size} for ${String(space)}, got ${formatValue(action)}`);
    }
    if (action.length !== space.size) {
      throw new RangeError(`${at}: action ${formatValue(action)} has length ${action.length}, expected ${space.size} for ${String(space)}`);
    }
    for (let i = 0; i < action.length; i++) {
      const v = action[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`${at}: action[${i}] is ${formatValue(v)}; actions must be finite (action ${formatValue(action)})`);
      }
    }
    return;
  }
  if (isMultiDiscrete(space) || isMultiBinary(space)) {
    assertIntegerVector(at, 'action', space, action);
    return;
  }
  throw new TypeError(`${at}: unsupported action space ${String(space)}`);
}

function isIntegerVectorLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || x instanceof Int32Array || x instanceof Int8Array || x instanceof Uint8Array || x instanceof Int16Array ||
    x instanceof Uint16Array || x instanceof Uint32Array || x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Check a MultiDiscrete / MultiBinary value `x` named `what`: a TypeError for a wrong kind or
 * length, a RangeError for a component out of range / a bit other than 0 or 1.
 */
function assertIntegerVector(at: string, what: string, space: MultiDiscrete | MultiBinary, x: unknown): void {
  const kind = isMultiBinary(space) ? 'Int8Array' : 'Int32Array';
  if (!isIntegerVectorLike(x)) throw new TypeError(`${at}: ${what} must be an ${kind} of length ${space.size} for ${String(space)}, got ${formatValue(x)}`);
  if (x.length !== space.size) throw new TypeError(`${at}: ${what} ${formatValue(x)} has length ${x.length}, expected ${space.size} for ${String(space)}`);
  for (let i = 0; i < space.size; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new TypeError(`${at}: ${what}[${i}] must be a number, got ${formatValue(v)}`);
    if (isMultiBinary(space)) {
      if (v !== 0 && v !== 1) throw new RangeError(`${at}: ${what}[${i}] is ${formatValue(v)}, expected 0 or 1 (${String(space)}; ${what} ${formatValue(x)})`);
    } else {
      const lo = space.start[i];
      const hi = lo + space.nvec[i];
      if (!Number.isInteger(v) || v < lo || v >= hi) {
        throw new RangeError(`${at}: ${what}[${i}] is ${formatValue(v)}, outside component ${i}'s values [${lo}, ${hi}) of ${String(space)} (${what} ${formatValue(x)})`);
      }
    }
  }
}

function assertBoxValue(at: string, what: string, obs: unknown, size: number): void {
  if (!(obs instanceof Float64Array || obs instanceof Float32Array)) {
    throw new TypeError(`${at}: ${what} must be a Float64Array or Float32Array, got ${formatValue(obs)}`);
  }
  if (obs.length !== size) {
    throw new TypeError(`${at}: ${what} has length ${obs.length}, expected ${size} (the observation space's size)`);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(obs[i])) {
      throw new RangeError(`${at}: the env returned a non-finite ${what}: ${what}[${i}] is ${formatValue(obs[i])} in ${formatValue(obs)}`);
    }
  }
}

function assertDiscreteValue(at: string, what: string, obs: unknown, space: Discrete): void {
  if (typeof obs !== 'number') throw new TypeError(`${at}: ${what} must be an integer of ${String(space)}, got ${formatValue(obs)}`);
  if (!space.contains(obs)) throw new RangeError(`${at}: ${what} ${formatValue(obs)} is outside ${String(space)} (expected an integer in [${space.start}, ${space.start + space.n}))`);
}

/**
 * Throw unless `obs` is a valid observation. With a number `spaceOrSize`: a finite
 * Float64Array/Float32Array of that length (a Box). With a space: a Box value as above, a
 * Discrete integer in range, a MultiDiscrete / MultiBinary vector in range, or a Dict object with
 * exactly its keys, each checked against its subspace (messages name the key: `observation.pos`).
 * TypeError for a wrong kind, length or a missing/unknown key; RangeError for a value out of range.
 */
export function assertValidObservation(name: string, step: number, what: string, obs: unknown, spaceOrSize: number | Space): void {
  assertObservationIn(`${name} step ${step}`, what, obs, spaceOrSize);
}

/** `assertValidObservation` with the message prefix `at` (e.g. "TRPO.predict") instead of "<env> step <t>". */
export function assertObservationIn(at: string, what: string, obs: unknown, spaceOrSize: number | Space): void {
  if (typeof spaceOrSize === 'number') return assertBoxValue(at, what, obs, spaceOrSize);
  const space = spaceOrSize;
  if (isBox(space)) return assertBoxValue(at, what, obs, space.size);
  if (isDiscrete(space)) return assertDiscreteValue(at, what, obs, space);
  if (isMultiDiscrete(space) || isMultiBinary(space)) return assertIntegerVector(at, what, space, obs);
  if (isDict(space)) {
    if (typeof obs !== 'object' || obs === null || Array.isArray(obs) || ArrayBuffer.isView(obs)) {
      throw new TypeError(`${at}: ${what} must be an object with keys ${space.keys.map((k) => JSON.stringify(k)).join(', ')} for ${String(space)}, got ${formatValue(obs)}`);
    }
    for (const k of space.keys) {
      if (!Object.prototype.hasOwnProperty.call(obs, k)) {
        throw new TypeError(`${at}: ${what} is missing key ${JSON.stringify(k)} (expected keys ${space.keys.map((x) => JSON.stringify(x)).join(', ')} of ${String(space)}; got keys ${Object.keys(obs).map((x) => JSON.stringify(x)).join(', ') || 'none'})`);
      }
    }
    for (const k of Object.keys(obs)) {
      if (!space.keys.includes(k)) throw new TypeError(`${at}: ${what} has the unknown key ${JSON.stringify(k)} (expected keys ${space.keys.map((x) => JSON.stringify(x)).join(', ')} of ${String(space)})`);
    }
    for (const k of space.keys) assertObservationIn(at, `${what}.${k}`, (obs as Record<string, unknown>)[k], space.spaces[k]);
    return;
  }
  throw new TypeError(`${at}: unsupported observation space ${String(space)}`);
}

/** Throw unless the rest of a step result (reward, flags, info) is well formed. */
export function assertValidStepFields(name: string, step: number, r: { reward: unknown; terminated: unknown; truncated: unknown; info: unknown }): void {
  const at = `${name} step ${step}`;
  if (typeof r.reward !== 'number') throw new TypeError(`${at}: reward must be a number, got ${formatValue(r.reward)}`);
  if (!Number.isFinite(r.reward)) throw new RangeError(`${at}: the env returned a non-finite reward ${formatValue(r.reward)}`);
  if (typeof r.terminated !== 'boolean') throw new TypeError(`${at}: terminated must be a boolean, got ${formatValue(r.terminated)}`);
  if (typeof r.truncated !== 'boolean') throw new TypeError(`${at}: truncated must be a boolean, got ${formatValue(r.truncated)}`);
  if (typeof r.info !== 'object' || r.info === null || Array.isArray(r.info)) {
    throw new TypeError(`${at}: info must be a plain object, got ${formatValue(r.info)}`);
  }
}

/** Re-throw `e` with `prefix` added to its message, keeping TypeError/RangeError classes. */
export function rethrowWithPrefix(e: unknown, prefix: string): never {
  if (e instanceof TypeError) throw new TypeError(prefix + e.message, { cause: e });
  if (e instanceof RangeError) throw new RangeError(prefix + e.message, { cause: e });
  if (e instanceof Error) throw new Error(prefix + e.message, { cause: e });
  throw e;
}
