/**
 * A rollout worker: a BullMQ worker on the rollout queue that runs jobs with runSegment. It keeps
 * no state between jobs. BullMQ gives the fault tolerance: a job whose worker dies is found
 * stalled (its lock expires) and run again; a job that throws is retried `attempts` times.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import * as v from '../validate.js';
import { decodeFrame, encodeFrame } from './codec.js';
import { DEFAULT_QUEUE, PROTOCOL_VERSION, packageVersion, type RolloutJobMeta } from './protocol.js';
import { checkRedisReachable, connectionOptions, parseRedisUrl } from './redis-url.js';
import { runSegment } from './segment.js';

/** Options of startRolloutWorker. */
export interface RolloutWorkerOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** Jobs run at once by this process (default 1; rollouts are CPU-bound, run one process per core). */
  concurrency?: number;
  /** BullMQ queue name (default 'trpo-rollouts'). */
  queue?: string;
  /** How long a job's lock lasts without renewal, in ms (default 30 000): a dead worker's job is taken over after it. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs, in ms (default 30 000). */
  stalledIntervalMs?: number;
  /** Stalls (worker deaths) a job survives before it fails (default 3). */
  maxStalledCount?: number;
  /** Time to reach Redis at start, in ms (default 3000). */
  connectTimeoutMs?: number;
  /**
   * Let jobs name env modules (`{ modulePath, exportName }`) to import (default false: only
   * registered env ids). Importing a module runs its code, so allow it only when everyone who
   * can write to the Redis may run code on this machine.
   */
  allowEnvModules?: boolean;
}

/** A running worker. */
/** A running rollout worker (startRolloutWorker's result). */
export interface RolloutWorker {
  /** This worker's id (host, pid and a random suffix), as recorded with its jobs. */
  readonly id: string;
  /** The BullMQ queue it takes jobs from. */
  readonly queue: string;
  /** Jobs completed by this worker. */
  readonly completed: number;
  /** Stop taking jobs, finish the running ones and disconnect. */
  close(): Promise<void>;
}

const W = 'trpo worker';

/** Check a job against this worker's package and protocol version (an UnrecoverableError: no retries). */
function checkJob(m: RolloutJobMeta, allowEnvModules: boolean): void {
  const mine = packageVersion();
  if (m.packageVersion !== mine) {
    throw new UnrecoverableError(`${W}: this worker runs trpo-node ${mine}, the job comes from a learner of trpo-node ${String(m.packageVersion)}; run workers of the learner's version`);
  }
  if (m.protocol !== PROTOCOL_VERSION) throw new UnrecoverableError(`${W}: the job has protocol version ${String(m.protocol)}, this worker speaks ${PROTOCOL_VERSION}`);
  if (m.env?.modulePath !== undefined && !allowEnvModules) {
    throw new UnrecoverableError(`${W}: the job names the env module ${JSON.stringify(m.env.modulePath)}; this worker runs registered env ids only (start it with --allow-env-modules / allowEnvModules: true to import env modules)`);
  }
}

/**
 * Start a worker (after checking that Redis answers: a clear error within connectTimeoutMs).
 * @throws TypeError/RangeError (as a rejection) naming the option; Error when Redis cannot be reached.
 */
export async function startRolloutWorker(options: RolloutWorkerOptions): Promise<RolloutWorker> {
  const o = v.object(options, `${W}: options`);
  v.knownKeys(o, ['redis', 'concurrency', 'queue', 'lockDurationMs', 'stalledIntervalMs', 'maxStalledCount', 'connectTimeoutMs', 'allowEnvModules'], `${W}: options`);
  const target = parseRedisUrl(o.redis, `${W}: --redis`);
  const int = (k: string, d: number, min: number): number => {
    const x = o[k] ?? d;
    if (!Number.isInteger(x) || (x as number) < min) throw new RangeError(`${W}: ${k}: expected an integer >= ${min}, got ${v.describe(x)}`);
    return x as number;
  };
  const concurrency = int('concurrency', 1, 1);
  const lockDuration = int('lockDurationMs', 30_000, 100);
  const stalledInterval = int('stalledIntervalMs', 30_000, 100);
  const maxStalledCount = int('maxStalledCount', 3, 0);
  const queue = (o.queue as string | undefined) ?? DEFAULT_QUEUE;
  const allowEnvModules = o.allowEnvModules ?? false;
  if (typeof allowEnvModules !== 'boolean') throw new TypeError(`${W}: allowEnvModules: expected a boolean, got ${v.describe(allowEnvModules)}`);
  await checkRedisReachable(target, W, int('connectTimeoutMs', 3000, 1));
  const id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let completed = 0;
  const worker = new Worker(queue, async (job) => {
    const f = decodeFrame((job.data as { frame?: unknown }).frame, `${W}: job ${String(job.id)}`);
    const m = f.meta as RolloutJobMeta;
    checkJob(m, allowEnvModules);
    const out = await runSegment(m, f.arrays, id);
    completed++;
    return { frame: encodeFrame(out.meta, out.arrays) };
  }, {
    connection: connectionOptions(target), concurrency, lockDuration, stalledInterval, maxStalledCount, name: id,
  });
  worker.on('error', (e) => process.stderr.write(`${W}: ${e.message}\n`));
  await worker.waitUntilReady();
  return {
    id,
    queue,
    get completed() {
      return completed;
    },
    close: () => worker.close(),
  };
}
