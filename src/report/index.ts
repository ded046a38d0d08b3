/** The HTML training report: charts of metrics.jsonl, policy snapshots and a replay, in one offline file. */
export { buildFigures, type Figure } from './charts.js';
export { renderReportHtml, plotlyScript } from './html.js';
export { loadReportData, writeRunReport } from './build.js';
export { recordEpisode, recordEpisodeAsync, REPLAY_KINDS, REPLAY_SEED_OFFSET, type RecordedEpisode } from './replay.js';
export { MUJOCO_VIEWS, poseFrame, sceneOf, type MujocoScene, type MujocoView, type SceneGeom } from './mujoco-scene.js';
export { SnapshotRecorder, evaluateSnapshots, snapshotUpdates, supportsSnapshots } from './snapshots.js';
export { RUN_FILES, RUN_FORMAT, isRunDir, readMetrics, readReplay, readRunConfig, type RunConfig } from './run-dir.js';
export type { EvalSummary, MetricsRow, ReplayData, ReportData, SnapshotSection } from './types.js';
