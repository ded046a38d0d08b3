/**
 * The CLI's distributed rollouts: a throw-away redis-server on loopback, one `trpo worker`
 * process, and `trpo train --redis` trains exactly as a local `trpo train` with the same seed and
 * --n-envs (metrics, evaluation and model bit for bit); Ctrl-C stops the learner after an update
 * with its model saved; the worker stops cleanly on SIGTERM; bad
 * flags and an unreachable Redis are one-line errors with exit code 2.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPO } from '../src/trpo/trpo.js';
import { startRedis, type TestRedis } from './distributed-helpers.js';
import { ROOT, runCli } from './run-script.js';

const tmp = mkdtempSync(join(tmpdir(), 'trpo-cli-distributed-'));
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const TIME_FIELDS = ['fps', 'rolloutSeconds', 'updateSeconds', 'elapsedSeconds'];

/** metrics.jsonl rows without the wall-clock fields, as JSON text (bit-for-bit comparable). */
function metrics(dir: string): string[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const row = JSON.parse(l) as Record<string, unknown>;
    for (const k of TIME_FIELDS) delete row[k];
    return JSON.stringify(row);
  });
}

function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let interruptedUpdates = 0;

describe('trpo worker + trpo train --redis', () => {
  it('trains CartPole-v1 on a trpo worker process exactly as locally; Ctrl-C stops after an update; the worker stops on SIGTERM', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--redis', redis.url, '--concurrency', '2'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`trpo worker not ready within 30 s: ${out}`)), 30_000);
        proc.stdout.on('data', () => {
          if (out.includes('trpo worker ready')) {
            clearTimeout(t);
            resolve();
          }
        });
        void exited.then(({ code }) => reject(new Error(`trpo worker exited with ${code} before it was ready: ${out}`)));
      });
      expect(out).toMatch(new RegExp(`^trpo worker ready: ${redis.url} queue trpo-rollouts, concurrency 2`, 'm'));

      const config = join(tmp, 'cartpole.json');
      writeFileSync(config, JSON.stringify({ nSteps: 64, batchSize: 64, nCriticUpdates: 3, cgDamping: 1e-3 }));
      const common = ['CartPole-v1', '--timesteps', String(4 * 64 * 3), '--n-envs', '4', '--seed', '5', '--config', config, '--eval-episodes', '2', '--no-report'];
      const localDir = join(tmp, 'local');
      const remoteDir = join(tmp, 'remote');
      const [local, remote] = await Promise.all([
        runCli(['train', ...common, '--out', localDir]),
        runCli(['train', ...common, '--out', remoteDir, '--redis', redis.url, '--segments', '2']),
      ]);
      expect(local.code, local.stderr).toBe(0);
      expect(remote.code, remote.stderr).toBe(0);
      expect(remote.stdout).toContain(`on the rollout workers of ${redis.url} (2 jobs per update)`);
      const rows = metrics(remoteDir);
      expect(rows).toHaveLength(3);
      expect(rows).toEqual(metrics(localDir));
      expect(readFileSync(join(remoteDir, 'eval.json'), 'utf8')).toBe(readFileSync(join(localDir, 'eval.json'), 'utf8'));
      const [a, b] = await Promise.all([TRPO.load(join(localDir, 'model.trpo.json')), TRPO.load(join(remoteDir, 'model.trpo.json'))]);
      expect(b.policy.getParameters()).toEqual(a.policy.getParameters());
      expect(b.valueFunction.getParameters()).toEqual(a.valueFunction.getParameters());
      const cfg = JSON.parse(readFileSync(join(remoteDir, 'config.json'), 'utf8')) as { rollouts: unknown };
      expect(cfg.rollouts).toEqual({ segments: 2, queue: null });
      expect(readFileSync(join(remoteDir, 'config.json'), 'utf8')).not.toContain(redis.url);

      // Ctrl-C: the update in progress completes, the model after it is saved, exit code 0
      const stopDir = join(tmp, 'interrupted');
      const learner = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'train', ...common.slice(0, 1), '--timesteps', '10000000', ...common.slice(3), '--out', stopDir, '--redis', redis.url, '--segments', '2'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let learnerOut = '';
      learner.stdout.on('data', (d: Buffer) => { learnerOut += d.toString(); });
      learner.stderr.on('data', (d: Buffer) => { learnerOut += d.toString(); });
      const learnerExit = new Promise<number | null>((r) => learner.once('exit', (code) => r(code)));
      const metricsFile = join(stopDir, 'metrics.jsonl');
      for (let i = 0; i < 600 && !(existsSync(metricsFile) && readFileSync(metricsFile, 'utf8').includes('\n')); i++) await new Promise((r) => setTimeout(r, 100));
      learner.kill('SIGINT');
      expect(await learnerExit, learnerOut).toBe(130); // the shell's code for SIGINT (src/cli/interrupt.ts)
      expect(learnerOut).toMatch(/SIGINT: saved the model after \d+ updates .*model\.trpo\.json holds the model after update \d+; continue with trpo train --resume .* --redis <url>/);
      interruptedUpdates = metrics(stopDir).length;
      const stopped = await TRPO.load(join(stopDir, 'model.trpo.json'));
      expect(stopped.numUpdates).toBe(interruptedUpdates);
    } finally {
      proc.kill('SIGTERM');
    }
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const end = await exited;
    clearTimeout(t);
    expect(end, out).toEqual({ code: 0, signal: null });
    // (3 updates + the interrupted run's) x 2 segments, every one run by this worker
    expect(interruptedUpdates).toBeGreaterThan(0);
    expect(out).toContain(`trpo worker stopped after ${2 * (3 + interruptedUpdates)} job(s)`);
  }, 180_000);
});

describe('distributed flags: one line on stderr, exit code 2', () => {
  it.concurrent.each([
    [['worker'], /required option '--redis <url>' not specified/],
    [['worker', '--redis', 'http://127.0.0.1:6379'], /--redis: expected a redis:\/\/ or rediss:\/\/ URL/],
    [['worker', '--redis', 'not a url'], /--redis: "not a url" is not a URL/],
    [['worker', '--redis', 'redis://127.0.0.1:6379', '--concurrency', '0'], /--concurrency.*positive integer/],
    [['worker', '--redis', 'redis://127.0.0.1:6379', '--lock-duration', '10'], /--lock-duration.*integer >= 100/],
    [['worker', '--redis', 'redis://127.0.0.1:6379', '--queue', 'a:b'], /--queue: expected a non-empty name without ':'/],
    [['train', 'CartPole-v1', '--segments', '2'], /--segments 2: needs --redis/],
    [['train', 'CartPole-v1', '--queue', 'q'], /--queue q: needs --redis/],
    [['train', 'CartPole-v1', '--redis', 'redis://127.0.0.1:1', '--segments', '3'], /--segments 3: at most one segment per env \(nEnvs is 2\)/],
    [['train', 'CartPole-v1', '--redis', 'redis://127.0.0.1:1', '--eval-freq', '100'], /--redis: --eval-freq cannot be used with distributed rollouts/],
    [['train', 'CartPole-v1', '--redis', 'redis://127.0.0.1:1', '--workers', '2'], /--redis: --workers cannot be used with distributed rollouts/],
    [['train', 'CartPole-v1', '--redis', 'redis:///0'], /--redis: .* has no host/],
  ])('trpo %j', async (args, pattern) => {
    expectUsageError(await runCli(args), pattern);
  });

  it('an unreachable Redis is reported within seconds, by the worker and by train', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const out = join(tmp, 'unreachable');
    const t0 = performance.now();
    const [w, t] = await Promise.all([runCli(['worker', '--redis', url]), runCli(['train', 'CartPole-v1', '--redis', url, '--out', out])]);
    expect((performance.now() - t0) / 1000).toBeLessThan(60); // not a hang (the limit is far above tsx's start-up)
    for (const r of [w, t]) expectUsageError(r, new RegExp(`--redis: cannot reach Redis at ${url}`));
  });

  it('--help of worker lists its flags; train lists --redis and --segments', async () => {
    const [w, t] = await Promise.all([runCli(['worker', '--help']), runCli(['train', '--help'])]);
    expect(w.code).toBe(0);
    for (const f of ['--redis', '--concurrency', '--queue', '--lock-duration', '--stalled-interval', '--max-stalled-count', '--connect-timeout', '--allow-env-modules']) expect(w.stdout).toContain(f);
    for (const f of ['--redis', '--segments', '--queue']) expect(t.stdout).toContain(f);
  });
});
