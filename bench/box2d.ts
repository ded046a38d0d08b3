/**
 * Box2D section of the benchmark: env steps per second of LunarLander-v3,
 * LunarLanderContinuous-v3, BipedalWalker-v3 and BipedalWalkerHardcore-v3 (box2d-wasm) with
 * uniform random actions: 1 env in-process, and 2 envs on 2 worker threads (one WASM instance
 * each). Episodes end often under random actions (a lander crashes within ~100 steps, a walker
 * falls), so the figures include the resets and their terrain generation.
 */
import { envStepRate } from './env-steps.js';

export const BOX2D_IDS = ['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3', 'BipedalWalkerHardcore-v3'] as const;

export interface Box2DStepRow {
  env: string;
  /** 'single' = 1 env in-process; 'workers2' = 2 envs on 2 worker threads. */
  mode: 'single' | 'workers2';
  stepsPerSecond: number | null;
  /** Steps per second of process CPU time (all threads, workers included). */
  stepsPerCpuSecond?: number;
  envSteps: number;
  skipped?: string;
}

export interface Box2DResults {
  steps: Box2DStepRow[];
}

export async function runBox2DSteps(opts: { envSteps: number; log: (m: string) => void }): Promise<Box2DResults> {
  const steps: Box2DStepRow[] = [];
  for (const id of BOX2D_IDS) {
    for (const mode of ['single', 'workers2'] as const) {
      opts.log(`box2d steps ${id} ${mode}`);
      steps.push({ env: id, mode, ...(await envStepRate(id, mode, opts.envSteps)) });
    }
  }
  return { steps };
}
