/**
 * Determinism under threads: the same seed gives the same learning curve bit for bit with 1 and 2
 * native threads (chunk boundaries and reduction order do not depend on the thread count), and with
 * and without worker-thread envs. Covered: a classic env, gSDE, VecNormalize, a MuJoCo env (one
 * WASM engine per worker) and a Box2D env.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TRPO, makeVecEnv, setNativeThreads, nativeInfo, type TRPOOptions, type RunningMeanStdState } from '../src/index.js';

const native = nativeInfo().available;
const initialThreads = nativeInfo().threads ?? 1;
afterAll(() => { if (native) setNativeThreads(initialThreads); });

interface CurveOptions {
  threads: number;
  workers: boolean;
  normalize?: boolean;
  trpo?: TRPOOptions;
  /** Env steps per env and update (nSteps); 3 updates are made. */
  nSteps?: number;
}

async function curve(env: string, options: CurveOptions): Promise<number[][]> {
  if (native) setNativeThreads(options.threads);
  const venv = await makeVecEnv(env, { nEnvs: 2, seed: 0, workers: options.workers ? 2 : undefined, normalize: options.normalize ? {} : false });
  const nSteps = options.nSteps ?? 1024;
  try {
    // nSteps x nEnvs = 2048 rows by default: two native chunks, so 2 threads really split the batch.
    const model = new TRPO('MlpPolicy', venv, { nSteps, batchSize: 256, nCriticUpdates: 2, seed: 7, backend: native ? 'native' : 'js', ...options.trpo });
    const points: number[][] = [];
    await model.learn({
      totalTimesteps: 3 * 2 * nSteps,
      callback: (info) => {
        points.push([info.epReturnMean ?? NaN, info.kl, ...model.policy.getParameters().subarray(0, 16)]);
        return true;
      },
    });
    points.push(Array.from(model.policy.getParameters()), Array.from(model.valueFunction.getParameters()));
    const norm = model.normalizationState();
    if (norm) {
      const obsRms = norm.obsRms as RunningMeanStdState;
      points.push([...obsRms.mean, ...obsRms.var, obsRms.count], [...norm.retRms.mean, ...norm.retRms.var, norm.retRms.count]);
    }
    return points;
  } finally {
    await venv.close();
  }
}

describe('determinism', () => {
  it.runIf(native)('1 vs 2 native threads: identical parameters after every update (Pendulum-v1)', async () => {
    const one = await curve('Pendulum-v1', { threads: 1, workers: false });
    const two = await curve('Pendulum-v1', { threads: 2, workers: false });
    expect(one).toHaveLength(5);
    expect(two).toEqual(one);
  }, 120_000);

  it('with and without worker-thread envs: identical parameters after every update (CartPole-v1)', async () => {
    const sync = await curve('CartPole-v1', { threads: 2, workers: false });
    const workers = await curve('CartPole-v1', { threads: 2, workers: true });
    expect(workers).toEqual(sync);
  }, 120_000);

  it('gSDE: 1 vs 2 threads, and worker-thread envs, give the same curve (Pendulum-v1, sdeSampleFreq 4)', async () => {
    const trpo = { useSde: true, sdeSampleFreq: 4 };
    const sync = await curve('Pendulum-v1', { threads: 1, workers: false, trpo });
    const workers = await curve('Pendulum-v1', { threads: 2, workers: true, trpo });
    expect(sync).toHaveLength(5);
    expect(workers).toEqual(sync);
  }, 120_000);

  it('MuJoCo with VecNormalize: 1 vs 2 threads, and one WASM engine per worker, give the same curve (Hopper-v5)', async () => {
    const base = { normalize: true, nSteps: 1024 };
    const one = await curve('Hopper-v5', { threads: 1, workers: false, ...base });
    const two = await curve('Hopper-v5', { threads: 2, workers: false, ...base });
    const workers = await curve('Hopper-v5', { threads: 2, workers: true, ...base });
    expect(one).toHaveLength(7);
    expect(one.every((row) => row.slice(2).every(Number.isFinite))).toBe(true);
    expect(two).toEqual(one);
    expect(workers).toEqual(one);
  }, 240_000);

  it('Box2D: worker-thread envs give the same curve as in-process envs (LunarLanderContinuous-v3)', async () => {
    const sync = await curve('LunarLanderContinuous-v3', { threads: 2, workers: false, nSteps: 512 });
    const workers = await curve('LunarLanderContinuous-v3', { threads: 2, workers: true, nSteps: 512 });
    expect(workers).toEqual(sync);
  }, 120_000);
});
