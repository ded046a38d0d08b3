/** Entry of a `trpo tune` worker thread: runs the trials it is sent, asking the main thread whether to prune after each evaluation. */
import { parentPort } from 'node:worker_threads';
import { runTrial, type TrialSpec } from './trial.js';
import type { FromTuneWorker, ToTuneWorker } from './pool.js';

const port = parentPort;
if (!port) throw new Error('tune/worker must run in a worker thread');

const pending = new Map<number, (prune: boolean) => void>();
let nextId = 1;

function post(msg: FromTuneWorker): void {
  port!.postMessage(msg);
}

port.on('message', (msg: ToTuneWorker) => {
  if (msg.type === 'decision') {
    pending.get(msg.id)?.(msg.prune);
    pending.delete(msg.id);
  } else if (msg.type === 'run') {
    const spec: TrialSpec = msg.spec;
    void runTrial(spec, (step, value) => new Promise<boolean>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      post({ type: 'ask', id, number: spec.number, step, value });
    })).then((result) => post({ type: 'result', result }));
  } else if (msg.type === 'close') {
    port!.close();
  }
});
post({ type: 'ready' });
