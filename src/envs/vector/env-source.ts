import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { envName, type AnyEnv } from '../env.js';
import { instantiate, type EnvFactory } from '../factory.js';
import { getEnvSpec, make, wrapEnv } from '../registry.js';

/**
 * A user env in a module, loadable in a worker thread: `modulePath` (a file path, absolute or
 * relative to the current directory, or a file: URL) and the name of an exported env class or
 * factory function (default `'default'`).
 */
export interface EnvModuleRef {
  /** Path of an ES module (.mjs/.js; .ts under tsx), absolute or relative to the working directory. */
  modulePath: string;
  /** The export to use: an env class or a factory function (default: the default export). */
  exportName?: string;
}

/** How a vector env names its envs: a registered id, a module export, or (in-process only) a factory. */
export type EnvSource = string | EnvModuleRef | EnvFactory;

/** Options applied to each env built from a source. */
export interface EnvBuildOptions {
  /** Passed to the env constructor/factory. */
  envOptions?: Record<string, unknown>;
  /** Time limit; for ids defaults to the registered one, `null` removes it. */
  maxEpisodeSteps?: number | null;
}

/** file: URL of a module path (relative paths resolve from the current directory). */
export function moduleUrl(modulePath: string): string {
  if (modulePath.startsWith('file:')) return modulePath;
  return pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(process.cwd(), modulePath)).href;
}

export function isModuleRef(s: unknown): s is EnvModuleRef {
  return typeof s === 'object' && s !== null && typeof (s as EnvModuleRef).modulePath === 'string';
}

/** A printable name of a source. */
export function sourceName(source: EnvSource): string {
  if (typeof source === 'string') return source;
  if (isModuleRef(source)) return `${source.modulePath}#${source.exportName ?? 'default'}`;
  return source.name || 'factory';
}

/**
 * Turn a source into a function building one fully wrapped env (time limit + `EnvGuard`).
 * Module sources are imported, hence the Promise.
 */
export async function loadEnvFactory(source: EnvSource, options: EnvBuildOptions = {}): Promise<() => AnyEnv> {
  if (typeof source === 'string') {
    const spec = getEnvSpec(source);
    if (!spec) make(source); // throws the "unknown env id" error
    await spec?.prepare?.();
    return () => make(source, { envOptions: options.envOptions, maxEpisodeSteps: options.maxEpisodeSteps });
  }
  if (isModuleRef(source)) {
    const exportName = source.exportName ?? 'default';
    let mod: Record<string, unknown>;
    try {
      mod = (await import(moduleUrl(source.modulePath))) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`cannot import env module ${source.modulePath}: ${(e as Error).message}`, { cause: e });
    }
    const factory = mod[exportName];
    if (typeof factory !== 'function') {
      throw new TypeError(`env module ${source.modulePath} has no exported env class or factory named ${JSON.stringify(exportName)} (exports: ${Object.keys(mod).join(', ') || 'none'})`);
    }
    return () => buildFromFactory(factory as EnvFactory, options, exportName);
  }
  if (typeof source === 'function') return () => buildFromFactory(source, options, source.name || 'factory');
  throw new TypeError(`expected an env id, { modulePath, exportName } or a factory, got ${String(source)}`);
}

function buildFromFactory(factory: EnvFactory, options: EnvBuildOptions, what: string): AnyEnv {
  const env = instantiate(factory, options.envOptions, what);
  return wrapEnv(env, envName(env), options.maxEpisodeSteps);
}
