/** The report's building blocks in Node: figures from metrics, the self-contained page, snapshots. */
import { describe, expect, it } from 'vitest';
import { buildFigures } from '../src/report/charts.js';
import { renderReportHtml, scriptJson } from '../src/report/html.js';
import { normalizeObservations } from '../src/report/normalize.js';
import { decodeFloat64, encodeFloat64, snapshotUpdates } from '../src/report/snapshots.js';
import type { MetricsRow, ReportData } from '../src/report/types.js';

function row(update: number, over: Partial<MetricsRow> = {}): MetricsRow {
  return {
    update, timesteps: update * 1024, episodes: 5, rolloutEpisodes: 5,
    epReturnMean: -100 + update, epReturnP10: -150 + update, epReturnP90: -50 + update, epLengthMean: 150,
    kl: 0.008, stepFraction: 1, backtracks: 0, accepted: true, surrogateImprovement: 0.01, cgIterations: 15, cgResidual: 1e-9,
    valueLoss: 1 / update, valueLossBefore: 2 / update, explainedVariance: 0.5, policyStd: 1, entropy: 1.4,
    fps: 20000, rolloutSeconds: 0.05, updateSeconds: 0.02, elapsedSeconds: 0.07 * update, ...over,
  };
}

const metrics = [row(1, { epReturnMean: null, epReturnP10: null, epReturnP90: null, explainedVariance: null }), row(2), row(3, { accepted: false, kl: 0, stepFraction: 0, backtracks: 10 })];

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    title: 'TRPO · PointMass1D-v0', envId: 'PointMass1D-v0', seed: 0, config: { nSteps: 1024, note: '</script><b>x</b>' },
    metrics, targetKl: 0.01, gaussian: true,
    evaluation: { meanReward: -20, stdReward: 5, episodes: 3, deterministic: true, seed: 1000, episodeRewards: [-15, -20, -25] },
    snapshots: {
      obsNames: ['x', 'v'], x: [-1, 0, 1], y: [-1, 1], valueLabel: 'mean action', discrete: false, zmin: -1, zmax: 1,
      snapshots: [{ update: 1, timesteps: 1024, z: [0, 0, 0, 0, 0, 0] }, { update: 3, timesteps: 3072, z: [1, 0, -1, 1, 0, -1] }],
      trajectory: [[1, 0], [0.5, -0.2], [0, 0]],
    },
    replay: { kind: 'pointmass', envId: 'PointMass1D-v0', dt: 0.05, states: [[1, 0], [0.9, -0.1]], actions: [-1], rewards: [-1], episodeReturn: -1, terminated: false, seed: 1 },
    generatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

describe('figures', () => {
  it('has the return band, KL with max_kl, std, line search, value and snapshot charts', () => {
    const d = data();
    const figs = buildFigures(d);
    expect(figs.map((f) => f.id)).toEqual(['chart-return', 'chart-kl', 'chart-std', 'chart-linesearch', 'chart-value', 'chart-snapshots']);
    const [ret, kl, std, ls, value, snaps] = figs;
    // rows without finished episodes are left out; p10 then p90 filled to it, then the mean, then the eval line
    expect(ret.data[0].x).toEqual([2048, 3072]);
    expect(ret.data[1]).toMatchObject({ fill: 'tonexty', y: [-48, -47] });
    expect(ret.data[2].y).toEqual([-98, -97]);
    expect(ret.data[3]).toMatchObject({ y: [-20, -20] });
    expect(kl.data[1]).toMatchObject({ name: 'max_kl = 0.01', y: [0.01, 0.01], x: [1, 3] });
    expect(kl.data[2]).toMatchObject({ name: 'step rejected', x: [3] });
    expect(std.data[0]).toMatchObject({ name: 'policy std', y: [1, 1, 1] });
    expect(ls.data.map((t) => t.name)).toEqual(['backtracks', 'step fraction']);
    expect(ls.data[0].y).toEqual([0, 0, 10]);
    expect(value.data[1].y).toEqual([null, 0.5, 0.5]);
    expect(snaps.data.filter((t) => t.type === 'heatmap')).toHaveLength(2);
    expect(snaps.data[1].z).toEqual([[1, 0, -1], [1, 0, -1]]);
    expect(snaps.data[2]).toMatchObject({ type: 'scatter', x: [1, 0.5, 0], xaxis: 'x2' });
  });

  it('shows the entropy for a categorical policy and lines for 1-D observations', () => {
    const d = data({ gaussian: false });
    d.snapshots = { ...d.snapshots!, y: null, x: [-1, 0, 1], snapshots: [{ update: 1, timesteps: 1024, z: [0, 1, 2] }], discrete: true };
    const figs = buildFigures(d);
    expect(figs[2].title).toBe('Policy entropy');
    expect(figs[5].data).toEqual([expect.objectContaining({ type: 'scatter', y: [0, 1, 2] })]);
  });
});

describe('report.html', () => {
  const html = renderReportHtml(data());

  it('is one self-contained file with Plotly inlined', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('plotly.js v');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/i);
    expect(html.length).toBeGreaterThan(1_000_000);
    // exactly three scripts: Plotly, the data, the client
    expect(html.match(/<script[\s>]/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('embeds the figures and the replay as JSON and escapes text', () => {
    const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
    const payload = JSON.parse(m![1]) as { figures: { id: string }[]; replay: { kind: string } };
    expect(payload.figures).toHaveLength(6);
    expect(payload.replay.kind).toBe('pointmass');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    expect(scriptJson({ s: '</script><!--' })).toBe('{"s":"\\u003c/script>\\u003c!--"}');
    for (const f of payload.figures) expect(html).toContain(`id="${f.id}"`);
    expect(html).toContain('id="replay-canvas"');
  });

  it('omits the replay and snapshot sections when there is nothing to show', () => {
    const plain = renderReportHtml(data({ replay: null, snapshots: null, evaluation: null }));
    expect(plain).not.toContain('id="replay-canvas"');
    expect(plain).not.toContain('id="chart-snapshots"');
  });
});

describe('snapshots', () => {
  it('picks the first, 25 %, 50 %, 75 % and last updates', () => {
    expect(snapshotUpdates(25)).toEqual([1, 6, 13, 19, 25]);
    expect(snapshotUpdates(2)).toEqual([1, 2]);
    expect(snapshotUpdates(1)).toEqual([1]);
  });

  it('round-trips parameters through base64 exactly', () => {
    const p = Float64Array.from([0.1, -2.5e-300, Math.PI, 1e300]);
    expect(decodeFloat64(encodeFloat64(p))).toEqual(p);
  });

  it('applies VecNormalize observation statistics', () => {
    const state = { obsRms: { mean: [1, 0], var: [4, 1], count: 10 }, retRms: { mean: [0], var: [1], count: 1 }, normObs: true, normReward: false, clipObs: 5, clipReward: 10, gamma: 0.99, epsilon: 0 };
    expect(Array.from(normalizeObservations([3, 100, 1, -1], state))).toEqual([1, 5, 0, -1]);
    expect(Array.from(normalizeObservations([3, 100], null))).toEqual([3, 100]);
  });
});
