/**
 * SIGINT / SIGTERM during `trpo train` (src/cli/interrupt.ts): training stops after the running
 * update, the model is saved atomically at that update boundary, and the process exits with 130 /
 * 143. The saved model is exactly the one an uninterrupted run of that many updates saves, so
 * resuming it continues as if never stopped (TRPO.load + learn({ resetNumTimesteps: false }) is
 * exact: test/trpo.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './run-script.js';

const tensorsOf = (path: string): unknown => (JSON.parse(readFileSync(path, 'utf8')) as { payload: { tensors: unknown; progress: unknown; rng: unknown } }).payload;

function metricLines(dir: string): number {
  const f = join(dir, 'metrics.jsonl');
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).length : 0;
}

async function interruptedRun(signal: 'SIGINT' | 'SIGTERM', dir: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'train', 'CartPole-v1', '--timesteps', '1000000', '--seed', '3',
    '--out', dir, '--no-report', '--eval-episodes', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRPO_BACKEND: 'js' } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', () => {});
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Signal once training has logged its first update.
  while (metricLines(dir) < 1) await new Promise((r) => setTimeout(r, 50));
  child.kill(signal);
  return { code: await closed, stdout };
}

describe('trpo train: interrupts', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal}: saves the model at an update boundary atomically and exits with ${code}; the model equals an uninterrupted run's`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `trpo-interrupt-${signal}-`));
      const r = await interruptedRun(signal, dir);
      expect(r.code).toBe(code);
      const model = join(dir, 'model.trpo.json');
      expect(existsSync(model)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const updates = metricLines(dir);
      expect(r.stdout).toMatch(new RegExp(`${signal}: saved the model after ${updates} updates \\((\\d+) steps\\)`));
      const steps = Number(new RegExp(`after ${updates} updates \\((\\d+) steps\\)`).exec(r.stdout)![1]);

      // The same training without the interrupt, for exactly that many steps.
      const ref = mkdtempSync(join(tmpdir(), 'trpo-interrupt-ref-'));
      const done = await runCli(['train', 'CartPole-v1', '--timesteps', String(steps), '--seed', '3', '--out', ref, '--no-report', '--eval-episodes', '1'], { env: { TRPO_BACKEND: 'js' } });
      expect(done.code, done.stderr).toBe(0);
      expect(tensorsOf(model)).toEqual(tensorsOf(join(ref, 'model.trpo.json')));
    }, 120_000);
  }
});
