/** Builds report.html for a run directory: reads its files, replays the final policy, evaluates the snapshots. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from './html.js';
import { recordEpisodeAsync, REPLAY_SEED_OFFSET } from './replay.js';
import { RUN_FILES, readEval, readMetrics, readReplay, readRunConfig, readSnapshots, type RunConfig } from './run-dir.js';
import { evaluateSnapshots } from './snapshots.js';
import type { ReportData } from './types.js';
import { GaussianMlpPolicy } from '../policies.js';
import { TRPO } from '../trpo/trpo.js';

/** Flat key/value rows for the report's configuration table. */
export function configRows(c: RunConfig): Record<string, unknown> {
  const { policyKwargs, seed: _seed, ...options } = c.options;
  return {
    envId: c.envId,
    seed: c.seed,
    totalTimesteps: c.totalTimesteps,
    nEnvs: c.nEnvs,
    normalize: c.normalize,
    hyperparameters: c.hyperparameters,
    ...options,
    netArch: policyKwargs.netArch,
    logStdInit: policyKwargs.logStdInit,
    trpoNode: c.versions.trpoNode,
    node: c.versions.node,
    platform: c.versions.platform,
    backendUsed: c.versions.backend,
    native: c.versions.native,
    createdAt: c.createdAt,
  };
}

/** Everything the report shows, from the run directory (the model is loaded to replay it when replay.json is absent). */
export async function loadReportData(dir: string): Promise<ReportData> {
  const config = readRunConfig(dir);
  const metrics = readMetrics(dir);
  const model = await TRPO.load(join(dir, RUN_FILES.model), { backend: 'auto' });
  const episode = readReplay(dir) ?? await recordEpisodeAsync(model, config.envId, config.seed + REPLAY_SEED_OFFSET);
  const snapshots = evaluateSnapshots(model, config.envId, readSnapshots(dir), model.obsDim === 2 ? episode.observations : null);
  return {
    title: `TRPO · ${config.envId}`,
    envId: config.envId,
    seed: config.seed,
    config: configRows(config),
    metrics,
    targetKl: config.options.targetKl,
    gaussian: model.policy instanceof GaussianMlpPolicy,
    evaluation: readEval(dir),
    snapshots,
    replay: episode.replay,
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** Writes `out` (default <dir>/report.html) and returns its path. */
export async function writeRunReport(dir: string, out = join(dir, RUN_FILES.report)): Promise<string> {
  const html = renderReportHtml(await loadReportData(dir));
  writeFileSync(out, html);
  return out;
}
