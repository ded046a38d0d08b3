/** Redis and rollout-worker processes for the distributed tests (all on 127.0.0.1). */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './run-script.js';
export { startRedis, type TestRedis } from '../scripts/redis-server.mjs';

export interface WorkerProcess {
  proc: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** SIGTERM and wait for the exit (a clean shutdown); SIGKILL after 10 s. Resolves to the exit code. */
  stop: () => Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Start `src/distributed/worker-main.ts` in a child process and wait (at most 30 s) for its ready
 * line. Extra arguments (e.g. short lock and stall intervals) follow --redis.
 */
export async function spawnWorker(url: string, args: string[] = [], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/distributed/worker-main.ts', '--redis', url, ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker not ready within 30 s; output: ${out}`)), 30_000);
    const check = () => {
      if (out.includes('trpo worker ready')) {
        clearTimeout(t);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`worker exited with code ${code} before it was ready; output: ${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    exited,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
