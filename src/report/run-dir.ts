/** The files of a training run directory, written by `trpo train` and read by `trpo eval` / `trpo report`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VecNormalizeOptions } from '../envs/vector/normalize.js';
import type { ResolvedTRPOOptions } from '../trpo/options.js';
import type { RecordedEpisode } from './replay.js';
import type { SnapshotsFile } from './snapshots.js';
import type { EvalSummary, MetricsRow } from './types.js';

export const RUN_FORMAT = 'trpo-node/run';

export const RUN_FILES = Object.freeze({
  config: 'config.json',
  metrics: 'metrics.jsonl',
  model: 'model.trpo.json',
  snapshots: 'snapshots.json',
  eval: 'eval.json',
  /** The report's evaluation episode (replay.ts RecordedEpisode: states or geom poses, observations). */
  replay: 'replay.json',
  report: 'report.html',
});

/** config.json: everything needed to reproduce the run. */
export interface RunConfig {
  format: typeof RUN_FORMAT;
  formatVersion: 1;
  envId: string;
  seed: number;
  totalTimesteps: number;
  nEnvs: number;
  /** Worker threads of the training envs (null: in-process). Absent in older runs. */
  workers?: number | null;
  normalize: false | VecNormalizeOptions;
  /** Where the hyperparameters come from: "zoo", "defaults" or the --config file. */
  hyperparameters: string;
  /** The TRPO options after defaults. */
  options: ResolvedTRPOOptions;
  versions: {
    trpoNode: string;
    node: string;
    platform: string;
    backend: 'native' | 'js';
    native: string | null;
  };
  createdAt: string;
}

export function isRunDir(dir: string): boolean {
  const p = join(dir, RUN_FILES.config);
  if (!existsSync(p)) return false;
  try {
    return (JSON.parse(readFileSync(p, 'utf8')) as { format?: unknown }).format === RUN_FORMAT;
  } catch {
    return false;
  }
}

export function readRunConfig(dir: string): RunConfig {
  const p = join(dir, RUN_FILES.config);
  let c: RunConfig;
  try {
    c = JSON.parse(readFileSync(p, 'utf8')) as RunConfig;
  } catch (e) {
    throw new Error(`${p}: cannot read the run's config (${(e as Error).message})`);
  }
  if (c.format !== RUN_FORMAT || typeof c.envId !== 'string') throw new Error(`${p}: not a trpo run config (expected "format": "${RUN_FORMAT}" and an envId)`);
  return c;
}

/** metrics.jsonl rows (blank lines skipped; a truncated last line is ignored). */
export function readMetrics(dir: string): MetricsRow[] {
  const p = join(dir, RUN_FILES.metrics);
  if (!existsSync(p)) return [];
  const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const rows: MetricsRow[] = [];
  lines.forEach((line, i) => {
    try {
      rows.push(JSON.parse(line) as MetricsRow);
    } catch (e) {
      if (i < lines.length - 1) throw new Error(`${p}: line ${i + 1} is not JSON (${(e as Error).message})`);
    }
  });
  return rows;
}

function readOptionalJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function readEval(dir: string): EvalSummary | null {
  return readOptionalJson<EvalSummary>(join(dir, RUN_FILES.eval));
}

export function readSnapshots(dir: string): SnapshotsFile | null {
  return readOptionalJson<SnapshotsFile>(join(dir, RUN_FILES.snapshots));
}

/** replay.json (written by `trpo train`), or null for runs without it. */
export function readReplay(dir: string): RecordedEpisode | null {
  return readOptionalJson<RecordedEpisode>(join(dir, RUN_FILES.replay));
}
