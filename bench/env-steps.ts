/**
 * Env steps per second with uniform random actions, for the MuJoCo and Box2D sections of the
 * benchmark: one env in-process, two in-process, or two on two worker threads.
 */
import { makeVecEnv, Random, type VecEnv } from '../src/index.js';

/** How the envs run: 1 env in-process, 2 envs in-process, or 2 envs on 2 worker threads. */
export type StepMode = 'single' | 'sync2' | 'workers2';

/** A measured rate (wall time and process CPU time, workers included), or why it failed. */
export interface StepRate {
  stepsPerSecond: number | null;
  stepsPerCpuSecond?: number;
  envSteps: number;
  skipped?: string;
}

/** The step rate of `id` run as `mode`, over about envSteps env steps; the envs are closed afterwards. */
export async function envStepRate(id: string, mode: StepMode, envSteps: number): Promise<StepRate> {
  let env: VecEnv | null = null;
  try {
    env = await makeVecEnv(id, { nEnvs: mode === 'single' ? 1 : 2, seed: 0, workers: mode === 'workers2' ? 2 : undefined });
    const r = await stepRate(env, envSteps);
    return { stepsPerSecond: r.wall, stepsPerCpuSecond: r.cpu, envSteps };
  } catch (e) {
    return { stepsPerSecond: null, envSteps: 0, skipped: `failed: ${(e as Error).message}` };
  } finally {
    await env?.close();
  }
}

/** Uniform random action batches (Box: uniform in [low, high]; Discrete: uniform indices), drawn before timing, cycled. */
function actionPool(env: VecEnv, count: number): Float64Array[] {
  const space = env.actionSpace as { low?: ArrayLike<number>; high?: ArrayLike<number>; n?: number; start?: number };
  const rng = new Random(0);
  const d = env.actDim;
  return Array.from({ length: count }, () => {
    const a = new Float64Array(env.numEnvs * d);
    for (let i = 0; i < a.length; i++) a[i] = space.n !== undefined ? (space.start ?? 0) + rng.integer(space.n) : rng.uniformRange(space.low![i % d], space.high![i % d]);
    return a;
  });
}

/**
 * Steps/s with random actions: warm-up of a fifth, then the median of three timed segments, on
 * wall time and on process CPU time.
 */
export async function stepRate(env: VecEnv, envSteps: number): Promise<{ wall: number; cpu: number }> {
  const vecSteps = Math.max(10, Math.round(envSteps / env.numEnvs));
  const pool = actionPool(env, 256);
  await env.reset({ seed: 0 });
  let k = 0;
  const run = async (n: number): Promise<void> => {
    for (let t = 0; t < n; t++) await env.step(pool[k++ % pool.length]);
  };
  await run(Math.max(10, Math.round(vecSteps / 5)));
  const seg = Math.max(10, Math.round(vecSteps / 3));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < 3; s++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(seg);
    const dt = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    wall.push((seg * env.numEnvs) / dt);
    cpu.push((seg * env.numEnvs) / Math.max((c.user + c.system) / 1e6, 1e-9));
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1];
  return { wall: median(wall), cpu: median(cpu) };
}

