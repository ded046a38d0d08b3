import { envName, type AnyEnv, type AnyObservation } from './env.js';
import { packObservation } from './flatten.js';
import { isBox, isLeafSpace, isObservationSpace, type ObservationSpace } from './spaces.js';
import { assertValidObservation, assertValidStepFields, formatValue } from './validation.js';

/** What `checkEnv` found. */
export interface CheckEnvReport {
  /** API violations: the env will not work with the vector envs or trainers. */
  errors: string[];
  /** Likely problems that do not break the API. */
  warnings: string[];
}

/** Options of `checkEnv`. */
export interface CheckEnvOptions {
  /** Throw an Error listing the errors, if any (default true). */
  throwOnError?: boolean;
  /** Random steps to try (default 50). */
  steps?: number;
  /** Print warnings with console.warn (default false). */
  warn?: boolean;
}

/**
 * Check that `env` follows the `Env` API (like SB3's `check_env`), reporting mistakes in plain
 * words: spaces of the right kinds, `reset`/`step` results of the right shapes and types, finite
 * values, seeding that makes `reset({ seed })` reproducible, `getState`/`setState` that replay a
 * step exactly, and observations that are fresh arrays. It calls `reset` and `step` on `env`.
 */
export function checkEnv(env: AnyEnv, options: CheckEnvOptions = {}): CheckEnvReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const name = typeof env === 'object' && env !== null ? envName(env) : 'env';
  const report = (): CheckEnvReport => {
    if (options.warn) for (const w of warnings) console.warn(`checkEnv: ${w}`);
    if (errors.length > 0 && (options.throwOnError ?? true)) {
      throw new Error(`checkEnv(${name}) found ${errors.length} problem(s):\n- ${errors.join('\n- ')}`);
    }
    return { errors, warnings };
  };
  if (typeof env !== 'object' || env === null) {
    errors.push(`expected an env object, got ${formatValue(env)}`);
    return report();
  }

  for (const m of ['reset', 'step', 'close'] as const) {
    if (typeof env[m] !== 'function') errors.push(`the env has no ${m}() method`);
  }
  const obsSpace = env.observationSpace;
  const actSpace = env.actionSpace;
  if (!isObservationSpace(obsSpace)) {
    errors.push(`observationSpace must be a Box (e.g. new Box(-Infinity, Infinity, [n])), Discrete, MultiDiscrete, MultiBinary or a Dict of them, got ${formatValue(obsSpace)}`);
  }
  if (!isLeafSpace(actSpace)) errors.push(`actionSpace must be a Box, Discrete, MultiDiscrete or MultiBinary, got ${formatValue(actSpace)}`);
  if (errors.length > 0) return report();

  if (isBox(actSpace)) {
    if (actSpace.low.some((v) => !Number.isFinite(v)) || actSpace.high.some((v) => !Number.isFinite(v))) {
      warnings.push(`actionSpace ${String(actSpace)} has infinite bounds; Gaussian policies are usually trained on a bounded, normalized box such as [-1, 1]`);
    } else if (actSpace.low.some((v, i) => v !== -actSpace.high[i])) {
      warnings.push(`actionSpace ${String(actSpace)} is not symmetric; consider rescaling actions to [-1, 1]`);
    }
  }
  const space: ObservationSpace = obsSpace;
  /** The observation in the packed form, for comparisons (a copy, so later mutation of the env's array shows). */
  const packed = (o: unknown): Float64Array => packObservation(space, o);
  const check = (what: string, f: () => void): boolean => {
    try {
      f();
      return true;
    } catch (e) {
      errors.push(`${what}: ${(e as Error).message}`);
      return false;
    }
  };
  const checkObs = (what: string, obs: unknown, step: number): boolean =>
    check(what, () => assertValidObservation(name, step, what, obs, space));
  let outsideWarned = false;
  const warnOutside = (what: string, obs: AnyObservation): void => {
    if (!outsideWarned && !obsSpace.contains(obs)) {
      outsideWarned = true;
      warnings.push(`${what} ${formatValue(obs)} is outside observationSpace ${String(obsSpace)}`);
    }
  };

  // reset: result shape and seeding.
  let first: AnyObservation | undefined;
  const okReset = check('reset({ seed: 0 })', () => {
    const r = env.reset({ seed: 0 });
    if (typeof r !== 'object' || r === null || !('observation' in r) || !('info' in r)) {
      throw new TypeError(`must return { observation, info }, got ${formatValue(r)}`);
    }
    if (typeof r.info !== 'object' || r.info === null) throw new TypeError(`info must be an object, got ${formatValue(r.info)}`);
    first = r.observation;
  });
  if (!okReset || !checkObs('reset observation', first, 0)) return report();
  const firstCopy = packed(first!);
  warnOutside('reset observation', first!);
  check('reset({ seed: 0 }) twice', () => {
    const again: AnyObservation = env.reset({ seed: 0 }).observation;
    if (typeof again === 'object' && again === first) warnings.push('reset() returned the same array object twice; return a fresh array (callers may keep observations)');
    assertValidObservation(name, 0, 'observation', again, space);
    const againPacked = packed(again);
    if (againPacked.some((v, i) => v !== firstCopy[i])) {
      throw new Error(`gave ${formatValue(again)} after ${formatValue(isBox(space) ? firstCopy : first)}; reset must reseed the env's generator when given a seed`);
    }
  });
  check('reset() without arguments', () => void env.reset());

  // Random steps.
  actSpace.seed(0);
  const steps = options.steps ?? 50;
  let prevObs: AnyObservation | undefined;
  for (let t = 0; t < steps && errors.length === 0; t++) {
    const action = actSpace.sample();
    let r: ReturnType<AnyEnv['step']> | undefined;
    if (!check(`step(${formatValue(action)})`, () => void (r = env.step(action)))) break;
    if (typeof r !== 'object' || r === null) {
      errors.push(`step() must return { observation, reward, terminated, truncated, info }, got ${formatValue(r)}`);
      break;
    }
    if (!checkObs('step observation', r.observation, t)) break;
    if (!check('step result', () => assertValidStepFields(name, t, r!))) break;
    if (prevObs !== undefined && typeof prevObs === 'object' && r.observation === prevObs) {
      warnings.push('step() returned the same array object as the previous call; return a fresh array (callers may keep observations)');
    }
    warnOutside('step observation', r.observation);
    prevObs = r.observation;
    if (r.terminated || r.truncated) {
      if (!check('reset() after the episode ended', () => void (prevObs = env.reset().observation))) break;
    }
  }

  // Exact replay through getState/setState.
  const hasGet = typeof env.getState === 'function';
  const hasSet = typeof env.setState === 'function';
  if (hasGet !== hasSet) {
    errors.push(`the env has ${hasGet ? 'getState() but no setState()' : 'setState() but no getState()'}; implement both or neither`);
  } else if (!hasGet) {
    warnings.push('the env has no getState()/setState(); exact replays and checkpoints of env state are unavailable');
  } else if (errors.length === 0) {
    check('getState()/setState() replay', () => {
      env.reset({ seed: 1 });
      const state = env.getState!();
      const text = JSON.stringify(state);
      if (text === undefined) throw new Error('getState() must return plain JSON-able data');
      const action = actSpace.sample();
      const a = env.step(action);
      env.setState!(JSON.parse(text));
      const b = env.step(action);
      const pa = packed(a.observation);
      const pb = packed(b.observation);
      if (a.reward !== b.reward || pa.some((v, i) => !Object.is(v, pb[i]))) {
        throw new Error(`after setState(getState()) the same action gave observation ${formatValue(b.observation)} and reward ${b.reward}, not ${formatValue(a.observation)} and ${a.reward}`);
      }
    });
  }
  return report();
}
