/**
 * The env registry (`register`, `make`, ...) with the classic-control envs and PointMass1D-v0
 * (no Node built-ins: the browser entry's). ./registry.ts adds the MuJoCo and Box2D envs.
 */
import { AcrobotEnv } from './classic/acrobot.js';
import { CartPoleEnv } from './classic/cartpole.js';
import { MountainCarContinuousEnv } from './classic/mountain-car-continuous.js';
import { MountainCarEnv } from './classic/mountain-car.js';
import { PendulumEnv } from './classic/pendulum.js';
import type { AnyEnv } from './env.js';
import { instantiate, type EnvFactory } from './factory.js';
import { PointMass1DEnv } from './point-mass.js';
import { EnvGuard } from './wrappers/env-guard.js';
import { RecordEpisodeStatistics } from './wrappers/episode-statistics.js';
import { TimeLimit } from './wrappers/time-limit.js';
import type { Wrapper } from './wrappers/wrapper.js';

/** A registered env. */
export interface EnvSpec {
  /** The registered id, e.g. 'CartPole-v1'. */
  id: string;
  /** Builds a new env from `MakeOptions.envOptions`. */
  factory: EnvFactory;
  /** Default time limit added by `make` (none when undefined). */
  maxEpisodeSteps?: number;
  /**
   * Asynchronous preparation needed before the synchronous `make` works (e.g. loading the MuJoCo
   * WASM engine). `makeAsync`, `prepareEnv`, `makeVecEnv` and the worker envs await it.
   */
  prepare?: () => Promise<unknown>;
}

/** Options of `register`. */
export interface RegisterOptions {
  /** Default time limit that `make` adds with a TimeLimit wrapper (a positive integer; none when omitted). */
  maxEpisodeSteps?: number;
  /** Replace an existing registration instead of throwing. */
  overwrite?: boolean;
  /** Asynchronous preparation before `make` (see `EnvSpec.prepare`). */
  prepare?: () => Promise<unknown>;
}

/** Options of `make`. */
export interface MakeOptions {
  /** Passed to the env's constructor/factory (e.g. `{ g: 9.81 }` for Pendulum-v1). */
  envOptions?: Record<string, unknown>;
  /** Override the registered time limit; `null` removes it. */
  maxEpisodeSteps?: number | null;
  /** Wrap in `RecordEpisodeStatistics` (default false). */
  recordEpisodeStatistics?: boolean;
}

const registry = new Map<string, EnvSpec>();

/**
 * Register an env under `id` so `make(id)` and the vector envs can build it. `factory` is an
 * env class or a function `(options) => env`.
 * @throws TypeError for an empty id, a factory that is not a function or a prepare that is not one;
 * RangeError for a maxEpisodeSteps that is not a positive integer; Error when `id` is taken and
 * `overwrite` is not set.
 */
export function register(id: string, factory: EnvFactory, options: RegisterOptions = {}): void {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError(`register: id must be a non-empty string, got ${String(id)}`);
  if (typeof factory !== 'function') throw new TypeError(`register(${id}): factory must be an env class or a function, got ${String(factory)}`);
  if (registry.has(id) && !options.overwrite) {
    throw new Error(`register: ${id} is already registered (pass { overwrite: true } to replace it)`);
  }
  const m = options.maxEpisodeSteps;
  if (m !== undefined && (!Number.isInteger(m) || m <= 0)) {
    throw new RangeError(`register(${id}): maxEpisodeSteps must be a positive integer, got ${String(m)}`);
  }
  if (options.prepare !== undefined && typeof options.prepare !== 'function') {
    throw new TypeError(`register(${id}): prepare must be a function returning a Promise, got ${String(options.prepare)}`);
  }
  registry.set(id, { id, factory, maxEpisodeSteps: m, prepare: options.prepare });
}

/** Registered env ids, sorted. */
export function listEnvs(): string[] {
  return [...registry.keys()].sort();
}

/** The registration of `id`, if any. */
export function getEnvSpec(id: string): EnvSpec | undefined {
  return registry.get(id);
}

/**
 * Build a registered env: the env, then `TimeLimit` (registered or given limit), then `EnvGuard`
 * (API and input checks naming `id`), then optionally `RecordEpisodeStatistics`.
 * @throws Error for an unknown id (listing the registered ones) or a MuJoCo env before
 * `prepareEnv`/`loadMujoco` (use `makeAsync`); the env constructor's TypeError/RangeError for bad
 * envOptions.
 * @example
 * ```ts
 * const env = make('CartPole-v1');                   // TimeLimit(500) + checks
 * const { observation } = env.reset({ seed: 0 });    // Float64Array(4)
 * const { reward, terminated, truncated } = env.step(1);
 * ```
 */
export function make(id: string, options: MakeOptions = {}): Wrapper {
  const spec = registry.get(id);
  if (!spec) {
    throw new Error(`make: unknown env id ${JSON.stringify(id)}; registered ids: ${listEnvs().join(', ')}`);
  }
  return wrapEnv(instantiate(spec.factory, options.envOptions, `make(${id})`), id, options.maxEpisodeSteps === undefined ? spec.maxEpisodeSteps : options.maxEpisodeSteps, options.recordEpisodeStatistics);
}

/**
 * Run the asynchronous preparation a registered env needs before `make` (for MuJoCo envs: load
 * the WASM engine once per thread). Resolves at once for envs that need none.
 */
export async function prepareEnv(id: string): Promise<void> {
  const spec = registry.get(id);
  if (!spec) make(id); // throws the "unknown env id" error
  await spec?.prepare?.();
}

/** `make` after `prepareEnv`: works for every registered env, including the MuJoCo ones. */
export async function makeAsync(id: string, options: MakeOptions = {}): Promise<Wrapper> {
  await prepareEnv(id);
  return make(id, options);
}

/** Apply make's standard wrappers to an env. */
export function wrapEnv(env: AnyEnv, name: string, maxEpisodeSteps?: number | null, recordEpisodeStatistics = false): Wrapper {
  let out: AnyEnv = env;
  if (maxEpisodeSteps !== undefined && maxEpisodeSteps !== null) out = new TimeLimit(out, maxEpisodeSteps);
  let w: Wrapper = new EnvGuard(out, name);
  if (recordEpisodeStatistics) w = new RecordEpisodeStatistics(w);
  return w;
}

register('CartPole-v1', CartPoleEnv, { maxEpisodeSteps: 500 });
register('Acrobot-v1', AcrobotEnv, { maxEpisodeSteps: 500 });
register('MountainCar-v0', MountainCarEnv, { maxEpisodeSteps: 200 });
register('MountainCarContinuous-v0', MountainCarContinuousEnv, { maxEpisodeSteps: 999 });
register('Pendulum-v1', PendulumEnv, { maxEpisodeSteps: 200 });
register('PointMass1D-v0', PointMass1DEnv, { maxEpisodeSteps: 150 });
