/** The README's "Callbacks, TensorBoard and export" example runs as written, and its browser page works in headless Chromium. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const HEADING = '## Callbacks, TensorBoard and export';

function block(lang: 'ts' | 'html'): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(HEADING));
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!m) throw new Error(`README has no ${lang} block under "${HEADING}"`);
  return m[1];
}

describe('README callbacks / TensorBoard / export example', () => {
  it('trains with EvalCallback and CheckpointCallback, logs to TensorBoard, exports ONNX and ESM; the page shows the action', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'trpo-readme-workflow-'));
    const file = join(cwd, 'example.mts');
    writeFileSync(file, block('ts').replace("from 'trpo-node'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`));
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], { cwd, encoding: 'utf8' });
    const m = /best (\S+) at (\d+) steps/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(20);
    const run = join(cwd, 'runs', 'cartpole');
    for (const f of ['best_model.trpo.json', 'evaluations.json', 'policy.onnx', 'policy.mjs']) expect(existsSync(join(run, f)), f).toBe(true);
    expect(readdirSync(join(cwd, 'runs', 'tb'))).toEqual(['TRPO_1']);
    expect(readdirSync(join(cwd, 'runs', 'tb', 'TRPO_1'))[0]).toMatch(/^events\.out\.tfevents\./);

    const chromiumPath = process.env.TRPO_CHROMIUM ?? '/usr/bin/chromium';
    if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: install Debian's chromium (apt-get install -y chromium) or set TRPO_CHROMIUM`);
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // serve the page and the module from memory (no network)
      await page.route('http://policy.test/**', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: block('html') });
        if (url.pathname === '/policy.mjs') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(run, 'policy.mjs'), 'utf8') });
        return route.fulfill({ status: 404, body: '' });
      });
      await page.goto('http://policy.test/index.html');
      await page.waitForFunction("document.getElementById('out').textContent.length > 0");
      const text = await page.textContent('#out');
      const steps = (JSON.parse(readFileSync(join(run, 'best_model.trpo.json'), 'utf8')) as { payload: { progress: { numTimesteps: number } } }).payload.progress.numTimesteps;
      expect(text).toMatch(new RegExp(`^CartPole-v1 after ${steps} steps: action [01]$`));
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
