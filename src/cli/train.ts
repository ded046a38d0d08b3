/**
 * `trpo train <env-id>`: trains, and writes the run directory (config.json, metrics.jsonl, the
 * model, snapshots.json, eval.json, replay.json, report.html).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeInfo } from '../backend.js';
import { makeVecEnv } from '../envs/vector/make-vec-env.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { writeRunReport } from '../report/build.js';
import { recordEpisodeAsync, REPLAY_SEED_OFFSET } from '../report/replay.js';
import { RUN_FILES, RUN_FORMAT, isRunDir, type RunConfig } from '../report/run-dir.js';
import { SnapshotRecorder, supportsSnapshots } from '../report/snapshots.js';
import type { EvalSummary } from '../report/types.js';
import { evaluatePolicy } from '../trpo/evaluate.js';
import { resolveTRPOOptions, type TRPOOptions } from '../trpo/options.js';
import { TRPO } from '../trpo/trpo.js';
import { makeEvalEnv } from '../trpo/zoo.js';
import { UsageError, type BackendArg } from './args.js';
import { resolveHyperparams } from './hyperparams.js';
import { packageVersion } from './package-info.js';
import { TrainingProgress } from './progress.js';
import { TrainInterrupt } from './interrupt.js';

export interface TrainArgs {
  envId: string;
  timesteps?: number;
  seed: number;
  config?: string;
  out?: string;
  backend?: BackendArg;
  /** Worker threads for the training envs (default: in-process envs). */
  workers?: number;
  evalEpisodes: number;
  report: boolean;
  /** Show the progress bar on stderr (default true). */
  progress?: boolean;
}

export interface TrainResult {
  outDir: string;
  evaluation: EvalSummary;
  updates: number;
  timesteps: number;
}

/** Creates `dir`, or empties the run files of a previous run in it; refuses any other non-empty directory. */
export function prepareRunDir(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      if (!isRunDir(dir)) throw new UsageError(`--out ${dir}: the directory is not empty and is not a trpo run directory (no config.json of a run)`);
      for (const f of Object.values(RUN_FILES)) rmSync(join(dir, f), { force: true });
    }
  }
  mkdirSync(dir, { recursive: true });
}

function nativeDescription(): string | null {
  const n = nativeInfo();
  return n.available ? `${n.variant ?? '?'} (${n.simd ?? '?'})` : null;
}

export async function train(args: TrainArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<TrainResult> {
  const h = resolveHyperparams(args.envId, args.config);
  const options: TRPOOptions = { ...h.options, seed: args.seed, ...(args.backend ? { backend: args.backend } : {}) };
  const resolved = resolveTRPOOptions(options);
  const totalTimesteps = args.timesteps ?? h.nTimesteps ?? 100_000;
  const batch = resolved.nSteps * h.nEnvs;
  if (resolved.normalizeAdvantage && batch < 2) throw new UsageError(`nSteps x nEnvs must be > 1, got ${resolved.nSteps} x ${h.nEnvs}`);
  const outDir = args.out ?? join('runs', `${args.envId}-seed${args.seed}`);
  prepareRunDir(outDir);

  const normalize = h.normalize === false ? false : { ...h.normalize, gamma: h.normalize.gamma ?? resolved.gamma };
  if (args.workers !== undefined && args.workers > h.nEnvs) throw new UsageError(`--workers ${args.workers}: at most one worker per env (nEnvs is ${h.nEnvs})`);
  const env: VecEnv = await makeVecEnv(args.envId, { nEnvs: h.nEnvs, normalize, workers: args.workers });
  let progress: TrainingProgress | null = null;
  const interrupt = new TrainInterrupt();
  try {
    const model = new TRPO('MlpPolicy', env, options);
    const config: RunConfig = {
      format: RUN_FORMAT, formatVersion: 1,
      envId: args.envId, seed: args.seed, totalTimesteps, nEnvs: h.nEnvs, workers: args.workers ?? null, normalize,
      hyperparameters: h.source, options: model.options,
      versions: {
        trpoNode: packageVersion(), node: process.version, platform: `${process.platform}-${process.arch}`,
        backend: model.backend, native: model.backend === 'native' ? nativeDescription() : null,
      },
      createdAt: new Date().toISOString(),
    };
    writeFileSync(join(outDir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
    log(`training TRPO on ${args.envId}: ${totalTimesteps} steps, ${h.nEnvs} env(s)${args.workers ? ` on ${args.workers} worker thread${args.workers === 1 ? '' : 's'}` : ''} x ${resolved.nSteps} steps per update, seed ${args.seed}, ${model.backend} backend, hyperparameters: ${h.source}`);

    const totalUpdates = Math.ceil(totalTimesteps / batch);
    const snapshots = supportsSnapshots(model.observationSpace) ? new SnapshotRecorder(totalUpdates) : null;
    progress = args.progress === false ? null : new TrainingProgress(totalUpdates * batch);
    interrupt.install();
    await model.learn({
      totalTimesteps,
      logger: join(outDir, RUN_FILES.metrics),
      callback: async (info, m) => {
        progress?.update(info);
        snapshots?.onUpdate(info.update, info.timesteps, m);
        await interrupt.poll();
        return !interrupt.requested;
      },
    });
    progress?.stop();
    progress = null;
    snapshots?.capture(model.numUpdates, model.numTimesteps, model);
    await model.save(join(outDir, RUN_FILES.model));
    if (snapshots) writeFileSync(join(outDir, RUN_FILES.snapshots), JSON.stringify(snapshots.toJSON()));
    if (interrupt.signal) {
      log(`${interrupt.signal}: saved the model after ${model.numUpdates} updates (${model.numTimesteps} steps) to ${join(outDir, RUN_FILES.model)}; resume with TRPO.load(path, { env }) and learn({ resetNumTimesteps: false })`);
      return { outDir, evaluation: { meanReward: NaN, stdReward: NaN, episodes: 0, deterministic: true, seed: 0, episodeRewards: [] }, updates: model.numUpdates, timesteps: model.numTimesteps };
    }

    const evalSeed = args.seed + 1000;
    const evalEnv = await makeEvalEnv(args.envId, model, { seed: evalSeed });
    let evaluation: EvalSummary;
    try {
      const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: args.evalEpisodes, deterministic: true, seed: evalSeed });
      evaluation = { meanReward: r.meanReward, stdReward: r.stdReward, episodes: r.episodeRewards.length, deterministic: true, seed: evalSeed, episodeRewards: r.episodeRewards };
    } finally {
      await evalEnv.close();
    }
    writeFileSync(join(outDir, RUN_FILES.eval), `${JSON.stringify(evaluation, null, 2)}\n`);
    const episode = await recordEpisodeAsync(model, args.envId, args.seed + REPLAY_SEED_OFFSET);
    writeFileSync(join(outDir, RUN_FILES.replay), JSON.stringify(episode));
    log(`trained ${model.numUpdates} update${model.numUpdates === 1 ? '' : 's'}, ${model.numTimesteps} steps; evaluation: ${evaluation.meanReward.toFixed(2)} ± ${evaluation.stdReward.toFixed(2)} over ${evaluation.episodes} deterministic episodes`);
    if (args.report) log(`report: ${await writeRunReport(outDir)}`);
    log(`run directory: ${outDir}`);
    return { outDir, evaluation, updates: model.numUpdates, timesteps: model.numTimesteps };
  } finally {
    progress?.stop();
    interrupt.uninstall();
    await env.close();
    interrupt.exitIfInterrupted();
  }
}
