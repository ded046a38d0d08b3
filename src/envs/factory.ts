import type { AnyEnv } from './env.js';

/** A function or class that builds an env from an options object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EnvFactory = ((options: any) => AnyEnv) | (new (options: any) => AnyEnv);

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** Build an env from a factory function or an env class, checking that the result looks like an env. */
export function instantiate(factory: EnvFactory, options: Record<string, unknown> | undefined, what: string): AnyEnv {
  if (typeof factory !== 'function') throw new TypeError(`${what}: expected an env class or factory function, got ${String(factory)}`);
  const env = isClass(factory)
    ? new (factory as new (o: unknown) => AnyEnv)(options ?? {})
    : (factory as (o: unknown) => AnyEnv)(options ?? {});
  if (typeof env !== 'object' || env === null || typeof env.reset !== 'function' || typeof env.step !== 'function') {
    throw new TypeError(`${what}: the factory did not return an env (an object with reset() and step()), got ${String(env)}`);
  }
  return env;
}
