/** The files of a `trpo tune` study: trials.csv, best.json (a --config file) and report.html (Plotly inlined). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, plotlyScript, scriptJson } from '../../report/html.js';
import type { VecNormalizeOptions } from '../../envs/vector/normalize.js';
import type { EnvModuleSpec } from '../env-module.js';
import { trialOptions, type TrialParams } from './space.js';
import type { TrialResult } from './trial.js';

export const TUNE_FILES = Object.freeze({ trials: 'trials.csv', best: 'best.json', report: 'report.html' });

export interface StudyTrial extends TrialResult {
  params: TrialParams;
}

export interface Study {
  envId: string;
  /** The user's env module (--env-module), or null for a registered env. */
  envModule: EnvModuleSpec | null;
  seed: number;
  timesteps: number;
  nEnvs: number;
  normalize: false | VecNormalizeOptions;
  nEvaluations: number;
  evalEpisodes: number;
  pruner: { nStartupTrials: number; nWarmupSteps: number };
  /** Whether policyKwargs.activationFn was sampled (the policies of this build are tanh only). */
  activationSampled: boolean;
  trials: StudyTrial[];
}

/** The completed trial with the highest value (the lower number on a tie), or null. */
export function bestTrial(study: Study): StudyTrial | null {
  let best: StudyTrial | null = null;
  for (const t of study.trials) if (t.state === 'complete' && !Number.isNaN(t.value) && (best === null || t.value > best.value)) best = t;
  return best;
}

function csvCell(x: unknown): string {
  const s = x === undefined || x === null ? '' : typeof x === 'number' ? (Number.isNaN(x) ? 'nan' : String(x)) : String(x);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const PARAM_COLUMNS: (keyof TrialParams)[] = ['nSteps', 'batchSize', 'gamma', 'gaeLambda', 'learningRate', 'cgMaxSteps', 'cgDamping', 'nCriticUpdates', 'targetKl', 'netArch', 'activation'];

/** One row per trial: number, state, value, the settings, then each evaluation's mean return. */
export function trialsCsv(study: Study): string {
  const params = PARAM_COLUMNS.filter((c) => c !== 'activation' || study.activationSampled);
  const head = ['number', 'state', 'value', 'timesteps', 'seconds', ...params, ...Array.from({ length: study.nEvaluations }, (_, i) => `eval_${i + 1}`), 'error'];
  const rows = study.trials.map((t) => {
    const evals = Array.from({ length: study.nEvaluations }, (_, i) => t.intermediate.find(([s]) => s === i + 1)?.[1]);
    return [t.number, t.state, t.value, t.timesteps, t.seconds.toFixed(2), ...params.map((p) => t.params[p]), ...evals, t.error];
  });
  return `${[head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

/** The best trial's settings as a `trpo train --config` file ($-keys are comments). */
export function bestConfig(study: Study, best: StudyTrial): Record<string, unknown> {
  return {
    $env: study.envId,
    ...(study.envModule ? { $envModule: `${study.envModule.modulePath}:${study.envModule.exportName}` } : {}),
    $trial: best.number,
    $meanReward: best.value,
    $tuned: `trpo tune: random search over RL-Zoo's TRPO sampler ranges, ${study.trials.length} trials x ${study.timesteps} steps, seed ${study.seed}`,
    policy: 'MlpPolicy',
    nEnvs: study.nEnvs,
    nTimesteps: study.timesteps,
    normalize: study.normalize,
    ...trialOptions(best.params),
  };
}

function figures(study: Study): { id: string; title: string; data: unknown[]; layout: Record<string, unknown> }[] {
  const colour = { complete: '#1f77b4', pruned: '#ff7f0e', failed: '#d62728' } as const;
  const curves = study.trials.map((t) => ({
    type: 'scatter', mode: 'lines+markers', name: `trial ${t.number} (${t.state})`,
    x: t.evalTimesteps, y: t.intermediate.map(([, v]) => v),
    line: { color: colour[t.state], dash: t.state === 'complete' ? 'solid' : 'dot', width: 1.5 },
  }));
  const finals = {
    type: 'bar', x: study.trials.map((t) => `#${t.number}`), y: study.trials.map((t) => (Number.isNaN(t.value) ? null : t.value)),
    marker: { color: study.trials.map((t) => colour[t.state]) }, text: study.trials.map((t) => t.state), hovertemplate: '%{x}: %{y} (%{text})<extra></extra>',
  };
  const done = study.trials.filter((t) => !Number.isNaN(t.value));
  const logDim = (label: string, xs: number[]): Record<string, unknown> => ({ label: `log10 ${label}`, values: xs.map(Math.log10) });
  const dims = [
    logDim('nSteps', done.map((t) => t.params.nSteps)), logDim('batchSize', done.map((t) => t.params.batchSize)),
    { label: 'gamma', values: done.map((t) => t.params.gamma) }, { label: 'gaeLambda', values: done.map((t) => t.params.gaeLambda) },
    logDim('learningRate', done.map((t) => t.params.learningRate)), { label: 'cgMaxSteps', values: done.map((t) => t.params.cgMaxSteps) },
    logDim('cgDamping', done.map((t) => t.params.cgDamping)), { label: 'nCriticUpdates', values: done.map((t) => t.params.nCriticUpdates) },
    logDim('targetKl', done.map((t) => t.params.targetKl)), { label: 'net width', values: done.map((t) => (t.params.netArch === 'medium' ? 256 : 64)) },
    { label: 'value', values: done.map((t) => t.value) },
  ];
  const base = { margin: { t: 10, r: 10, b: 50, l: 60 }, height: 380 };
  return [
    { id: 'curves', title: 'Intermediate evaluations (mean return; pruned and failed trials dotted)', data: curves, layout: { ...base, xaxis: { title: { text: 'timesteps' } }, yaxis: { title: { text: 'mean return' } } } },
    { id: 'finals', title: 'Objective per trial (the last evaluation)', data: [finals], layout: { ...base, yaxis: { title: { text: 'mean return' } } } },
    { id: 'params', title: 'Settings against the objective (trials with a value)', data: [{ type: 'parcoords', line: { color: done.map((t) => t.value), colorscale: 'Viridis', showscale: true }, dimensions: dims }], layout: { ...base, height: 420, margin: { t: 50, r: 40, b: 20, l: 40 } } },
  ];
}

export function tuneReportHtml(study: Study): string {
  const best = bestTrial(study);
  const figs = figures(study);
  const counts = (s: string): number => study.trials.filter((t) => t.state === s).length;
  const summary = `${study.trials.length} trials of ${study.timesteps} steps on ${study.envId} (seed ${study.seed}, ${study.nEnvs} env(s)): ${counts('complete')} complete, ${counts('pruned')} pruned, ${counts('failed')} failed. `
    + `Median pruner: ${study.pruner.nStartupTrials} startup trials, ${study.pruner.nWarmupSteps} warm-up steps; ${study.nEvaluations} evaluations of ${study.evalEpisodes} episodes per trial.`
    + (best ? ` Best: trial ${best.number}, mean return ${best.value.toFixed(2)}.` : ' No trial completed.')
    + (study.activationSampled ? '' : ' The activation was not sampled in this study (tanh throughout).');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`trpo tune · ${study.envId}`)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}h1{font-size:20px}h2{font-size:15px;margin:18px 0 4px}.chart{width:100%}</style>
</head><body>
<h1>${escapeHtml(`trpo tune · ${study.envId}`)}</h1>
<p>${escapeHtml(summary)}</p>
${figs.map((f) => `<h2>${escapeHtml(f.title)}</h2><div class="chart" id="${f.id}"></div>`).join('\n')}
<script type="application/json" id="figures">${scriptJson(figs)}</script>
<script>${plotlyScript()}</script>
<script>for (const f of JSON.parse(document.getElementById('figures').textContent)) Plotly.newPlot(document.getElementById(f.id), f.data, f.layout, { responsive: true, displaylogo: false });</script>
</body></html>
`;
}

/** Write trials.csv, report.html and (when a trial completed) best.json into `dir`; returns the best trial. */
export function writeStudy(dir: string, study: Study): StudyTrial | null {
  const best = bestTrial(study);
  writeFileSync(join(dir, TUNE_FILES.trials), trialsCsv(study));
  writeFileSync(join(dir, TUNE_FILES.report), tuneReportHtml(study));
  if (best) writeFileSync(join(dir, TUNE_FILES.best), `${JSON.stringify(bestConfig(study, best), null, 2)}\n`);
  return best;
}
