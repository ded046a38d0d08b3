/** Helpers of the per-env rule tests: read and write qpos/qvel through the env's state vector. */
import type { BaseEnvState, MujocoEnv, Wrapper } from '../../src/index.js';

/** The MuJoCo env inside `make`'s wrappers. */
export function inner(env: Wrapper): MujocoEnv {
  return env.unwrapped as unknown as MujocoEnv;
}

/** Current qpos and qvel (copies). */
export function qposQvel(env: Wrapper): { qpos: number[]; qvel: number[] } {
  const sim = inner(env).simulation;
  return { qpos: Array.from(sim.data('qpos')), qvel: Array.from(sim.data('qvel')) };
}

/**
 * Put the env into the current state with some qpos/qvel entries replaced (mjSTATE_INTEGRATION
 * layout: time, qpos, qvel, ...), through the public `setState`.
 */
export function setQpos(env: Wrapper, qpos: Record<number, number>, qvel: Record<number, number> = {}): void {
  const e = inner(env) as unknown as { getState(): BaseEnvState; setState(s: Partial<BaseEnvState>): void };
  const nq = inner(env).simulation.nq;
  const physics = e.getState().physics;
  for (const [i, v] of Object.entries(qpos)) physics[1 + Number(i)] = v;
  for (const [i, v] of Object.entries(qvel)) physics[1 + nq + Number(i)] = v;
  e.setState({ physics });
}

/** Mean and (population) standard deviation. */
export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  return { mean, std };
}
