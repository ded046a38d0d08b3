/** The registered env ids, grouped: MuJoCo envs (subclasses of MujocoEnv) and the others. */
import { getEnvSpec, listEnvs } from '../envs/registry.js';
import { MujocoEnv } from '../envs/mujoco/mujoco-env.js';

/** Whether `id` is registered with a MujocoEnv subclass (no engine is loaded to tell). */
export function isMujocoId(id: string): boolean {
  const factory = getEnvSpec(id)?.factory as { prototype?: unknown } | undefined;
  return typeof factory === 'function' && factory.prototype instanceof MujocoEnv;
}

/** Registered MuJoCo env ids, sorted. */
export function mujocoEnvIds(): string[] {
  return listEnvs().filter(isMujocoId);
}

/** One line per group for --help. */
export function envHelpText(): string {
  const ids = listEnvs();
  const mujoco = ids.filter(isMujocoId);
  const other = ids.filter((id) => !mujoco.includes(id));
  const lines = [`Environments: ${other.join(', ')}`];
  if (mujoco.length) lines.push(`MuJoCo environments (Gymnasium v5, engine loaded on first use): ${mujoco.join(', ')}`);
  return lines.join('\n');
}
