/**
 * `--env-module <file>:<export>`: a user's env class or factory function in an ES module. The CLI
 * checks it in the main thread (the module imports, the export is a function), registers it under
 * a label (so eval, the replay and the report can `make` it in this process) and hands worker
 * threads the `{ modulePath, exportName }` reference, which they import themselves.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { loadEnvFactory, moduleUrl, type EnvModuleRef } from '../envs/vector/env-source.js';
import { checkEnv } from '../envs/check-env.js';
import { instantiate, type EnvFactory } from '../envs/factory.js';
import { register } from '../envs/registry.js';
import { UsageError } from './args.js';

/** An env module named on the command line (the path absolute, so a resumed run finds it from anywhere). */
export interface EnvModuleSpec {
  modulePath: string;
  exportName: string;
}

/**
 * `<file>:<export>` or `<file>` (the default export). The export is after the last ':' when that
 * is a JavaScript identifier (so `C:\envs\my-env.mjs` keeps its drive letter).
 */
export function parseEnvModule(value: string): EnvModuleSpec {
  const i = value.lastIndexOf(':');
  const tail = i >= 0 ? value.slice(i + 1) : '';
  const named = i > 1 && /^[A-Za-z_$][\w$]*$/.test(tail);
  const file = named ? value.slice(0, i) : value;
  if (file.length === 0) throw new UsageError(`--env-module ${value}: expected <file>:<export> (a module file and the name of its env class or factory)`);
  return { modulePath: resolve(file), exportName: named ? tail : 'default' };
}

/** The id the module's env is registered under in this process: `<file name>-<export>`. */
export function envModuleLabel(spec: EnvModuleSpec): string {
  return `${basename(spec.modulePath, extname(spec.modulePath))}-${spec.exportName}`;
}

/** The reference worker threads import. */
export function envModuleRef(spec: EnvModuleSpec): EnvModuleRef {
  return { modulePath: spec.modulePath, exportName: spec.exportName };
}

/**
 * Import the module, check that the export builds an env, and register it under its label.
 * A missing file, a module that fails to import or a missing export is a usage error naming the flag.
 */
export async function loadEnvModule(spec: EnvModuleSpec, flag = '--env-module'): Promise<string> {
  const shown = `${flag} ${spec.modulePath}:${spec.exportName}`;
  if (!existsSync(spec.modulePath) || !statSync(spec.modulePath).isFile()) throw new UsageError(`${shown}: no such file`);
  try {
    await loadEnvFactory(envModuleRef(spec)); // imports the module; throws naming a missing export
  } catch (e) {
    throw new UsageError(`${shown}: ${(e as Error).message}`);
  }
  const mod = (await import(moduleUrl(spec.modulePath))) as Record<string, unknown>;
  // SB3's check_env on one env: the API mistakes in plain words, before any training starts.
  let problems: string[];
  try {
    const env = instantiate(mod[spec.exportName] as EnvFactory, undefined, spec.exportName);
    problems = checkEnv(env, { throwOnError: false, steps: 20 }).errors;
    if (typeof env.close === 'function') env.close();
  } catch (e) {
    problems = [(e as Error).message];
  }
  if (problems.length > 0) throw new UsageError(`${shown}: not a usable env: ${problems.join('; ')}`);
  const label = envModuleLabel(spec);
  register(label, mod[spec.exportName] as never, { overwrite: true });
  return label;
}
