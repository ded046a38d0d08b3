/**
 * `trpo worker --redis URL [--concurrency N] [--queue NAME]`: run a rollout worker until SIGINT
 * or SIGTERM, printing one line when it is ready. (The commander wiring is src/cli/worker.ts; this
 * module is the command's body, also runnable as `node dist/distributed/worker-main.js`.)
 */
import { startRolloutWorker, type RolloutWorkerOptions } from './worker.js';
import { packageVersion } from './protocol.js';

/** Where `trpo worker` prints and when it stops (injected by the CLI and tests). */
export interface WorkerCommandIO {
  /** Prints one line of status (ready, job done, shutdown). */
  out: (line: string) => void;
  /** Resolves when the worker should stop (default: SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
}

/** Run the worker; resolves after a clean shutdown. Rejects (before printing ready) with a clear error for a bad URL or an unreachable Redis. */
export async function runWorkerCommand(options: RolloutWorkerOptions, io: WorkerCommandIO): Promise<void> {
  const worker = await startRolloutWorker(options);
  io.out(`trpo worker ready: ${options.redis} queue ${worker.queue}, concurrency ${options.concurrency ?? 1}, trpo-node ${packageVersion()}, id ${worker.id}`);
  const stop = io.stop ?? new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await stop;
  await worker.close();
  io.out(`trpo worker stopped after ${worker.completed} job(s)`);
}
