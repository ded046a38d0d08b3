/**
 * Determinism under threads: the same seed gives the same learning curve bit for bit with 1 and 2
 * native threads (chunk boundaries and reduction order do not depend on the thread count), and with
 * and without worker-thread envs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TRPO, makeVecEnv, setNativeThreads, nativeInfo } from '../src/index.js';

const native = nativeInfo().available;
const initialThreads = nativeInfo().threads ?? 1;
afterAll(() => { if (native) setNativeThreads(initialThreads); });

async function curve(env: string, options: { threads: number; workers: boolean }): Promise<number[][]> {
  if (native) setNativeThreads(options.threads);
  const venv = await makeVecEnv(env, { nEnvs: 2, seed: 0, workers: options.workers ? 2 : undefined });
  try {
    // nSteps x nEnvs = 2048 rows: two native chunks, so 2 threads really split the batch.
    const model = new TRPO('MlpPolicy', venv, { nSteps: 1024, batchSize: 256, nCriticUpdates: 2, seed: 7, backend: native ? 'native' : 'js' });
    const points: number[][] = [];
    await model.learn({
      totalTimesteps: 3 * 2048,
      callback: () => { points.push(Array.from(model.policy.getParameters().subarray(0, 16))); return true; },
    });
    points.push(Array.from(model.policy.getParameters()));
    return points;
  } finally {
    await venv.close();
  }
}

describe('determinism', () => {
  it.runIf(native)('1 vs 2 native threads: identical parameters after every update (Pendulum-v1)', async () => {
    const one = await curve('Pendulum-v1', { threads: 1, workers: false });
    const two = await curve('Pendulum-v1', { threads: 2, workers: false });
    expect(one).toHaveLength(4);
    expect(two).toEqual(one);
  }, 120_000);

  it('with and without worker-thread envs: identical parameters after every update (CartPole-v1)', async () => {
    const sync = await curve('CartPole-v1', { threads: 2, workers: false });
    const workers = await curve('CartPole-v1', { threads: 2, workers: true });
    expect(workers).toEqual(sync);
  }, 120_000);
});
