/**
 * `trpo train --resume <run-dir>`: the latest saved state of a run (the final model, or the newest
 * checkpoint of a run that was killed), and the run's files cut back to that state, so that the
 * continued run writes exactly what the uninterrupted run would have written.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, readMetrics } from '../report/run-dir.js';
import { readModelFile } from '../trpo/serialize.js';
import { UsageError } from './args.js';

export const CHECKPOINT_DIR = 'checkpoints';
export const EVALUATIONS_FILE = 'evaluations.json';

export interface SavedState {
  path: string;
  numTimesteps: number;
  numUpdates: number;
  /** Whether the file holds the envs' running episodes (envs with getState, in-process or in worker threads); without them the resumed run starts new episodes. */
  hasEnvState: boolean;
}

async function stateOf(path: string): Promise<SavedState | null> {
  try {
    const p = await readModelFile(path);
    const pr = p.progress as { numTimesteps: number; numUpdates: number };
    return { path, numTimesteps: pr.numTimesteps, numUpdates: pr.numUpdates, hasEnvState: p.envState !== null && p.envState !== undefined };
  } catch {
    return null; // a half-written or foreign file: not a state to resume from
  }
}

/** The saved model of `runDir` with the most timesteps (model.trpo.json wins a tie with a checkpoint). */
export async function latestState(runDir: string): Promise<SavedState> {
  const candidates = [join(runDir, RUN_FILES.model)];
  const ckpt = join(runDir, CHECKPOINT_DIR);
  if (existsSync(ckpt)) for (const f of readdirSync(ckpt).sort()) if (f.endsWith('.trpo.json')) candidates.push(join(ckpt, f));
  let best: SavedState | null = null;
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const s = await stateOf(path);
    if (s && (best === null || s.numTimesteps > best.numTimesteps)) best = s;
  }
  if (!best) throw new UsageError(`--resume ${runDir}: no model to resume from (neither ${RUN_FILES.model} nor a checkpoint in ${CHECKPOINT_DIR}/)`);
  return best;
}

/** Drop the metrics rows after update `numUpdates` (written after the state was saved). */
export function truncateMetrics(runDir: string, numUpdates: number): void {
  const rows = readMetrics(runDir).filter((r) => (r.update ?? 0) <= numUpdates);
  writeFileSync(join(runDir, RUN_FILES.metrics), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

export interface EvaluationHistory {
  timesteps: number[];
  results: number[][];
  epLengths: number[][];
}

/** The EvalCallback's evaluations up to `numTimesteps` (evaluations.json in the run directory), or none. */
export function readEvaluations(runDir: string, numTimesteps: number): EvaluationHistory {
  const path = join(runDir, EVALUATIONS_FILE);
  const none: EvaluationHistory = { timesteps: [], results: [], epLengths: [] };
  if (!existsSync(path)) return none;
  const e = JSON.parse(readFileSync(path, 'utf8')) as EvaluationHistory;
  const keep = e.timesteps.filter((t) => t <= numTimesteps).length;
  return { timesteps: e.timesteps.slice(0, keep), results: e.results.slice(0, keep), epLengths: e.epLengths.slice(0, keep) };
}
