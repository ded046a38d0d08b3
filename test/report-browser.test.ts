/**
 * report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser is downloaded): short runs of every env with a replay are trained in-process, their
 * reports opened offline (any non-file request fails the test); the page must log no console
 * error, every Plotly chart must have drawn marks, and the replay canvas must change over time.
 * MuJoCo runs: the replay's first frame is read back pixel by pixel (the walker stands upright on
 * the floor line of a side view; a top view shows the floor grid and the bodies on it). Box2D runs:
 * the bodies' pixels cover the outlines recorded in replay.json where the view puts them; the
 * helipad's flags, the ground, the engine flames and the lidar rays are drawn.
 * Screenshots go to test/artifacts/. Without /usr/bin/chromium this test FAILS: install it with
 * `apt-get install -y chromium` (CI: .ci/run).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/cli/train.js';
import type { RecordedEpisode } from '../src/report/replay.js';
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

interface PixelBox { count: number; minX: number; maxX: number; minY: number; maxY: number }

/**
 * Evaluated in the page: pauses the replay on frame `frame`, then for each RGB colour the bounding
 * box of the canvas pixels within 6 levels of it, and the canvas rows that are mostly `rowColor`
 * (the floor line).
 */
const PIXELS = `(args) => {
  const canvas = document.getElementById('replay-canvas');
  const button = document.getElementById('replay-toggle');
  if (button.textContent === 'Pause') button.click();
  const slider = document.getElementById('replay-slider');
  slider.value = String(args.frame); slider.dispatchEvent(new Event('input'));
  const { width, height } = canvas;
  const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const near = (i, c) => Math.abs(px[i] - c[0]) <= 6 && Math.abs(px[i + 1] - c[1]) <= 6 && Math.abs(px[i + 2] - c[2]) <= 6;
  const boxes = args.colors.map((c) => {
    const b = { count: 0, minX: width, maxX: -1, minY: height, maxY: -1 };
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      if (!near(4 * (y * width + x), c)) continue;
      b.count++; b.minX = Math.min(b.minX, x); b.maxX = Math.max(b.maxX, x); b.minY = Math.min(b.minY, y); b.maxY = Math.max(b.maxY, y);
    }
    return b;
  });
  const rows = [];
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let x = 0; x < width; x++) if (near(4 * (y * width + x), args.rowColor)) n++;
    if (n > 0.9 * width) rows.push(y);
  }
  return { boxes, rows, width, height };
}`;

type Rgb = [number, number, number];

async function canvasPixels(page: Page, args: { frame: number; colors: Rgb[]; rowColor: Rgb }): Promise<{ boxes: PixelBox[]; rows: number[]; width: number; height: number }> {
  return page.evaluate<{ boxes: PixelBox[]; rows: number[]; width: number; height: number }>(`(${PIXELS})(${JSON.stringify(args)})`);
}

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
    // the replay animates: frames taken 250 ms apart differ (sampled for up to 10 s, since a loaded
    // machine may draw fewer frames per second)
    const frames = new Set<string>();
    for (let i = 0; i < 40 && frames.size < 3; i++) {
      frames.add(await page.evaluate<string>(CANVAS_FRAME));
      await page.waitForTimeout(250);
    }
    expect(frames.size, 'replay canvas frames').toBeGreaterThanOrEqual(3);
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

  it('Hopper-v5: the MuJoCo replay draws the hopper upright on the floor (side view); screenshot test/artifacts/report-hopper.png', async () => {
    const out = join(tmp, 'hopper');
    await train({ envId: 'Hopper-v5', timesteps: 2048, seed: 0, out, evalEpisodes: 1, report: true, progress: false }, quiet);
    const file = join(out, 'report.html');
    const { charts } = await checkReport(file, join(ARTIFACTS, 'report-hopper.png'));
    expect(charts.length).toBe(5);
    for (const c of charts) expect(c.marks, `Hopper-v5 ${c.id}`).toBeGreaterThan(0);
    const page = await context!.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      // Hopper's geoms are (0.8, 0.6, 0.4); the floor line is #555.
      const r = await canvasPixels(page, { frame: 0, colors: [[204, 153, 102]], rowColor: [0x55, 0x55, 0x55] });
      const body = r.boxes[0];
      expect(body.count, 'hopper pixels').toBeGreaterThan(500);
      expect(r.rows.length, 'floor line rows').toBeGreaterThan(0);
      const floorY = Math.min(...r.rows);
      // Reset pose (model facts): torso top at z = 1.5 m, foot bottom at 0.04 m (the foot capsule,
      // radius 0.06, centred at z = 0.1), x from -0.13 - 0.06 to 0.26 + 0.06: 1.46 m tall, 0.51 m wide.
      const h = body.maxY - body.minY;
      const w = body.maxX - body.minX;
      expect(w / h).toBeGreaterThan(0.51 / 1.46 - 0.04);
      expect(w / h).toBeLessThan(0.51 / 1.46 + 0.04);
      // ... standing just above the floor line: 0.04 m, in the same pixels per metre
      expect(Math.abs(floorY - body.maxY - (0.04 / 1.46) * h)).toBeLessThanOrEqual(3);
      // centred by the tracking camera
      expect(Math.abs((body.minX + body.maxX) / 2 - r.width / 2)).toBeLessThan(0.1 * r.width);
    } finally {
      await page.close();
    }
  });

  it('Reacher-v5: the MuJoCo replay draws the arena from above (top view)', async () => {
    const out = join(tmp, 'reacher');
    await train({ envId: 'Reacher-v5', timesteps: 2048, seed: 0, out, evalEpisodes: 1, report: true, progress: false }, quiet);
    const file = join(out, 'report.html');
    const { charts } = await checkReport(file, null);
    for (const c of charts) expect(c.marks, `Reacher-v5 ${c.id}`).toBeGreaterThan(0);
    const page = await context!.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      // Model facts: four walls (0.9, 0.4, 0.6), capsules of radius 0.02 from -0.3 to 0.3, enclose
      // x, y in [-0.32, 0.32]; the arm (0, 0.4, 0.6) starts at the centre, two 0.1 m links of
      // radius 0.01 along +x at reset (joint noise ±0.1 rad); the target (0.9, 0.2, 0.2) is inside.
      const r = await canvasPixels(page, { frame: 0, colors: [[230, 102, 153], [0, 102, 153], [230, 51, 51]], rowColor: [0, 0, 0] });
      const [walls, arm, target] = r.boxes;
      const w = walls.maxX - walls.minX;
      const h = walls.maxY - walls.minY;
      expect(walls.count).toBeGreaterThan(500);
      expect(Math.abs(w - h), 'the arena is square seen from above').toBeLessThanOrEqual(3);
      const cx = (walls.minX + walls.maxX) / 2;
      const cy = (walls.minY + walls.maxY) / 2;
      expect(arm.count).toBeGreaterThan(20);
      expect(Math.abs(arm.minX - cx)).toBeLessThan(0.03 * w); // the arm starts at the centre
      expect((arm.maxX - cx) / w).toBeGreaterThan((0.2 * Math.cos(0.2) - 0.02) / 0.64);
      expect((arm.maxX - cx) / w).toBeLessThan(0.23 / 0.64);
      expect(Math.abs((arm.minY + arm.maxY) / 2 - cy)).toBeLessThan(0.1 * h);
      expect(target.count).toBeGreaterThan(5);
      expect(target.minX).toBeGreaterThan(walls.minX);
      expect(target.maxX).toBeLessThan(walls.maxX);
      expect(target.minY).toBeGreaterThan(walls.minY);
      expect(target.maxY).toBeLessThan(walls.maxY);
    } finally {
      await page.close();
    }
  });

  /** Screen box of world points in a Box2D replay view (the client's camera: `scale`, left/bottom edge `view`). */
  function screenBox(pts: [number, number][], scale: number, view: [number, number], height: number): { minX: number; maxX: number; minY: number; maxY: number } {
    const xs = pts.map(([x]) => (x - view[0]) * scale);
    const ys = pts.map(([, y]) => height - (y - view[1]) * scale);
    return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
  }

  /** World outline of body b in frame f of a Box2D replay. */
  function outline(r: RecordedEpisode, f: number, b: number): [number, number][] {
    const s = r.replay!.states[f];
    const [x, y, a] = [s[3 * b], s[3 * b + 1], s[3 * b + 2]];
    return r.replay!.box2d!.bodies[b].polygon.map(([lx, ly]) => [x + Math.cos(a) * lx - Math.sin(a) * ly, y + Math.sin(a) * lx + Math.cos(a) * ly]);
  }

  /** The box of the pixels of either colour (a shape's fill and its outline stroke). */
  function union(a: PixelBox, b: PixelBox): PixelBox {
    return { count: a.count + b.count, minX: Math.min(a.minX, b.minX), maxX: Math.max(a.maxX, b.maxX), minY: Math.min(a.minY, b.minY), maxY: Math.max(a.maxY, b.maxY) };
  }

  function expectBoxNear(got: PixelBox, want: { minX: number; maxX: number; minY: number; maxY: number }, what: string): void {
    for (const k of ['minX', 'maxX', 'minY', 'maxY'] as const) expect(Math.abs(got[k] - want[k]), `${what} ${k}: ${got[k]} vs ${want[k].toFixed(1)}`).toBeLessThanOrEqual(2.5);
  }

  it('LunarLander-v3: the Box2D replay draws the ground, the helipad flags, the lander on its legs and the engine flames; screenshot test/artifacts/report-lunarlander.png', async () => {
    const out = join(tmp, 'lunarlander');
    await train({ envId: 'LunarLander-v3', timesteps: 2048, seed: 0, out, evalEpisodes: 1, report: true, progress: false }, quiet);
    const file = join(out, 'report.html');
    const { charts } = await checkReport(file, join(ARTIFACTS, 'report-lunarlander.png'));
    for (const c of charts) expect(c.marks, `LunarLander-v3 ${c.id}`).toBeGreaterThan(0);
    const rec = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as RecordedEpisode;
    const replay = rec.replay!;
    expect(replay.kind).toBe('box2d');
    const scene = replay.box2d!;
    expect(scene.bodies.map((b) => b.name)).toEqual(['lander', 'leg0', 'leg1']);
    expect(replay.states.length).toBe(rec.observations.length);
    expect(JSON.stringify(replay.states).length / replay.states.length, 'bytes per frame').toBeLessThan(200);
    const page = await context!.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      const H = 360;
      const scale = Math.min(640 / 20, (H - 30) / (400 / 30 + 1));
      const view: [number, number] = [-(640 / scale - 20) / 2, 0];
 // the lander's fill, flags, flame, the lander's outline (1.5 px, half of it outside the bodies: the legs are 3 px wide)
      const colors: Rgb[] = [[128, 102, 230], [204, 204, 0], [255, 120, 0], [77, 77, 128], [153, 153, 0]];
      const r = await canvasPixels(page, { frame: 0, colors, rowColor: [170, 170, 178] });
      expect(r.height).toBe(H);
      const [fill, flagFill, , edge, flagEdge] = r.boxes;
      const flags = union(flagFill, flagEdge);
      expect(fill.count, 'lander pixels').toBeGreaterThan(300);
      const body = union(fill, edge);
      expectBoxNear(body, screenBox([0, 1, 2].flatMap((b) => outline(rec, 0, b)), scale, view, H), 'lander and legs');
      // Gymnasium's flags (fill and edge): poles at the helipad's ends, 50 px high, flags 25 px wide pointing right
      const hp = scene.helipad!;
      expectBoxNear(flags, screenBox([[hp.x1, hp.y + 40 / 30], [hp.x2 + 25 / 30, hp.y + 50 / 30]], scale, view, H), 'flags');
      expect(r.rows.length, 'ground rows at the bottom').toBeGreaterThan(5);
      expect(Math.min(...r.rows)).toBeGreaterThan(H - (hp.y * scale) - 3);
      // engine flames: the frames where an engine fired draw flame pixels next to the lander
      const e = 3 * scene.bodies.length;
      const fired = replay.states.findIndex((s) => s[e] > 0 || s[e + 1] > 0);
      expect(fired, 'an engine fires in the episode').toBeGreaterThanOrEqual(0);
      const mainOnly = replay.states.findIndex((s) => s[e] > 0 && s[e + 1] === 0 && Math.abs(s[2]) < 0.3);
      const at = mainOnly >= 0 ? mainOnly : fired;
      const rf = await canvasPixels(page, { frame: at, colors, rowColor: [170, 170, 178] });
      const flame = rf.boxes[2];
      expect(flame.count, `flame pixels in frame ${at}`).toBeGreaterThan(10);
      const hull = screenBox(outline(rec, at, 0), scale, view, H);
      expect(flame.minX).toBeGreaterThan(hull.minX - 30);
      expect(flame.maxX).toBeLessThan(hull.maxX + 30);
      if (mainOnly >= 0) expect(flame.minY, 'the main flame is below the hull').toBeGreaterThan((hull.minY + hull.maxY) / 2);
      const noFire = replay.states.findIndex((s) => s[e] === 0 && s[e + 1] === 0);
      if (noFire >= 0) expect((await canvasPixels(page, { frame: noFire, colors, rowColor: [0, 0, 0] })).boxes[2].count, 'no flame when no engine fires').toBe(0);
    } finally {
      await page.close();
    }
  });

  it.each(['BipedalWalker-v3', 'BipedalWalkerHardcore-v3'])('%s: the Box2D replay draws the terrain, the walker and its lidar; screenshot test/artifacts/report-<env-id>.png', async (envId) => {
    const out = join(tmp, envId);
    await train({ envId, timesteps: 2048, seed: 0, out, evalEpisodes: 1, report: true, progress: false }, quiet);
    const file = join(out, 'report.html');
    const { charts } = await checkReport(file, join(ARTIFACTS, `report-${envId}.png`));
    for (const c of charts) expect(c.marks, `${envId} ${c.id}`).toBeGreaterThan(0);
    const rec = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as RecordedEpisode;
    const replay = rec.replay!;
    expect(replay.kind).toBe('box2d');
    const scene = replay.box2d!;
    expect(scene.bodies.map((b) => b.name)).toEqual(['hull', 'upperLeg0', 'lowerLeg0', 'upperLeg1', 'lowerLeg1']);
    expect(scene.terrain.length).toBe(200);
    if (envId === 'BipedalWalkerHardcore-v3') expect(scene.obstacles.length, 'hardcore obstacles').toBeGreaterThan(0);
    else expect(scene.obstacles).toEqual([]);
    expect(replay.states[0].length).toBe(3 * 5 + 2 * 10);
    expect(JSON.stringify(replay.states).length / replay.states.length, 'bytes per frame').toBeLessThan(300);
    const page = await context!.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      const H = 360;
      const scale = 640 / 14;
      const last = replay.states.length - 1;
      for (const frame of [0, last]) {
        const s = replay.states[frame];
        const view: [number, number] = [s[0] - 14 / 5, s[1] - 3.4];
        // hull fill, lidar, grass, hull outline
        const r = await canvasPixels(page, { frame, colors: [[127, 51, 229], [255, 0, 0], [102, 153, 76], [76, 76, 127]], rowColor: [0, 0, 0] });
        const [hullFill, lidar, grass, hullEdge] = r.boxes;
        expect(hullFill.count, `hull pixels, frame ${frame}`).toBeGreaterThan(200);
        expectBoxNear(union(hullFill, hullEdge), screenBox(outline(rec, frame, 0), scale, view, H), `hull, frame ${frame}`);
        expect(lidar.count, `lidar pixels, frame ${frame}`).toBeGreaterThan(50);
        // the rays start at the hull and reach as far as the recorded end points
        const ends = screenBox(Array.from({ length: 10 }, (_, i) => [s[15 + 2 * i], s[16 + 2 * i]] as [number, number]), scale, view, H);
        // (within 8 px: the pure red of a thin anti-aliased line fades towards its end)
        expect(lidar.maxX).toBeGreaterThan(Math.min(ends.maxX, r.width - 1) - 8);
        expect(lidar.maxY).toBeGreaterThan(Math.min(ends.maxY, H - 1) - 8);
        expect(grass.count, `ground pixels, frame ${frame}`).toBeGreaterThan(5000);
        expect(grass.maxY).toBe(H - 1);
      }
    } finally {
      await page.close();
    }
  });
});
