/**
 * MuJoCo section of the benchmark:
 * - env steps per second of every registered MuJoCo env with uniform random actions: 1 env
 *   in-process, 2 envs in-process (synchronous vector env) and 2 envs on 2 worker threads (one
 *   WASM instance each); beside them Python Gymnasium + mujoco with a synchronous vector env of 2
 *   (bench/peers/gym_mujoco.py) when python3 imports both;
 * - end to end: `learn` with RL-Zoo's settings (zooHyperparams) on 1 native thread, steps/s, and
 *   the learner's share of the wall time: everything that is not env time. Env time is measured
 *   around every `step`/`reset` of each env (MuJoCo stepping plus the env's observation, reward
 *   and termination code) by a timing wrapper between the vector env and the env; sb3-contrib
 *   TRPO as the peer when python3 imports sb3_contrib and torch (bench/peers/sb3_trpo.py, the same
 *   zoo entry in sb3-contrib's names). sb3-contrib is not on the development machine's package
 *   index; the path was run there with a local stand-in on PYTHONPATH (see the README's MuJoCo
 *   speed section).
 * Figures quoted by issue 10 (measured on this kind of machine, not in this run) are listed
 * beside, labelled as such.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  makeVecEnv, make, setNativeThreads, TRPO, VecNormalize, Wrapper, zooHyperparams, zooTrpoOptions,
  type Action, type AnyEnv, type ResetArgs, type ResetResult, type StepResult, type VecEnv,
} from '../src/index.js';
import { loadMujoco } from '../src/envs/mujoco/engine.js';
import { envStepRate, type StepMode } from './env-steps.js';
import { mujocoEnvIds } from '../src/cli/env-ids.js';

const GYM_SCRIPT = fileURLToPath(new URL('./peers/gym_mujoco.py', import.meta.url));
const SB3_SCRIPT = fileURLToPath(new URL('./peers/sb3_trpo.py', import.meta.url));

export interface MujocoStepRow {
  env: string;
  /** 'single' = 1 env in-process; 'sync2' = sync vector env of 2; 'workers2' = 2 envs on 2 worker threads; 'python-sync2' = Gymnasium. */
  mode: 'single' | 'sync2' | 'workers2' | 'python-sync2';
  stepsPerSecond: number | null;
  /** Steps per second of process CPU time (all threads, workers included). */
  stepsPerCpuSecond?: number;
  envSteps: number;
  skipped?: string;
}

export interface MujocoLearnRow {
  env: string;
  impl: 'trpo-node native f32 1T' | 'sb3-contrib';
  totalTimesteps: number;
  seconds: number | null;
  stepsPerSecond?: number;
  /** Process CPU seconds of learn (user + system; other tenants of a shared machine do not inflate it). */
  cpuSeconds?: number;
  /** Seconds inside the envs' step/reset (physics and the env's own code). */
  envSeconds?: number;
  /** 1 - envSeconds / seconds. */
  learnerShare?: number;
  rolloutSeconds?: number;
  updateSeconds?: number;
  finalEpReturnMean?: number | null;
  settings?: string;
  skipped?: string;
}

export interface MujocoResults {
  steps: MujocoStepRow[];
  python: { gymnasium: string; mujoco: string; python: string } | { skipped: string };
  learn: MujocoLearnRow[];
  /** Figures quoted in issue 10, measured earlier on this kind of machine (not by this run). */
  quoted: { note: string; pythonSync2StepsPerSecond: Record<string, number>; sb3ContribLearnStepsPerSecond: Record<string, number> };
  skipped?: string;
}

export const QUOTED: MujocoResults['quoted'] = {
  note: 'quoted in issue 10 (measured earlier on this kind of machine), not measured by this run',
  pythonSync2StepsPerSecond: { 'HalfCheetah-v5': 6600, 'Hopper-v5': 3800 },
  sb3ContribLearnStepsPerSecond: { 'HalfCheetah-v5': 1460, 'Hopper-v5': 1230 },
};

/** Accumulates the wall time spent in the wrapped env's step and reset. */
class EnvTimer extends Wrapper {
  constructor(env: AnyEnv, private readonly clock: { seconds: number }) {
    super(env);
  }

  override reset(args?: ResetArgs): ResetResult {
    const t0 = performance.now();
    try {
      return this.env.reset(args);
    } finally {
      this.clock.seconds += (performance.now() - t0) / 1000;
    }
  }

  override step(action: Action): StepResult {
    const t0 = performance.now();
    try {
      return this.env.step(action);
    } finally {
      this.clock.seconds += (performance.now() - t0) / 1000;
    }
  }
}

/** The Python peer: gym_mujoco.py under python3, or why it cannot run. */
function runGymnasium(ids: string[], envSteps: number): { meta: MujocoResults['python']; rows: MujocoStepRow[] } {
  const python = process.env.TRPO_BENCH_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import gymnasium, mujoco'], { encoding: 'utf8', timeout: 120_000 });
  if (probe.status !== 0) {
    const why = probe.error ? probe.error.message : (probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`);
    const skipped = `${python} cannot import gymnasium and mujoco (${why}); pip install gymnasium==1.3.0 mujoco==3.14.0`;
    return { meta: { skipped }, rows: ids.map((env) => ({ env, mode: 'python-sync2', stepsPerSecond: null, envSteps: 0, skipped })) };
  }
  const r = spawnSync(python, [GYM_SCRIPT, ids.join(','), String(envSteps), '2'], { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    const skipped = `gym_mujoco.py failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`;
    return { meta: { skipped }, rows: ids.map((env) => ({ env, mode: 'python-sync2', stepsPerSecond: null, envSteps: 0, skipped })) };
  }
  const out = JSON.parse(r.stdout) as { gymnasium: string; mujoco: string; python: string; results: { env: string; stepsPerSecond: number | null; stepsPerCpuSecond?: number; envSteps?: number; skipped?: string }[] };
  return {
    meta: { gymnasium: out.gymnasium, mujoco: out.mujoco, python: out.python },
    rows: out.results.map((x) => ({
      env: x.env, mode: 'python-sync2', stepsPerSecond: x.stepsPerSecond, envSteps: x.envSteps ?? 0,
      ...(x.stepsPerCpuSecond !== undefined ? { stepsPerCpuSecond: x.stepsPerCpuSecond } : {}), ...(x.skipped ? { skipped: x.skipped } : {}),
    })),
  };
}

/**
 * Every env in every mode, the Python peer right after trpo-node's rows of the same env (so both
 * see about the same load of a shared machine).
 */
export async function runMujocoSteps(opts: { envSteps: number; workers: boolean; ids?: string[]; log: (m: string) => void }): Promise<Pick<MujocoResults, 'steps' | 'python'>> {
  await loadMujoco();
  const ids = opts.ids ?? mujocoEnvIds();
  const steps: MujocoStepRow[] = [];
  let python: MujocoResults['python'] | null = null;
  for (const id of ids) {
    const modes: StepMode[] = opts.workers ? ['single', 'sync2', 'workers2'] : ['single', 'sync2'];
    for (const mode of modes) {
      opts.log(`mujoco steps ${id} ${mode}`);
      steps.push({ env: id, mode, ...(await envStepRate(id, mode, opts.envSteps)) });
    }
    if (python !== null && 'skipped' in python) {
      steps.push({ env: id, mode: 'python-sync2', stepsPerSecond: null, envSteps: 0, skipped: python.skipped });
      continue;
    }
    opts.log(`mujoco steps ${id}: Python gymnasium peer`);
    const py = runGymnasium([id], opts.envSteps);
    python ??= py.meta;
    steps.push(...py.rows);
  }
  return { steps, python: python ?? { skipped: 'no MuJoCo env registered' } };
}

/** Why sb3-contrib cannot be run here, or null when python3 imports sb3_contrib and torch. */
function sb3Unavailable(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch, sb3_contrib'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) return null;
  return `${python} cannot import torch and sb3_contrib (${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}); pip install torch sb3-contrib==2.8.* to add this peer`;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** sb3-contrib TRPO on `envId` with the same zoo entry (bench/peers/sb3_trpo.py). */
function runSb3(python: string, envId: string, totalTimesteps: number): MujocoLearnRow {
  const h = zooHyperparams[envId];
  const hyperparams = Object.fromEntries(Object.entries(zooTrpoOptions(h)).map(([k, v]) => [snake(k), v]));
  const config = { n_envs: h.nEnvs, normalize: h.normalize !== false, hyperparams };
  const r = spawnSync(python, [SB3_SCRIPT, envId, String(totalTimesteps), JSON.stringify(config)], {
    encoding: 'utf8', timeout: 6 * 3600_000, maxBuffer: 16 << 20, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  const base = { env: envId, impl: 'sb3-contrib' as const, totalTimesteps };
  if (r.status !== 0) return { ...base, seconds: null, skipped: `sb3_trpo.py failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` };
  const out = JSON.parse(r.stdout) as { totalTimesteps: number; seconds: number; cpuSeconds: number; stepsPerSecond: number; versions: Record<string, string> };
  return {
    ...base, totalTimesteps: out.totalTimesteps, seconds: out.seconds, cpuSeconds: out.cpuSeconds, stepsPerSecond: out.stepsPerSecond,
    settings: `sb3-contrib ${out.versions.sb3_contrib}, torch ${out.versions.torch} (1 thread): ${JSON.stringify(config)}`,
  };
}

/**
 * `learn` of `envId` with its zoo settings (as makeZooModel builds it, seed 0, native float32,
 * 1 native thread), timing the envs' step/reset.
 */
async function learnTimed(envId: string, totalTimesteps: number): Promise<MujocoLearnRow> {
  const h = zooHyperparams[envId];
  if (!h) throw new RangeError(`no zooHyperparams entry for ${envId}`);
  const clock = { seconds: 0 };
  const options = zooTrpoOptions(h);
  let env: VecEnv = await makeVecEnv(() => new EnvTimer(make(envId), clock), { nEnvs: h.nEnvs });
  if (h.normalize !== false) env = new VecNormalize(env, { ...h.normalize, gamma: options.gamma ?? 0.99 });
  try {
    setNativeThreads(1);
    const model = new TRPO('MlpPolicy', env, { ...options, seed: 0, backend: 'native', dtype: 'float32' });
    let rollout = 0;
    let update = 0;
    let last: number | null = null;
    clock.seconds = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await model.learn({
      totalTimesteps,
      callback: (info) => {
        rollout += info.rolloutSeconds;
        update += info.updateSeconds;
        last = info.epReturnMean;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    return {
      env: envId, impl: 'trpo-node native f32 1T', totalTimesteps: model.numTimesteps, seconds, stepsPerSecond: model.numTimesteps / seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      envSeconds: clock.seconds, learnerShare: 1 - clock.seconds / seconds, rolloutSeconds: rollout, updateSeconds: update, finalEpReturnMean: last,
      settings: `zooHyperparams (${h.note}): ${h.nEnvs} envs, ${JSON.stringify(options)}`,
    };
  } finally {
    await env.close();
  }
}

export async function runMujocoLearn(opts: { totalTimesteps: number; ids: string[]; log: (m: string) => void }): Promise<MujocoLearnRow[]> {
  await loadMujoco();
  const rows: MujocoLearnRow[] = [];
  for (const id of opts.ids) {
    opts.log(`mujoco learn ${id} ${opts.totalTimesteps} steps, native 1T`);
    try {
      rows.push(await learnTimed(id, opts.totalTimesteps));
    } catch (e) {
      rows.push({ env: id, impl: 'trpo-node native f32 1T', totalTimesteps: opts.totalTimesteps, seconds: null, skipped: `failed: ${(e as Error).message}` });
    }
  }
  const python = process.env.TRPO_BENCH_PYTHON ?? 'python3';
  const why = sb3Unavailable(python);
  for (const id of opts.ids) {
    if (why) {
      rows.push({ env: id, impl: 'sb3-contrib', totalTimesteps: opts.totalTimesteps, seconds: null, skipped: why });
      continue;
    }
    opts.log(`mujoco learn ${id} ${opts.totalTimesteps} steps, sb3-contrib`);
    rows.push(runSb3(python, id, opts.totalTimesteps));
  }
  return rows;
}
