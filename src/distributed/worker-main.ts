/**
 * A rollout worker process without the CLI (the tests and benchmarks spawn it; users run `trpo worker`,
 * src/cli/worker.ts, which calls the same runWorkerCommand): `node dist/distributed/worker-main.js --redis URL [--concurrency N] [--queue NAME]
 * [--lock-duration MS] [--stalled-interval MS] [--allow-env-modules]`. Exit code 2 for a bad argument or an unreachable Redis.
 */
import { parseArgs } from 'node:util';
import { runWorkerCommand } from './worker-command.js';

function intArg(x: string | undefined, name: string): number | undefined {
  if (x === undefined) return undefined;
  const n = Number(x);
  if (!Number.isInteger(n)) throw new RangeError(`--${name}: expected an integer, got ${JSON.stringify(x)}`);
  return n;
}

try {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string' }, concurrency: { type: 'string' }, queue: { type: 'string' },
      'lock-duration': { type: 'string' }, 'stalled-interval': { type: 'string' }, 'allow-env-modules': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.redis === undefined) throw new TypeError('--redis URL is required (e.g. --redis redis://127.0.0.1:6379)');
  await runWorkerCommand({
    redis: values.redis, concurrency: intArg(values.concurrency, 'concurrency'), queue: values.queue,
    lockDurationMs: intArg(values['lock-duration'], 'lock-duration'), stalledIntervalMs: intArg(values['stalled-interval'], 'stalled-interval'),
    allowEnvModules: values['allow-env-modules'] ?? false,
  }, { out: (line) => process.stdout.write(`${line}\n`) });
  process.exit(0);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
