/**
 * trpo-node/browser (src/browser.ts): bundled by esbuild for the browser platform, its import
 * graph (esbuild's metafile) holds no Node built-in and none of the Node-only modules; in headless
 * Chromium (Debian's chromium via playwright-core) it trains CartPole-v1 with the pure-JS backend
 * and the mean episode return rises; the README's example (## In the browser), bundled the same
 * way, runs there as written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.TRPO_CHROMIUM ?? '/usr/bin/chromium';
const ENTRY = join(__dirname, '..', 'src', 'browser.ts');

let bundle = '';
let metafile: Metafile;
let readmeBundle = '';

/** The README's browser example (the js block under "## In the browser"). */
function readmeExample(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const match = /## In the browser[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README has no js block under "## In the browser"');
  return match[1];
}

beforeAll(async () => {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
  bundle = out.outputFiles[0].text;
  metafile = out.metafile;
  const app = join(mkdtempSync(join(tmpdir(), 'trpo-browser-')), 'app.js');
  writeFileSync(app, readmeExample());
  const readmeOut = await build({ entryPoints: [app], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', alias: { 'trpo-node/browser': ENTRY } });
  readmeBundle = readmeOut.outputFiles[0].text;
}, 60_000);

describe('trpo-node/browser import graph', () => {
  it('package.json exports it', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { exports: Record<string, { import?: string; types?: string }> };
    expect(pkg.exports['./browser']).toEqual({ types: './dist/browser.d.ts', import: './dist/browser.js' });
  });

  it('imports no Node built-in, nothing external, and none of the Node-only modules', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const offending: string[] = [];
    for (const [file, input] of Object.entries(metafile.inputs)) {
      for (const imp of input.imports) {
        if (imp.path.startsWith('node:') || builtins.has(imp.path) || builtins.has(imp.path.split('/')[0]) || imp.external) offending.push(`${file} -> ${imp.path}`);
      }
    }
    expect(offending).toEqual([]);
    const files = Object.keys(metafile.inputs);
    expect(files).toContain('src/trpo/trainer.ts');
    expect(files).toContain('src/core/js/gemm.ts');
    expect(files).toContain('src/envs/classic/cartpole.ts');
    for (const nodeOnly of [
      'src/backend.ts', 'src/core/native-loader.ts', 'src/core/native.ts', 'src/trpo/trpo.ts', 'src/trpo/serialize.ts', 'src/envs/vector/worker.ts',
      'src/envs/vector/normalize.ts', 'src/logging/tensorboard.ts', 'src/logging/configure.ts', 'src/envs/registry.ts',
    ]) expect(files, nodeOnly).not.toContain(nodeOnly);
    expect(files.some((f) => f.startsWith('node_modules/'))).toBe(false);
  });
});

/** Runs in the page: imports the bundle, trains CartPole-v1 for a few updates, reports the returns. */
const IN_PAGE = `async (src) => {
  const m = await import(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  let nativeError = '';
  try { new m.ValueFunction({ obsDim: 4, hiddenSizes: [8], backend: 'native' }); } catch (e) { nativeError = e.message; }
  const env = new m.SyncVectorEnv([() => m.make('CartPole-v1'), () => m.make('CartPole-v1')]);
  const model = new m.TRPO('MlpPolicy', env, {
    nSteps: 512, batchSize: 512, cgDamping: 1e-3, gaeLambda: 0.98, gamma: 0.99, learningRate: 1e-3, nCriticUpdates: 20, seed: 3,
  });
  const returns = [];
  await model.learn({ totalTimesteps: 10 * 1024, progressBar: true, callback: (info) => { returns.push(info.epReturnMean); } });
  return { returns, backend: model.backend, nativeError, envs: m.listEnvs(), ua: navigator.userAgent, hasProcess: typeof process !== 'undefined' };
}`;

describe('trpo-node/browser in headless Chromium', () => {
  let browser: Browser | null = null;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: the browser test needs Debian's Chromium; install it with \`apt-get install -y chromium\`, or set TRPO_CHROMIUM`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('trains CartPole-v1 with the pure-JS backend and the mean episode return rises', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.setContent('<!doctype html><title>trpo-node/browser</title>');
      const res = await page.evaluate<{ returns: (number | null)[]; backend: string; nativeError: string; envs: string[]; ua: string; hasProcess: boolean }>(
        `(${IN_PAGE})(${JSON.stringify(bundle)})`,
      );
      expect(res.ua).toMatch(/Chrome/);
      expect(res.hasProcess).toBe(false);
      expect(res.backend).toBe('js');
      expect(res.nativeError).toMatch(/native backend is unavailable.*trpo-node\/browser/);
      expect(res.envs).toContain('CartPole-v1');
      expect(res.envs).not.toContain('HalfCheetah-v5');
      expect(res.returns).toHaveLength(10);
      const [first, last] = [res.returns[0]!, res.returns[res.returns.length - 1]!];
      // A random CartPole policy lasts about 20 steps; 10 updates of the zoo settings at least double it.
      expect(first).toBeLessThan(40);
      expect(last, `epReturnMean per update: ${JSON.stringify(res.returns)}`).toBeGreaterThan(2 * first);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);

  it("runs the README's example as written: the printed mean return rises", async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    const lines: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => lines.push(m.text()));
    try {
      await page.setContent('<!doctype html><title>README example</title>');
      await page.addScriptTag({ type: 'module', content: readmeBundle });
      const deadline = Date.now() + 240_000;
      while (!lines.some((l) => l.startsWith('action ')) && errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(errors).toEqual([]);
      const returns = lines.map((l) => /^update (\d+): mean return ([\d.]+)$/.exec(l)).filter((m) => m !== null).map((m) => Number(m[2]));
      expect(returns, lines.join('\n')).toHaveLength(10);
      expect(returns[9], lines.join('\n')).toBeGreaterThan(2 * returns[0]);
      expect(lines.at(-1)).toMatch(/^action [01]$/);
    } finally {
      await page.close();
    }
  }, 300_000);
});
