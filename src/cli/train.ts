/**
 * `trpo train <env-id>`: trains, and writes the run directory (config.json, metrics.jsonl, the
 * model, snapshots.json, eval.json, replay.json, report.html; with --eval-freq best_model.trpo.json
 * and evaluations.json/.npz, with --checkpoint-freq checkpoints/). `--resume <run-dir>` continues a
 * run from its latest saved state, exactly as if it had not stopped.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeInfo } from '../backend.js';
import type { BaseCallback } from '../callbacks/base.js';
import { CheckpointCallback } from '../callbacks/checkpoint.js';
import { EvalCallback } from '../callbacks/eval.js';
import type { EnvSource } from '../envs/vector/env-source.js';
import { makeVecEnv } from '../envs/vector/make-vec-env.js';
import type { VecNormalizeOptions } from '../envs/vector/normalize.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { listEnvs } from '../envs/registry.js';
import { writeRunReport } from '../report/build.js';
import { recordEpisodeAsync, REPLAY_SEED_OFFSET } from '../report/replay.js';
import { RUN_FILES, RUN_FORMAT, isRunDir, readRunConfig, type RunConfig } from '../report/run-dir.js';
import { SnapshotRecorder, supportsSnapshots } from '../report/snapshots.js';
import type { EvalSummary } from '../report/types.js';
import { evaluatePolicy } from '../trpo/evaluate.js';
import { resolveTRPOOptions, type TRPOOptions } from '../trpo/options.js';
import { JsonLinesLogger } from '../trpo/logger.js';
import { TRPO } from '../trpo/trpo.js';
import { UsageError, type BackendArg } from './args.js';
import { envModuleRef, loadEnvModule, parseEnvModule, type EnvModuleSpec } from './env-module.js';
import { StepSeededVecEnv, makeEvalEnvFor } from './eval-env.js';
import { resolveHyperparams } from './hyperparams.js';
import { packageVersion } from './package-info.js';
import { TrainingProgress } from './progress.js';
import { TrainInterrupt } from './interrupt.js';
import { StopOnRequest } from './stop-hook.js';
import { CHECKPOINT_DIR, EVALUATIONS_FILE, latestState, readEvaluations, truncateMetrics } from './resume.js';
import { checkQueueFlag, checkRedisFlag } from './worker.js';

export interface TrainArgs {
  /** A registered env id (or, with envModule, none). */
  envId?: string;
  /** `<file>:<export>`: a user's env class or factory (--env-module). */
  envModule?: string;
  /** Number of envs (default: the hyperparameters' nEnvs). */
  nEnvs?: number;
  timesteps?: number;
  /** Default 0. */
  seed?: number;
  config?: string;
  out?: string;
  /** A run directory to continue (--resume). */
  resume?: string;
  backend?: BackendArg;
  /** Worker threads for the training envs (default: in-process envs). */
  workers?: number;
  /** Evaluate every evalFreq steps per env during training (EvalCallback; default: only at the end). */
  evalFreq?: number;
  /** Episodes of each evaluation (default 10). */
  evalEpisodes?: number;
  /** Save a checkpoint every checkpointFreq steps per env (CheckpointCallback). */
  checkpointFreq?: number;
  /** TensorBoard log directory (runs TRPO_1, TRPO_2, ... in it). */
  tensorboard?: string;
  /** SB3's table after every update on stdout. */
  verbose?: boolean;
  report?: boolean;
  /** Show the progress bar on stderr (default true; off with verbose). */
  progress?: boolean;
  /** Collect the rollouts on rollout workers connected to this Redis (--redis). */
  redis?: string;
  /** With redis: jobs per update (default 1, at most nEnvs). */
  segments?: number;
  /** With redis: the BullMQ queue (default trpo-rollouts). */
  queue?: string;
}

export interface TrainResult {
  outDir: string;
  evaluation: EvalSummary;
  updates: number;
  timesteps: number;
}

/** config.json of a run of the CLI: RunConfig plus what --resume needs to rebuild the run. */
export interface CliRunConfig extends RunConfig {
  /** The env module (absolute path, export) when the env is a user's own (--env-module). */
  envModule?: EnvModuleSpec | null;
  evalFreq?: number | null;
  evalEpisodes?: number;
  checkpointFreq?: number | null;
  tensorboard?: string | null;
  verbose?: boolean;
  /** The steps at which the run was resumed. */
  resumedAt?: number[];
  /** Distributed rollouts (--redis; the URL is not stored, it may hold a password). */
  rollouts?: { segments: number; queue: string | null } | null;
}

/** Files of a run besides RUN_FILES, removed when a new run reuses the directory. */
const EXTRA_RUN_FILES = ['best_model.trpo.json', EVALUATIONS_FILE, 'evaluations.npz', CHECKPOINT_DIR];

/** Creates `dir`, or empties the run files of a previous run in it; refuses any other non-empty directory. */
export function prepareRunDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir}: not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      if (!isRunDir(dir)) throw new UsageError(`--out ${dir}: the directory is not empty and is not a trpo run directory (no config.json of a run)`);
      for (const f of [...Object.values(RUN_FILES), ...EXTRA_RUN_FILES]) rmSync(join(dir, f), { force: true, recursive: true });
    }
  }
  mkdirSync(dir, { recursive: true });
}

function nativeDescription(): string | null {
  const n = nativeInfo();
  return n.available ? `${n.variant ?? '?'} (${n.simd ?? '?'})` : null;
}

/** Everything a run is built from: a new run's arguments, or a resumed run's config.json. */
interface RunPlan {
  envLabel: string;
  source: EnvSource;
  envModule: EnvModuleSpec | null;
  options: TRPOOptions;
  nEnvs: number;
  normalize: false | VecNormalizeOptions;
  hyperparameters: string;
  seed: number;
  totalTimesteps: number;
  outDir: string;
  workers: number | null;
  evalFreq: number | null;
  evalEpisodes: number;
  checkpointFreq: number | null;
  tensorboard: string | null;
  verbose: boolean;
  /** For --resume: the config.json and the model file to continue from. */
  resume: { config: CliRunConfig; statePath: string; hasEnvState: boolean } | null;
}

async function planNewRun(args: TrainArgs): Promise<RunPlan> {
  if (args.envModule !== undefined && args.envId !== undefined) throw new UsageError(`give either <env-id> or --env-module, not both (got ${args.envId} and --env-module ${args.envModule})`);
  let envModule: EnvModuleSpec | null = null;
  let envLabel: string;
  let source: EnvSource;
  if (args.envModule !== undefined) {
    envModule = parseEnvModule(args.envModule);
    envLabel = await loadEnvModule(envModule);
    source = envModuleRef(envModule);
  } else {
    if (args.envId === undefined) throw new UsageError("missing required argument 'env-id' (or --env-module <file>:<export>)");
    if (!listEnvs().includes(args.envId)) throw new UsageError(`unknown env id ${JSON.stringify(args.envId)}; expected one of ${listEnvs().join(', ')}`);
    envLabel = args.envId;
    source = args.envId;
  }
  const h = resolveHyperparams(envLabel, args.config);
  const seed = args.seed ?? 0;
  return {
    envLabel, source, envModule,
    options: { ...h.options, seed, ...(args.backend ? { backend: args.backend } : {}) },
    nEnvs: args.nEnvs ?? h.nEnvs,
    normalize: h.normalize,
    hyperparameters: h.source,
    seed,
    totalTimesteps: args.timesteps ?? h.nTimesteps ?? 100_000,
    outDir: args.out ?? join('runs', `${envLabel}-seed${seed}`),
    workers: args.workers ?? null,
    evalFreq: args.evalFreq ?? null,
    evalEpisodes: args.evalEpisodes ?? 10,
    checkpointFreq: args.checkpointFreq ?? null,
    tensorboard: args.tensorboard ?? null,
    verbose: args.verbose ?? false,
    resume: null,
  };
}

/** Flags that define the run, and so come from config.json when resuming. */
const FIXED_ON_RESUME = [['envId', '<env-id>'], ['envModule', '--env-module'], ['nEnvs', '--n-envs'], ['seed', '--seed'], ['config', '--config'], ['out', '--out']] as const;

async function planResume(args: TrainArgs): Promise<RunPlan> {
  const dir = args.resume!;
  for (const [key, flag] of FIXED_ON_RESUME) {
    if (args[key] !== undefined) throw new UsageError(`--resume: ${flag} cannot be given, the run's ${RUN_FILES.config} sets it (got ${String(args[key])})`);
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--resume ${dir}: no such run directory`);
  if (!isRunDir(dir)) throw new UsageError(`--resume ${dir}: not a run directory (no ${RUN_FILES.config} written by trpo train)`);
  const config = readRunConfig(dir) as CliRunConfig;
  let envLabel = config.envId;
  let source: EnvSource = config.envId;
  const envModule = config.envModule ?? null;
  if (envModule) {
    envLabel = await loadEnvModule(envModule, `--resume ${dir}: env module`);
    source = envModuleRef(envModule);
  } else if (!listEnvs().includes(config.envId)) {
    throw new UsageError(`--resume ${dir}: the run's env id ${JSON.stringify(config.envId)} is not registered`);
  }
  const state = await latestState(dir);
  const totalTimesteps = args.timesteps ?? config.totalTimesteps;
  if (totalTimesteps <= state.numTimesteps) {
    throw new UsageError(`--resume ${dir}: the run has ${state.numTimesteps} steps already (${state.path}); pass --timesteps with a larger total to train on`);
  }
  const { seed: _seed, policyKwargs, ...options } = config.options;
  return {
    envLabel, source, envModule,
    options: { ...options, policyKwargs: { netArch: policyKwargs.netArch, ...(policyKwargs.logStdInit === null ? {} : { logStdInit: policyKwargs.logStdInit }) }, seed: config.seed, ...(args.backend ? { backend: args.backend } : {}) },
    nEnvs: config.nEnvs,
    normalize: config.normalize,
    hyperparameters: config.hyperparameters,
    seed: config.seed,
    totalTimesteps,
    outDir: dir,
    workers: args.workers ?? config.workers ?? null,
    evalFreq: args.evalFreq ?? config.evalFreq ?? null,
    evalEpisodes: args.evalEpisodes ?? config.evalEpisodes ?? 10,
    checkpointFreq: args.checkpointFreq ?? config.checkpointFreq ?? null,
    tensorboard: args.tensorboard ?? config.tensorboard ?? null,
    verbose: args.verbose ?? config.verbose ?? false,
    resume: { config, statePath: state.path, hasEnvState: state.hasEnvState },
  };
}

/** --redis, --segments, --queue: checked against each other and the run (per-step callbacks need local rollouts). */
function distributedPlan(args: TrainArgs, plan: RunPlan): { segments: number; queue: string | null } | null {
  if (args.redis === undefined) {
    if (args.segments !== undefined) throw new UsageError(`--segments ${args.segments}: needs --redis <url> (the segments are jobs for trpo worker processes)`);
    if (args.queue !== undefined) throw new UsageError(`--queue ${args.queue}: needs --redis <url>`);
    return null;
  }
  checkQueueFlag(args.queue);
  const segments = args.segments ?? 1;
  if (segments > plan.nEnvs) throw new UsageError(`--segments ${segments}: at most one segment per env (nEnvs is ${plan.nEnvs})`);
  const conflicts: [unknown, string][] = [[plan.workers, '--workers'], [plan.evalFreq, '--eval-freq'], [plan.checkpointFreq, '--checkpoint-freq']];
  for (const [value, flag] of conflicts) {
    if (value !== null) throw new UsageError(`--redis: ${flag} cannot be used with distributed rollouts (${flag === '--workers' ? 'the rollout workers step the envs' : 'its per-step callback needs the rollout in this process'}; got ${flag} ${String(value)})`);
  }
  return { segments, queue: args.queue ?? null };
}

export async function train(args: TrainArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<TrainResult> {
  const plan = args.resume !== undefined ? await planResume(args) : await planNewRun(args);
  const resolved = resolveTRPOOptions(plan.options);
  const nEnvs = plan.nEnvs;
  const batch = resolved.nSteps * nEnvs;
  if (resolved.normalizeAdvantage && batch < 2) throw new UsageError(`nSteps x nEnvs must be > 1, got ${resolved.nSteps} x ${nEnvs}`);
  if (plan.workers !== null && plan.workers > nEnvs) throw new UsageError(`--workers ${plan.workers}: at most one worker per env (nEnvs is ${nEnvs})`);
  const distributed = distributedPlan(args, plan);
  if (distributed) await checkRedisFlag(args.redis!, 3000);
  const rollouts = distributed ? {
    redis: args.redis!, segments: distributed.segments, ...(distributed.queue !== null ? { queue: distributed.queue } : {}),
    ...(plan.envModule ? { env: envModuleRef(plan.envModule) } : {}), // workers started with --allow-env-modules import it
  } : null;
  if (plan.tensorboard !== null && existsSync(plan.tensorboard) && !statSync(plan.tensorboard).isDirectory()) throw new UsageError(`--tensorboard ${plan.tensorboard}: not a directory`);
  const outDir = plan.outDir;
  if (!plan.resume) prepareRunDir(outDir);

  const normalize = plan.normalize === false ? false : { ...plan.normalize, gamma: plan.normalize.gamma ?? resolved.gamma };
  const env: VecEnv = await makeVecEnv(plan.source, { nEnvs, normalize, workers: plan.workers ?? undefined });
  let periodicEvalEnv: VecEnv | null = null;
  let progress: TrainingProgress | null = null;
  // SIGINT / SIGTERM: stop at the next update boundary with a resumable model, exit 130 / 143.
  const interrupt = new TrainInterrupt();
  try {
    let model: TRPO;
    let config: CliRunConfig;
    if (plan.resume) {
      model = await TRPO.load(plan.resume.statePath, { env, ...(args.backend ? { backend: args.backend } : {}) });
      if (rollouts) model.setRollouts(rollouts);
      truncateMetrics(outDir, model.numUpdates);
      const prior = plan.resume.config;
      config = {
        ...prior, totalTimesteps: plan.totalTimesteps, workers: plan.workers, evalFreq: plan.evalFreq, evalEpisodes: plan.evalEpisodes,
        checkpointFreq: plan.checkpointFreq, tensorboard: plan.tensorboard, verbose: plan.verbose,
        resumedAt: [...(prior.resumedAt ?? []), model.numTimesteps], rollouts: distributed,
      };
    } else {
      model = new TRPO('MlpPolicy', env, { ...plan.options, ...(rollouts ? { rollouts } : {}) });
      config = {
        format: RUN_FORMAT, formatVersion: 1,
        envId: plan.envLabel, envModule: plan.envModule, seed: plan.seed, totalTimesteps: plan.totalTimesteps, nEnvs, workers: plan.workers, normalize,
        hyperparameters: plan.hyperparameters, options: model.options,
        evalFreq: plan.evalFreq, evalEpisodes: plan.evalEpisodes, checkpointFreq: plan.checkpointFreq, tensorboard: plan.tensorboard, verbose: plan.verbose,
        rollouts: distributed,
        versions: {
          trpoNode: packageVersion(), node: process.version, platform: `${process.platform}-${process.arch}`,
          backend: model.backend, native: model.backend === 'native' ? nativeDescription() : null,
        },
        createdAt: new Date().toISOString(),
      };
    }
    const m = model;
    model.tensorboardLog = plan.tensorboard;
    model.verbose = plan.verbose ? 1 : 0;
    writeFileSync(join(outDir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
    const what = `${plan.totalTimesteps} steps, ${nEnvs} env(s)${plan.workers ? ` on ${plan.workers} worker thread${plan.workers === 1 ? '' : 's'}` : ''}${distributed ? ` on the rollout workers of ${args.redis} (${distributed.segments} job${distributed.segments === 1 ? '' : 's'} per update)` : ''} x ${resolved.nSteps} steps per update, seed ${plan.seed}, ${model.backend} backend, hyperparameters: ${plan.hyperparameters}`;
    if (plan.resume && !plan.resume.hasEnvState) log(`note: ${plan.resume.statePath} holds no env state (envs without getState): the resumed run starts new episodes, so it is not identical to an uninterrupted run`);
    log(plan.resume ? `resuming TRPO on ${plan.envLabel} from ${plan.resume.statePath} at step ${model.numTimesteps} (update ${model.numUpdates}): ${what}` : `training TRPO on ${plan.envLabel}: ${what}`);

    // SB3's callbacks; their frequencies count steps per env, so a resumed run starts the count at its steps.
    const callbacks: BaseCallback[] = [];
    const callsSoFar = model.numTimesteps / nEnvs;
    const evalSeed = plan.seed + 1000;
    let evalCallback: EvalCallback | null = null;
    if (plan.evalFreq !== null) {
      periodicEvalEnv = new StepSeededVecEnv(await makeVecEnv(plan.source, { nEnvs: 1 }), evalSeed, () => m.numTimesteps);
      evalCallback = new EvalCallback(periodicEvalEnv, {
        evalFreq: plan.evalFreq, nEvalEpisodes: plan.evalEpisodes, deterministic: true, bestModelSavePath: outDir, logPath: outDir, verbose: plan.verbose ? 1 : 0,
      });
      if (plan.resume) {
        const history = readEvaluations(outDir, model.numTimesteps);
        evalCallback.evaluations.timesteps.push(...history.timesteps);
        evalCallback.evaluations.results.push(...history.results);
        evalCallback.evaluations.epLengths.push(...history.epLengths);
        for (const r of history.results) evalCallback.bestMeanReward = Math.max(evalCallback.bestMeanReward, r.reduce((a, b) => a + b, 0) / r.length);
      }
      callbacks.push(evalCallback);
    }
    if (plan.checkpointFreq !== null) callbacks.push(new CheckpointCallback({ saveFreq: plan.checkpointFreq, savePath: join(outDir, CHECKPOINT_DIR), namePrefix: 'rl_model', verbose: plan.verbose ? 2 : 0 }));
    for (const c of callbacks) c.nCalls = callsSoFar;

    const totalUpdates = Math.ceil(plan.totalTimesteps / batch);
    const snapshots = !plan.resume && supportsSnapshots(model.observationSpace) ? new SnapshotRecorder(totalUpdates) : null;
    progress = args.progress === false || plan.verbose ? null : new TrainingProgress(totalUpdates * batch);
    interrupt.install();
    const modelPath = join(outDir, RUN_FILES.model);
    const stopHook = new StopOnRequest(modelPath, () => interrupt.requested);
    const metrics = new JsonLinesLogger(join(outDir, RUN_FILES.metrics));
    await model.learn({
      totalTimesteps: plan.totalTimesteps - model.numTimesteps,
      resetNumTimesteps: plan.resume === null,
      logger: {
        log: (info) => {
          metrics.log(info);
          progress?.update(info);
          snapshots?.onUpdate(info.update, info.timesteps, m);
        },
        close: () => metrics.close(),
      },
      // Distributed rollouts take no per-step callbacks: Ctrl-C stops after the update in progress.
      callback: distributed ? () => !interrupt.requested : [...callbacks, stopHook],
    });
    progress?.stop();
    progress = null;
    snapshots?.capture(model.numUpdates, model.numTimesteps, model);
    if (!stopHook.saved) await model.save(modelPath);
    if (snapshots) writeFileSync(join(outDir, RUN_FILES.snapshots), JSON.stringify(snapshots.toJSON()));
    if (interrupt.signal) {
      const at = stopHook.saved ? stopHook.savedAt : { updates: model.numUpdates, timesteps: model.numTimesteps };
      log(`${interrupt.signal}: saved the model after ${at.updates} updates (${at.timesteps} steps): ${modelPath} holds the model after update ${at.updates}; continue with trpo train --resume ${outDir}${distributed ? ' --redis <url>' : ''}`);
      return { outDir, evaluation: { meanReward: NaN, stdReward: NaN, episodes: 0, deterministic: true, seed: 0, episodeRewards: [] }, updates: model.numUpdates, timesteps: model.numTimesteps };
    }
    if (evalCallback) log(`periodic evaluation: best mean return ${evalCallback.bestMeanReward.toFixed(2)} over ${evalCallback.evaluations.timesteps.length} evaluations (best model: ${evalCallback.bestModelPath})`);

    const evalEnv = await makeEvalEnvFor(plan.source, model, { seed: evalSeed });
    let evaluation: EvalSummary;
    try {
      const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: plan.evalEpisodes, deterministic: true, seed: evalSeed });
      evaluation = { meanReward: r.meanReward, stdReward: r.stdReward, episodes: r.episodeRewards.length, deterministic: true, seed: evalSeed, episodeRewards: r.episodeRewards };
    } finally {
      await evalEnv.close();
    }
    writeFileSync(join(outDir, RUN_FILES.eval), `${JSON.stringify(evaluation, null, 2)}\n`);
    const episode = await recordEpisodeAsync(model, plan.envLabel, plan.seed + REPLAY_SEED_OFFSET);
    writeFileSync(join(outDir, RUN_FILES.replay), JSON.stringify(episode));
    log(`trained ${model.numUpdates} update${model.numUpdates === 1 ? '' : 's'}, ${model.numTimesteps} steps; evaluation: ${evaluation.meanReward.toFixed(2)} ± ${evaluation.stdReward.toFixed(2)} over ${evaluation.episodes} deterministic episodes`);
    if (args.report !== false) log(`report: ${await writeRunReport(outDir)}`);
    log(`run directory: ${outDir}`);
    return { outDir, evaluation, updates: model.numUpdates, timesteps: model.numTimesteps };
  } finally {
    progress?.stop();
    interrupt.uninstall();
    await periodicEvalEnv?.close();
    await env.close();
    interrupt.exitIfInterrupted();
  }
}
