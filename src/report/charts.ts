/**
 * The report's Plotly figures (data + layout, plain JSON) built from the metrics, the evaluation
 * and the policy snapshots. The browser only calls Plotly.newPlot on them.
 */
import type { EvalSummary, MetricsRow, SnapshotSection } from './types.js';

/** Any Plotly trace or layout (plain JSON). */
type Json = Record<string, unknown>;

export interface Figure {
  /** DOM id of the chart's div. */
  id: string;
  title: string;
  /** One sentence under the title saying what is shown. */
  caption: string;
  data: Json[];
  layout: Json;
  /** Spans the full width of the page. */
  wide?: boolean;
}

export const COLORS = {
  blue: '#1f77b4',
  orange: '#ff7f0e',
  green: '#2ca02c',
  red: '#d62728',
  purple: '#9467bd',
  grey: '#7f7f7f',
};

function baseLayout(xTitle: string, yTitle: string, extra: Json = {}): Json {
  return {
    margin: { l: 60, r: 75, t: 10, b: 45 },
    height: 300,
    hovermode: 'x unified',
    legend: { orientation: 'h', x: 0, y: 1.12 },
    xaxis: { title: { text: xTitle }, zeroline: false },
    yaxis: { title: { text: yTitle }, zeroline: false },
    paper_bgcolor: 'white',
    plot_bgcolor: '#fafafa',
    font: { family: 'system-ui, sans-serif', size: 12 },
    ...extra,
  };
}

const col = <K extends keyof MetricsRow>(rows: MetricsRow[], k: K): MetricsRow[K][] => rows.map((r) => r[k]);

/** A horizontal dashed reference line across [x0, x1] as a trace (shown in the legend). */
function hline(name: string, y: number, x0: number, x1: number, color: string, yaxis = 'y'): Json {
  return { type: 'scatter', mode: 'lines', name, x: [x0, x1], y: [y, y], yaxis, line: { color, dash: 'dash', width: 1.5 }, hoverinfo: 'name+y' };
}

function noDataNote(text: string): Json {
  return { annotations: [{ text, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false, font: { color: COLORS.grey } }] };
}

export function returnFigure(rows: MetricsRow[], evaluation: EvalSummary | null): Figure {
  const withEp = rows.filter((r) => r.epReturnMean !== null);
  const x = col(withEp, 'timesteps');
  const data: Json[] = [
    { type: 'scatter', mode: 'lines', name: 'p10', x, y: col(withEp, 'epReturnP10'), line: { width: 0, color: COLORS.blue }, showlegend: false, hoverinfo: 'skip' },
    { type: 'scatter', mode: 'lines', name: 'p10-p90', x, y: col(withEp, 'epReturnP90'), fill: 'tonexty', fillcolor: 'rgba(31,119,180,0.2)', line: { width: 0, color: COLORS.blue }, hoverinfo: 'skip' },
    { type: 'scatter', mode: 'lines+markers', name: 'mean return', x, y: col(withEp, 'epReturnMean'), line: { color: COLORS.blue, width: 2 }, marker: { size: 4 } },
  ];
  if (evaluation && x.length > 0) {
    data.push(hline(`eval (deterministic, ${evaluation.episodes} ep.)`, evaluation.meanReward, 0, x[x.length - 1] as number, COLORS.green));
  }
  return {
    id: 'chart-return', title: 'Episodic return',
    caption: 'Mean return of the last 100 finished training episodes, with the 10th-90th percentile band, against environment steps.',
    data, layout: baseLayout('timesteps', 'episode return', withEp.length === 0 ? noDataNote('no episode has finished yet') : {}),
  };
}

export function klFigure(rows: MetricsRow[], targetKl: number): Figure {
  const x = col(rows, 'update');
  const rejected = rows.filter((r) => !r.accepted);
  const data: Json[] = [
    { type: 'scatter', mode: 'lines+markers', name: 'mean KL', x, y: col(rows, 'kl'), line: { color: COLORS.purple }, marker: { size: 5 } },
    hline(`max_kl = ${targetKl}`, targetKl, x[0] ?? 0, x[x.length - 1] ?? 1, COLORS.red),
  ];
  if (rejected.length > 0) {
    data.push({ type: 'scatter', mode: 'markers', name: 'step rejected', x: col(rejected, 'update'), y: rejected.map(() => 0), marker: { symbol: 'x', size: 9, color: COLORS.red } });
  }
  return {
    id: 'chart-kl', title: 'KL divergence per update',
    caption: 'Mean KL(π_old ‖ π_new) of the accepted step; the trust region bounds it by max_kl.',
    data, layout: baseLayout('update', 'mean KL', { yaxis: { title: { text: 'mean KL' }, rangemode: 'tozero' } }),
  };
}

export function policyStdFigure(rows: MetricsRow[], gaussian: boolean): Figure {
  const x = col(rows, 'update');
  const data: Json[] = gaussian
    ? [
      { type: 'scatter', mode: 'lines+markers', name: 'policy std', x, y: col(rows, 'policyStd'), line: { color: COLORS.orange }, marker: { size: 4 } },
      { type: 'scatter', mode: 'lines', name: 'entropy', x, y: col(rows, 'entropy'), yaxis: 'y2', line: { color: COLORS.grey, dash: 'dot' } },
    ]
    : [{ type: 'scatter', mode: 'lines+markers', name: 'entropy', x, y: col(rows, 'entropy'), line: { color: COLORS.orange }, marker: { size: 4 } }];
  const layout = gaussian
    ? baseLayout('update', 'mean std exp(log_std)', { yaxis2: { title: { text: 'entropy' }, overlaying: 'y', side: 'right', showgrid: false, zeroline: false, tickmode: 'auto' } })
    : baseLayout('update', 'entropy (nats)');
  return {
    id: 'chart-std', title: gaussian ? 'Policy standard deviation' : 'Policy entropy',
    caption: gaussian ? 'Mean standard deviation of the Gaussian policy (and its entropy) after each update.' : 'Mean entropy of the categorical policy after each update.',
    data, layout,
  };
}

export function lineSearchFigure(rows: MetricsRow[]): Figure {
  const x = col(rows, 'update');
  return {
    id: 'chart-linesearch', title: 'Line search',
    caption: 'Fraction of the full natural-gradient step taken, and the backtracking shrinks needed before acceptance.',
    data: [
      { type: 'bar', name: 'backtracks', x, y: col(rows, 'backtracks'), yaxis: 'y2', marker: { color: 'rgba(127,127,127,0.45)' } },
      { type: 'scatter', mode: 'lines+markers', name: 'step fraction', x, y: col(rows, 'stepFraction'), line: { color: COLORS.blue }, marker: { size: 4 } },
    ],
    layout: baseLayout('update', 'step fraction', {
      yaxis: { title: { text: 'step fraction' }, range: [0, 1.05] },
      yaxis2: { title: { text: 'backtracks' }, overlaying: 'y', side: 'right', showgrid: false, zeroline: false, rangemode: 'tozero', tickmode: 'linear', dtick: 1 },
    }),
  };
}

export function valueFigure(rows: MetricsRow[]): Figure {
  const x = col(rows, 'update');
  return {
    id: 'chart-value', title: 'Value function',
    caption: 'Critic mean squared error after its fit (log scale), and the explained variance of its predictions on each rollout.',
    data: [
      { type: 'scatter', mode: 'lines+markers', name: 'value loss', x, y: col(rows, 'valueLoss'), line: { color: COLORS.red }, marker: { size: 4 } },
      { type: 'scatter', mode: 'lines+markers', name: 'explained variance', x, y: col(rows, 'explainedVariance'), yaxis: 'y2', line: { color: COLORS.green }, marker: { size: 4 } },
    ],
    layout: baseLayout('update', 'value loss (MSE)', {
      yaxis: { title: { text: 'value loss (MSE)' }, type: 'log', dtick: 1, exponentformat: 'power' },
      yaxis2: { title: { text: 'explained variance' }, overlaying: 'y', side: 'right', showgrid: false, zeroline: false, tickmode: 'auto' },
    }),
  };
}

/** One heatmap per snapshot (2-D observations) or one line per snapshot (1-D observations). */
export function snapshotsFigure(s: SnapshotSection): Figure {
  const k = s.snapshots.length;
  const caption = `${s.discrete ? 'Argmax action' : 'Deterministic action (policy mean, clipped to the action space)'} over a grid of observations, at ${k} points of training`
    + (s.trajectory ? '; the white line is the replayed evaluation episode.' : '.');
  if (s.y === null) {
    const palette = [COLORS.grey, COLORS.purple, COLORS.orange, COLORS.green, COLORS.blue];
    return {
      id: 'chart-snapshots', title: 'Policy snapshots', caption, wide: true,
      data: s.snapshots.map((snap, i) => ({
        type: 'scatter', mode: 'lines', name: `update ${snap.update}`, x: s.x, y: snap.z,
        line: { color: palette[Math.max(0, palette.length - k + i)] ?? COLORS.blue, width: 2 },
      })),
      layout: baseLayout(s.obsNames[0], s.valueLabel, { hovermode: 'closest' }),
    };
  }
  const nx = s.x.length;
  const data: Json[] = [];
  const layout: Json = baseLayout('', '', {
    height: 330,
    hovermode: 'closest',
    margin: { l: 60, r: 20, t: 30, b: 45 },
    grid: { rows: 1, columns: k, pattern: 'independent', xgap: 0.12 },
    coloraxis: {
      cmin: s.zmin, cmax: s.zmax, colorscale: s.discrete ? 'Viridis' : 'RdBu',
      colorbar: { title: { text: s.valueLabel, side: 'right' }, thickness: 12 },
    },
    showlegend: false,
    annotations: [] as Json[],
  });
  s.snapshots.forEach((snap, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    const z: number[][] = [];
    for (let r = 0; r < s.y!.length; r++) z.push(snap.z.slice(r * nx, (r + 1) * nx));
    data.push({
      type: 'heatmap', x: s.x, y: s.y, z, coloraxis: 'coloraxis', xaxis: `x${suffix}`, yaxis: `y${suffix}`,
      name: `update ${snap.update}`, hovertemplate: `${s.obsNames[0]} %{x:.2f}<br>${s.obsNames[1]} %{y:.2f}<br>action %{z:.2f}<extra>update ${snap.update}</extra>`,
    });
    layout[`xaxis${suffix}`] = { title: { text: s.obsNames[0] }, range: [s.x[0], s.x[nx - 1]], nticks: 5 };
    layout[`yaxis${suffix}`] = { ...(i === 0 ? { title: { text: s.obsNames[1] } } : {}), range: [s.y![0], s.y![s.y!.length - 1]] };
    (layout.annotations as Json[]).push({
      text: `update ${snap.update} (${snap.timesteps} steps)`, xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.5, y: 1.02,
      xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 12 },
    });
  });
  if (s.trajectory && s.trajectory.length > 1) {
    const suffix = k === 1 ? '' : String(k);
    data.push({
      type: 'scatter', mode: 'lines', name: 'evaluation episode', x: s.trajectory.map((o) => o[0]), y: s.trajectory.map((o) => o[1]),
      xaxis: `x${suffix}`, yaxis: `y${suffix}`, line: { color: 'white', width: 2 }, hoverinfo: 'skip',
    });
  }
  return { id: 'chart-snapshots', title: 'Policy snapshots', caption, data, layout, wide: true };
}

/** Every figure of the report, in page order. */
export function buildFigures(input: {
  metrics: MetricsRow[];
  targetKl: number;
  gaussian: boolean;
  evaluation: EvalSummary | null;
  snapshots: SnapshotSection | null;
}): Figure[] {
  const m = input.metrics;
  const figs = [
    returnFigure(m, input.evaluation),
    klFigure(m, input.targetKl),
    policyStdFigure(m, input.gaussian),
    lineSearchFigure(m),
    valueFigure(m),
  ];
  if (input.snapshots) figs.push(snapshotsFigure(input.snapshots));
  return figs;
}
