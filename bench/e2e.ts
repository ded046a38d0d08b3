/**
 * End to end: environment steps per second of rollouts (policy sampling + vector-env stepping,
 * CartPole-v1 and Pendulum-v1, 1 and 16 envs; in-process envs, and worker-thread envs for 16), and
 * the wall time of `TRPO.learn` on CartPole-v1 (RL-Zoo settings), native (1 and 2 threads) vs JS.
 * The trainer is imported dynamically: if the package does not export it, that part is skipped.
 */
import { makeVecEnv, Random, setNativeThreads, type VecEnv } from '../src/index.js';
import { makePolicy, type Impl, type Policy } from './problems.js';

export interface RolloutResult {
  env: string;
  nEnvs: number;
  /** 'sync' (in-process envs) or 'workers' (worker_threads, one per core). */
  vec: 'sync' | 'workers';
  /** 'none' = constant actions (env cost alone); otherwise the sampling policy's backend. */
  policy: 'none' | Impl;
  stepsPerSecond: number | null;
  envSteps: number;
  skipped?: string;
}

export interface LearnResult {
  env: string;
  totalTimesteps: number;
  impl: Impl;
  threads: number;
  seconds: number | null;
  /** Of which: rollouts, and policy + critic updates (from the per-update statistics). */
  rolloutSeconds?: number;
  updateSeconds?: number;
  updates?: number;
  finalEpReturnMean?: number | null;
  settings?: string;
  skipped?: string;
}

const ENVS = [
  { id: 'CartPole-v1', obsDim: 4, act: { discrete: true, dim: 2 } },
  { id: 'Pendulum-v1', obsDim: 3, act: { discrete: false, dim: 1 } },
];

function rolloutPolicy(e: (typeof ENVS)[number], impl: Impl): Policy {
  return makePolicy({ name: e.id, obsDim: e.obsDim, actDim: e.act.dim, discrete: e.act.discrete }, [64, 64], impl);
}

async function timeRollout(env: VecEnv, policy: Policy | null, vecSteps: number, clip: boolean): Promise<number> {
  const rng = new Random(2);
  let obs = await env.reset({ seed: 0 });
  const constant = new Float64Array(env.numEnvs * env.actDim);
  const run = async (steps: number): Promise<void> => {
    for (let t = 0; t < steps; t++) {
      let actions: Float64Array = constant;
      if (policy) {
        actions = policy.sample(policy.backend === 'native' && policy.dtype === 'float32' ? Float32Array.from(obs) : obs, { rng }).actions;
        if (clip) for (let i = 0; i < actions.length; i++) actions[i] = Math.min(2, Math.max(-2, actions[i]));
      }
      obs = (await env.step(actions)).observations;
    }
  };
  await run(Math.max(10, Math.round(vecSteps / 5)));
  // Median rate of three segments after the warm-up.
  const seg = Math.max(10, Math.round(vecSteps / 3));
  const rates: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    await run(seg);
    rates.push((seg * env.numEnvs) / ((performance.now() - t0) / 1000));
  }
  return rates.sort((a, b) => a - b)[1];
}

export async function runRollouts(opts: { envSteps: number; workers: boolean; log: (m: string) => void }): Promise<RolloutResult[]> {
  const out: RolloutResult[] = [];
  for (const e of ENVS) {
    for (const nEnvs of [1, 16]) {
      const vecs: ('sync' | 'workers')[] = nEnvs > 1 && opts.workers ? ['sync', 'workers'] : ['sync'];
      for (const vec of vecs) {
        for (const impl of ['none', 'native-f32', 'js'] as const) {
          const vecSteps = Math.max(20, Math.round(opts.envSteps / nEnvs));
          opts.log(`rollout ${e.id} x${nEnvs} ${vec} policy=${impl}`);
          let env: VecEnv | null = null;
          try {
            env = await makeVecEnv(e.id, { nEnvs, seed: 0, workers: vec === 'workers' ? true : undefined });
            const policy = impl === 'none' ? null : rolloutPolicy(e, impl);
            const sps = await timeRollout(env, policy, vecSteps, !e.act.discrete);
            out.push({ env: e.id, nEnvs, vec, policy: impl, stepsPerSecond: sps, envSteps: vecSteps * nEnvs });
          } catch (err) {
            out.push({ env: e.id, nEnvs, vec, policy: impl, stepsPerSecond: null, envSteps: 0, skipped: `failed: ${(err as Error).message}` });
          } finally {
            await env?.close();
          }
        }
      }
    }
  }
  return out;
}

type TrainerModule = {
  TRPO: new (policy: 'MlpPolicy', env: VecEnv, options: Record<string, unknown>) => {
    learn(o: { totalTimesteps: number; callback?: (info: Record<string, unknown>) => void }): Promise<unknown>;
  };
  zooHyperparams?: Record<string, Record<string, unknown>>;
  zooTrpoOptions?: (h: Record<string, unknown>) => Record<string, unknown>;
};

/** The trainer, if the package exports it yet. */
async function loadTrainer(): Promise<TrainerModule | string> {
  try {
    const mod = (await import('../src/index.js')) as unknown as Partial<TrainerModule>;
    if (typeof mod.TRPO !== 'function') return 'trainer not available (src/index.ts does not export TRPO)';
    return mod as TrainerModule;
  } catch (e) {
    return `trainer not available: ${(e as Error).message}`;
  }
}

export async function runLearn(opts: { totalTimesteps: number; runs: { impl: Impl; threads: number }[]; log: (m: string) => void }): Promise<LearnResult[]> {
  const envId = 'CartPole-v1';
  const trainer = await loadTrainer();
  if (typeof trainer === 'string') {
    return opts.runs.map((r) => ({ env: envId, totalTimesteps: opts.totalTimesteps, ...r, seconds: null, skipped: trainer }));
  }
  const zoo = trainer.zooHyperparams?.[envId];
  const nEnvs = typeof zoo?.nEnvs === 'number' ? zoo.nEnvs : 1;
  const options = zoo && trainer.zooTrpoOptions ? trainer.zooTrpoOptions(zoo) : {};
  const settings = zoo ? `RL-Zoo trpo.yml: ${nEnvs} envs, ${JSON.stringify(options)}` : 'sb3-contrib defaults, 1 env';
  const out: LearnResult[] = [];
  for (const run of opts.runs) {
    opts.log(`learn ${envId} ${opts.totalTimesteps} steps ${run.impl} threads=${run.threads}`);
    const env = await makeVecEnv(envId, { nEnvs, seed: 0 });
    try {
      if (run.impl !== 'js') setNativeThreads(run.threads);
      const model = new trainer.TRPO('MlpPolicy', env, {
        ...options, seed: 1, backend: run.impl === 'js' ? 'js' : 'native', dtype: run.impl === 'native-f64' ? 'float64' : 'float32',
      });
      let rollout = 0;
      let update = 0;
      let updates = 0;
      let last: number | null = null;
      const t0 = performance.now();
      await model.learn({
        totalTimesteps: opts.totalTimesteps,
        callback: (info) => {
          rollout += Number(info.rolloutSeconds ?? 0);
          update += Number(info.updateSeconds ?? 0);
          updates += 1;
          last = (info.epReturnMean as number | null) ?? null;
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      out.push({ env: envId, totalTimesteps: opts.totalTimesteps, ...run, seconds, rolloutSeconds: rollout, updateSeconds: update, updates, finalEpReturnMean: last, settings });
    } catch (e) {
      out.push({ env: envId, totalTimesteps: opts.totalTimesteps, ...run, seconds: null, skipped: `failed: ${(e as Error).message}` });
    } finally {
      await env.close();
    }
  }
  return out;
}
