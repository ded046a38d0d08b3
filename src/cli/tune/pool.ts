/**
 * The worker threads of `trpo tune`: W threads, each running one trial at a time (its own env and
 * model, the native addon or the JS backend). Under tsx (the sources) a worker first registers
 * tsx's ESM hooks, as WorkerVectorEnv's workers do.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PruneQuery, TrialResult, TrialSpec } from './trial.js';

export type ToTuneWorker =
  | { type: 'run'; spec: TrialSpec }
  | { type: 'decision'; id: number; prune: boolean }
  | { type: 'close' };

export type FromTuneWorker =
  | { type: 'ready' }
  | { type: 'ask'; id: number; number: number; step: number; value: number }
  | { type: 'result'; result: TrialResult };

const IS_TS = import.meta.url.endsWith('.ts');

function startWorker(): Worker {
  const entry = new URL(IS_TS ? './worker.ts' : './worker.js', import.meta.url);
  if (!IS_TS) return new Worker(entry);
  const req = createRequire(import.meta.url);
  const pkgJson = req.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgJson), pkg.exports['./esm/api'].import.default)).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true });
}

/**
 * Run `specs` on `workers` threads, in order as threads free up; `ask(number)` gives the pruning
 * decision of a trial's evaluation; `onResult` sees each finished trial.
 */
export async function runTrialsOnWorkers(specs: readonly TrialSpec[], workers: number, ask: (trial: number) => PruneQuery, onResult: (r: TrialResult) => void): Promise<void> {
  let next = 0;
  const threads = Array.from({ length: Math.min(workers, specs.length) }, () => startWorker());
  try {
    await Promise.all(threads.map((w) => new Promise<void>((resolve, reject) => {
      const runNext = (): void => {
        if (next >= specs.length) {
          w.postMessage({ type: 'close' } satisfies ToTuneWorker);
          resolve();
          return;
        }
        w.postMessage({ type: 'run', spec: specs[next++] } satisfies ToTuneWorker);
      };
      w.on('message', (msg: FromTuneWorker) => {
        if (msg.type === 'ready') runNext();
        else if (msg.type === 'ask') {
          void ask(msg.number)(msg.step, msg.value).then((prune) => w.postMessage({ type: 'decision', id: msg.id, prune } satisfies ToTuneWorker));
        } else if (msg.type === 'result') {
          onResult(msg.result);
          runNext();
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (code !== 0) reject(new Error(`trpo tune: a worker thread exited with code ${code}`));
      });
    })));
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
