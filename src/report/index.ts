/** The HTML training report: charts of metrics.jsonl, policy snapshots and a replay, in one offline file. */
export { buildFigures, type Figure } from './charts.js';
export { renderReportHtml, plotlyScript } from './html.js';
export { loadReportData, writeRunReport } from './build.js';
export { recordEpisode, REPLAY_KINDS } from './replay.js';
export { SnapshotRecorder, evaluateSnapshots, snapshotUpdates, supportsSnapshots } from './snapshots.js';
export { RUN_FILES, RUN_FORMAT, isRunDir, readMetrics, readRunConfig, type RunConfig } from './run-dir.js';
export type { EvalSummary, MetricsRow, ReplayData, ReportData, SnapshotSection } from './types.js';
