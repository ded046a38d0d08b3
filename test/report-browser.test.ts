/**
 * report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser is downloaded): short runs of every env with a replay are trained in-process, their
 * reports opened offline (any non-file request fails the test); the page must log no console
 * error, every Plotly chart must have drawn marks, and the replay canvas must change over time.
 * Screenshots go to test/artifacts/. Without /usr/bin/chromium this test FAILS: install it with
 * `apt-get install -y chromium` (CI: .ci/run).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/cli/train.js';
import { ROOT } from './run-script.js';

const CHROMIUM = process.env.TRPO_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const tmp = mkdtempSync(join(tmpdir(), 'trpo-report-browser-'));
let context: BrowserContext | null = null;

interface ChartMarks {
  id: string;
  traces: number;
  marks: number;
}

/** Evaluated in the page: per chart div, its Plotly traces and the marks drawn (line paths with data, fills, bars, heatmap images). */
const CHART_MARKS = `Array.from(document.querySelectorAll('.chart')).map((el) => {
  const nonEmpty = (sel) => Array.from(el.querySelectorAll(sel)).filter((p) => (p.getAttribute('d') || '').length > 4).length;
  const marks = nonEmpty('.scatterlayer .trace path.js-line') + nonEmpty('.scatterlayer .trace path.js-fill')
    + el.querySelectorAll('.barlayer .trace .point path').length + el.querySelectorAll('.heatmaplayer image').length;
  return { id: el.id, traces: el.classList.contains('js-plotly-plot') && Array.isArray(el.data) ? el.data.length : 0, marks };
})`;

const CANVAS_FRAME = "document.getElementById('replay-canvas').toDataURL()";

async function checkReport(file: string, screenshot: string | null): Promise<{ charts: ChartMarks[] }> {
  const page = await context!.newPage();
  const errors: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
    const charts = await page.evaluate<ChartMarks[]>(CHART_MARKS);
    // the replay animates: frames taken 250 ms apart differ
    const frames: string[] = [];
    for (let i = 0; i < 4; i++) {
      frames.push(await page.evaluate<string>(CANVAS_FRAME));
      await page.waitForTimeout(250);
    }
    expect(new Set(frames).size, 'replay canvas frames').toBeGreaterThanOrEqual(3);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    expect(errors, 'console errors').toEqual([]);
    expect(external, 'network requests').toEqual([]);
    return { charts };
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the report test needs Debian's Chromium; install it with \`apt-get install -y chromium\` (as root), or set TRPO_CHROMIUM to a Chromium binary`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'trpo-chromium-profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    offline: true,
  });
});

afterAll(async () => {
  await context?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const quiet = (): void => {};

describe('report.html in headless Chromium', () => {
  it('PointMass1D-v0: charts, policy heatmaps, replay; screenshot test/artifacts/report.png', async () => {
    const out = join(tmp, 'pointmass');
    const config = join(tmp, 'pointmass.json');
    writeFileSync(config, JSON.stringify({ nSteps: 1024, normalize: { normObs: false, normReward: true } }));
    await train({ envId: 'PointMass1D-v0', timesteps: 3072, seed: 1, config, out, evalEpisodes: 2, report: true, progress: false }, quiet);
    const { charts } = await checkReport(join(out, 'report.html'), join(ARTIFACTS, 'report.png'));
    expect(charts.map((c) => c.id)).toEqual(['chart-return', 'chart-kl', 'chart-std', 'chart-linesearch', 'chart-value', 'chart-snapshots']);
    for (const c of charts) {
      expect(c.traces, c.id).toBeGreaterThan(0);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    expect(charts[5].marks, 'one heatmap per snapshot (3) + the trajectory').toBe(4);
  });

  it.each(['CartPole-v1', 'Pendulum-v1', 'Acrobot-v1', 'MountainCar-v0'])('%s: charts and replay', async (envId) => {
    const out = join(tmp, envId);
    await train({ envId, timesteps: 2048, seed: 2, out, evalEpisodes: 1, report: true, progress: false }, quiet);
    const { charts } = await checkReport(join(out, 'report.html'), envId === 'CartPole-v1' ? join(ARTIFACTS, 'report-cartpole.png') : null);
    expect(charts.length).toBe(envId === 'MountainCar-v0' ? 6 : 5);
    for (const c of charts) expect(c.marks, `${envId} ${c.id}`).toBeGreaterThan(0);
  });
});
