/**
 * `trpo tune <env-id> --trials N --timesteps T [--workers W]`: random search over RL-Zoo's TRPO
 * sampler ranges (space.ts) with Optuna's median pruner on intermediate evaluations
 * (median-pruner.ts). Trial k's settings depend on the seed only; every trial trains with the same
 * seed. Without --workers the trials run one after another in this thread (the study is then
 * deterministic); with W workers W trials run at once on worker threads, and a pruning decision
 * sees the trials completed by then (as Optuna with parallel jobs).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendChoice } from '../../backend.js';
import { listEnvs } from '../../envs/registry.js';
import { Random } from '../../random.js';
import { zooHyperparams } from '../../trpo/zoo.js';
import type { EnvModuleRef } from '../../envs/vector/env-source.js';
import { UsageError } from '../args.js';
import { envModuleRef, loadEnvModule, parseEnvModule, type EnvModuleSpec } from '../env-module.js';
import { MedianPruner, type PrunerTrial } from './median-pruner.js';
import { runTrialsOnWorkers } from './pool.js';
import { TUNE_FILES, writeStudy, type Study, type StudyTrial } from './results.js';
import { sampleParams, type TrialParams } from './space.js';
import { runTrial, type TrialResult, type TrialSpec } from './trial.js';

export interface TuneArgs {
  /** A registered env id (or, with envModule, none). */
  envId?: string;
  /** `<file>:<export>`: a user's env class or factory (--env-module). */
  envModule?: string;
  trials: number;
  timesteps: number;
  workers?: number;
  seed?: number;
  out?: string;
  /** Intermediate evaluations per trial (default 5). */
  evaluations?: number;
  /** Episodes per evaluation (default 5). */
  evalEpisodes?: number;
  /** MedianPruner n_startup_trials (default 5) and n_warmup_steps (default 0). */
  startupTrials?: number;
  warmupSteps?: number;
  backend?: BackendChoice;
}

/** Sample the settings of `n` trials from `seed`. */
export function sampleTrials(n: number, seed: number, withActivation = true): TrialParams[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => sampleParams(rng, withActivation));
}

function fmt(x: number): string {
  return Number.isNaN(x) ? 'nan' : x.toFixed(2);
}

export async function tune(args: TuneArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<Study> {
  let envId: string;
  let env: string | EnvModuleRef;
  let envModule: EnvModuleSpec | null = null;
  if (args.envModule !== undefined) {
    if (args.envId !== undefined) throw new UsageError(`give either <env-id> or --env-module, not both (got ${args.envId} and --env-module ${args.envModule})`);
    envModule = parseEnvModule(args.envModule);
    envId = await loadEnvModule(envModule);
    env = envModuleRef(envModule);
  } else {
    if (args.envId === undefined) throw new UsageError("missing required argument 'env-id' (or --env-module <file>:<export>)");
    if (!listEnvs().includes(args.envId)) throw new UsageError(`unknown env id ${JSON.stringify(args.envId)}; expected one of ${listEnvs().join(', ')}`);
    envId = args.envId;
    env = envId;
  }
  const seed = args.seed ?? 0;
  const outDir = args.out ?? join('runs', `tune-${envId}-seed${seed}`);
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir}: not a directory`);
    const foreign = readdirSync(outDir).filter((f) => !(Object.values(TUNE_FILES) as string[]).includes(f));
    if (foreign.length > 0) throw new UsageError(`--out ${outDir}: the directory holds other files than a study's (${foreign.slice(0, 3).join(', ')})`);
  }
  mkdirSync(outDir, { recursive: true });
  const zoo = zooHyperparams[envId];
  const pruner = new MedianPruner({ nStartupTrials: args.startupTrials ?? 5, nWarmupSteps: args.warmupSteps ?? 0 });
  const study: Study = {
    envId, envModule, seed, timesteps: args.timesteps, nEnvs: zoo?.nEnvs ?? 1, normalize: zoo?.normalize ?? false,
    nEvaluations: args.evaluations ?? 5, evalEpisodes: args.evalEpisodes ?? 5,
    pruner: { nStartupTrials: pruner.nStartupTrials, nWarmupSteps: pruner.nWarmupSteps }, activationSampled: true, trials: [],
  };
  const params = sampleTrials(args.trials, seed);
  const specs: TrialSpec[] = params.map((p, number) => ({
    number, env, params: p, nEnvs: study.nEnvs, normalize: study.normalize, timesteps: args.timesteps,
    nEvaluations: study.nEvaluations, evalEpisodes: study.evalEpisodes, seed, ...(args.backend ? { backend: args.backend } : {}),
  }));
  // The study's view of every trial, for the pruner.
  const state: (PrunerTrial & { intermediate: Map<number, number> })[] = specs.map(() => ({ state: 'running', intermediate: new Map() }));
  const ask = (number: number) => async (step: number, value: number): Promise<boolean> => {
    state[number].intermediate.set(step, value);
    return pruner.shouldPrune(state[number], step, state);
  };
  const results: StudyTrial[] = [];
  const onResult = (r: TrialResult): void => {
    state[r.number].state = r.state;
    results.push({ ...r, params: params[r.number] });
    log(`trial ${r.number}: ${r.state}${r.state === 'failed' ? ` (${r.error})` : ''}, mean return ${fmt(r.value)} after ${r.timesteps} steps`);
    // The files are rewritten after every trial, so an interrupted study keeps what it found.
    writeStudy(outDir, { ...study, trials: [...results].sort((a, b) => a.number - b.number) });
  };
  log(`tuning TRPO on ${envId}: ${args.trials} trials x ${args.timesteps} steps, ${study.nEnvs} env(s), ${study.nEvaluations} evaluations of ${study.evalEpisodes} episodes each, `
    + `median pruner after ${pruner.nStartupTrials} trials, seed ${seed}${args.workers ? `, ${args.workers} worker thread${args.workers === 1 ? '' : 's'}` : ''}`);
  if (args.workers !== undefined) {
    await runTrialsOnWorkers(specs, args.workers, ask, onResult);
  } else {
    for (const spec of specs) onResult(await runTrial(spec, ask(spec.number)));
  }
  study.trials = results.sort((a, b) => a.number - b.number);
  const best = writeStudy(outDir, study);
  if (best) log(`best: trial ${best.number}, mean return ${fmt(best.value)}: ${JSON.stringify(best.params)}`);
  else log('no trial completed');
  log(`results: ${join(outDir, TUNE_FILES.trials)}, ${join(outDir, TUNE_FILES.report)}${best ? `; settings for trpo train --config: ${join(outDir, TUNE_FILES.best)}` : ''}`);
  return study;
}
