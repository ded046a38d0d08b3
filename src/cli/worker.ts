/**
 * `trpo worker --redis URL [--concurrency N] [--queue Q] [--allow-env-modules] ...`: a rollout
 * worker (src/distributed/worker-command.ts) until SIGINT or SIGTERM. A bad URL or an unreachable
 * Redis is a usage error (one line, exit code 2) within --connect-timeout.
 */
import { UsageError } from './args.js';

export interface WorkerArgs {
  redis: string;
  concurrency?: number;
  queue?: string;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  connectTimeout?: number;
  allowEnvModules?: boolean;
}

/** Check --redis (URL, then a PING within `timeoutMs`); a UsageError naming the flag otherwise. */
export async function checkRedisFlag(url: string, timeoutMs: number): Promise<void> {
  const { checkRedisReachable, parseRedisUrl } = await import('../distributed/redis-url.js');
  let target;
  try {
    target = parseRedisUrl(url, '--redis');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    await checkRedisReachable(target, '--redis', timeoutMs);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function checkQueueFlag(queue: string | undefined): void {
  if (queue !== undefined && (queue.length === 0 || queue.includes(':'))) throw new UsageError(`--queue: expected a non-empty name without ':', got ${JSON.stringify(queue)}`);
}

export async function worker(args: WorkerArgs, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  checkQueueFlag(args.queue);
  const connectTimeoutMs = args.connectTimeout ?? 3000;
  await checkRedisFlag(args.redis, connectTimeoutMs);
  const { runWorkerCommand } = await import('../distributed/worker-command.js');
  await runWorkerCommand({
    redis: args.redis,
    concurrency: args.concurrency,
    queue: args.queue,
    lockDurationMs: args.lockDuration,
    stalledIntervalMs: args.stalledInterval,
    maxStalledCount: args.maxStalledCount,
    connectTimeoutMs,
    allowEnvModules: args.allowEnvModules ?? false,
  }, { out });
}
