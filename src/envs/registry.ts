import { BipedalWalkerEnv, LunarLanderEnv } from './box2d/index.js';
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
  id: string;
  factory: EnvFactory;
  /** Default time limit added by `make` (none when undefined). */
  maxEpisodeSteps?: number;
}

/** Options of `register`. */
export interface RegisterOptions {
  maxEpisodeSteps?: number;
  /** Replace an existing registration instead of throwing. */
  overwrite?: boolean;
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
 * env class or a function `(options) => env`. Throws if `id` is taken unless `overwrite`.
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
  registry.set(id, { id, factory, maxEpisodeSteps: m });
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
 */
export function make(id: string, options: MakeOptions = {}): Wrapper {
  const spec = registry.get(id);
  if (!spec) {
    throw new Error(`make: unknown env id ${JSON.stringify(id)}; registered ids: ${listEnvs().join(', ')}`);
  }
  return wrapEnv(instantiate(spec.factory, options.envOptions, `make(${id})`), id, options.maxEpisodeSteps === undefined ? spec.maxEpisodeSteps : options.maxEpisodeSteps, options.recordEpisodeStatistics);
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

// Box2D envs (src/envs/box2d/).
register('LunarLander-v3', LunarLanderEnv, { maxEpisodeSteps: 1000 });
register('LunarLanderContinuous-v3', (o: Record<string, unknown> = {}) => new LunarLanderEnv({ ...o, continuous: true }), { maxEpisodeSteps: 1000 });
register('BipedalWalker-v3', BipedalWalkerEnv, { maxEpisodeSteps: 1600 });
register('BipedalWalkerHardcore-v3', (o: Record<string, unknown> = {}) => new BipedalWalkerEnv({ ...o, hardcore: true }), { maxEpisodeSteps: 2000 });
