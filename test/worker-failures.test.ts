/**
 * Worker-thread envs that fail during learn: an env that throws, one that calls process.exit and
 * one that never returns from step (stepTimeoutMs) make learn reject with an error naming the env
 * and the worker; the model stays at its last complete update, close() works and no worker
 * thread is left running.
 */
import { describe, expect, it } from 'vitest';
import { TRPO, makeVecEnv, type VecEnv } from '../src/index.js';
import { fixturePath } from './envs/helpers.js';

const USER_ENVS = fixturePath('user-envs.ts');

interface Handles { handles: Array<{ worker: { threadId: number } }> }

async function failingRun(mode: 'throw' | 'exit' | 'hang'): Promise<{ error: Error; env: VecEnv; after1: ArrayLike<number>; final: ArrayLike<number>; updates: number }> {
  // 2 envs on 2 workers, 16 steps each per rollout; env steps 20 fails: in the second rollout.
  const env = await makeVecEnv({ modulePath: USER_ENVS, exportName: 'FailAtEnv' }, {
    nEnvs: 2, workers: 2, seed: 0, envOptions: { failAt: 20, mode, bound: 100 }, stepTimeoutMs: mode === 'hang' ? 2000 : undefined,
  });
  const model = new TRPO('MlpPolicy', env, { nSteps: 16, batchSize: 16, nCriticUpdates: 2, seed: 3, policyKwargs: { netArch: [8] } });
  let after1: ArrayLike<number> = [];
  let updates = 0;
  const error = await model.learn({
    totalTimesteps: 256,
    callback: () => { updates++; after1 = model.policy.getParameters(); return true; },
  }).then(() => null, (e: Error) => e);
  if (!error) throw new Error('learn did not reject');
  return { error, env, after1, final: model.policy.getParameters(), updates };
}

describe('worker-thread envs failing during learn', () => {
  for (const [mode, message] of [
    ['throw', /env 0: FailAt-v0 step \d+: simulator diverged \(in WorkerVectorEnv worker 0 \(envs 0\.\.0\)\)/],
    ['exit', /WorkerVectorEnv worker [01] \(envs [01]\.\.[01]\) exited unexpectedly with code 5/],
    ['hang', /WorkerVectorEnv worker [01] \(envs [01]\.\.[01]\): step\(\) did not return within stepTimeoutMs = 2000 ms; the worker was terminated/],
  ] as const) {
    it(`an env that ${mode === 'throw' ? 'throws' : mode === 'exit' ? 'calls process.exit' : 'never returns from step'}: learn rejects naming it, the model is at its last complete update`, async () => {
      const { error, env, after1, final, updates } = await failingRun(mode);
      expect(error.message).toMatch(new RegExp(`^TRPO\\.learn: update 2 failed: ${message.source}\\. The model is left as after update 1 \\(timestep 32\\)`));
      expect(updates).toBe(1);
      expect(Array.from(final)).toEqual(Array.from(after1));
      await env.close();
      await env.close();
      // No worker thread is left running (threadId is -1 once a worker has stopped).
      const handles = (env as unknown as Handles).handles;
      expect(handles).toHaveLength(2);
      for (const h of handles) expect(h.worker.threadId).toBe(-1);
      await expect(env.step(Float64Array.of(0, 0))).rejects.toThrow(/closed/);
    }, 60_000);
  }

  it('stepTimeoutMs is validated', async () => {
    await expect(makeVecEnv('CartPole-v1', { nEnvs: 1, workers: 1, stepTimeoutMs: 0 })).rejects.toThrow(/stepTimeoutMs must be a positive finite number of milliseconds, got 0/);
  });
});
