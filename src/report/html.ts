/**
 * report.html: one self-contained page (Plotly inlined from its npm package, the data as JSON,
 * the client script) that works offline.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildFigures, type Figure } from './charts.js';
import { CLIENT_SCRIPT } from './client.js';
import type { ReportData } from './types.js';

let plotlySource: string | null = null;

/** The minified Plotly bundle from node_modules/plotly.js-dist-min, safe to inline in a <script>. */
export function plotlyScript(): string {
  if (plotlySource === null) {
    const path = createRequire(import.meta.url).resolve('plotly.js-dist-min');
    plotlySource = readFileSync(path, 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  }
  return plotlySource;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON for a <script type="application/json"> block (no "</script>" or "<!--" can appear). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(digits);
}

function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function configTable(config: Record<string, unknown>): string {
  const rows = Object.entries(config).map(([k, v]) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(text ?? 'null')}</td></tr>`;
  });
  return `<table class="config">${rows.join('')}</table>`;
}

function chartBlock(f: Figure): string {
  return `<section class="chart-box${f.wide ? ' wide' : ''}"><h2>${escapeHtml(f.title)}</h2><p class="caption">${escapeHtml(f.caption)}</p><div class="chart" id="${escapeHtml(f.id)}"></div></section>`;
}

function replayBlock(d: ReportData): string {
  const r = d.replay;
  if (!r) return '';
  const end = r.terminated ? 'terminated' : 'truncated (time limit)';
  return `<section class="chart-box" id="replay">
<h2>Evaluation episode replay</h2>
<p class="caption">One deterministic episode of the final policy (reset seed ${r.seed}): ${r.states.length - 1} steps, return ${fmt(r.episodeReturn)}, ${end}. Played at real time.</p>
<canvas id="replay-canvas" width="640" height="${r.kind === 'mujoco' || r.kind === 'box2d' ? 360 : 280}"></canvas>
<div class="controls"><button id="replay-toggle" type="button">Pause</button>
<input id="replay-slider" type="range" min="0" max="0" value="0" step="1" aria-label="frame">
<label>speed <select id="replay-speed"><option value="0.5">0.5x</option><option value="1" selected>1x</option><option value="2">2x</option><option value="4">4x</option></select></label></div>
</section>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f2f4f7; color: #1d2330; }
header { background: #1d2330; color: #fff; padding: 18px 28px; }
header h1 { margin: 0; font-size: 22px; font-weight: 600; }
header .sub { opacity: 0.75; font-size: 13px; margin-top: 4px; }
main { max-width: 1400px; margin: 0 auto; padding: 18px 24px 40px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 14px; }
.card { flex: 1 1 auto; background: #fff; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
.card .label, .card .value { white-space: nowrap; }
.card .label { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: #6b7280; }
.card .value { font-size: 18px; font-weight: 600; margin-top: 2px; }
details { background: #fff; border-radius: 8px; padding: 8px 14px; margin-bottom: 14px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
summary { cursor: pointer; font-weight: 600; }
table.config { border-collapse: collapse; font-size: 12px; margin-top: 8px; }
table.config th { text-align: left; padding: 2px 14px 2px 0; font-weight: 500; color: #4b5563; white-space: nowrap; vertical-align: top; }
table.config td { font-family: ui-monospace, monospace; padding: 2px 0; word-break: break-all; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 14px; }
.chart-box { background: #fff; border-radius: 8px; padding: 12px 14px 6px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); min-width: 0; }
.chart-box.wide { grid-column: 1 / -1; }
.chart-box h2 { font-size: 15px; margin: 0; }
.caption { font-size: 12px; color: #6b7280; margin: 3px 0 4px; }
#replay-canvas { display: block; max-width: 100%; border: 1px solid #e5e7eb; border-radius: 6px; margin: 6px 0; }
.controls { display: flex; align-items: center; gap: 12px; font-size: 13px; padding-bottom: 8px; }
#replay-slider { flex: 1; min-width: 120px; }
footer { font-size: 11px; color: #6b7280; margin-top: 18px; }
`;

/** The complete report page. */
export function renderReportHtml(d: ReportData): string {
  const figures = buildFigures({ metrics: d.metrics, targetKl: d.targetKl, gaussian: d.gaussian, evaluation: d.evaluation, snapshots: d.snapshots });
  const last = d.metrics[d.metrics.length - 1];
  const cards = [
    card('environment', d.envId),
    card('seed', d.seed === null ? '–' : String(d.seed)),
    card('timesteps', last ? String(last.timesteps) : '0'),
    card('updates', last ? String(last.update) : '0'),
    card('last mean return', fmt(last?.epReturnMean)),
    card('evaluation return', d.evaluation ? `${fmt(d.evaluation.meanReward)} ± ${fmt(d.evaluation.stdReward)}` : '–'),
    card('wall time', last ? `${fmt(last.elapsedSeconds)} s` : '–'),
    card('fps', last ? fmt(last.fps, 0) : '–'),
  ];
  const payload = { figures: figures.map(({ id, data, layout }) => ({ id, data, layout })), replay: d.replay };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(d.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(d.title)}</h1><div class="sub">TRPO on ${escapeHtml(d.envId)} · report generated ${escapeHtml(d.generatedAt)}</div></header>
<main>
<div class="cards">${cards.join('')}</div>
<details><summary>Configuration</summary>${configTable(d.config)}</details>
<div class="grid">
${figures.filter((f) => !f.wide).map(chartBlock).join('\n')}
${replayBlock(d)}
${figures.filter((f) => f.wide).map(chartBlock).join('\n')}
</div>
<footer>trpo-node · charts by plotly.js (inlined) · this file works offline.</footer>
</main>
<script>${plotlyScript()}</script>
<script type="application/json" id="report-data">${scriptJson(payload)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
