// Start a throw-away redis-server on 127.0.0.1 (a free port, its own temporary directory,
// append-only file, so that a restart (SIGTERM: Redis writes it out) keeps the queue), for the
// distributed tests and benchmarks. `startRedis()` resolves to { url, port, dir, stop(),
// restart() }; run directly (`node scripts/redis-server.mjs`) it prints the URL and runs until
// Ctrl-C.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port });
    c.setTimeout(500);
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => resolve(false));
    c.once('timeout', () => {
      c.destroy();
      resolve(false);
    });
  });
}

export function redisServerAvailable() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Start redis-server; rejects with a clear message if the binary is missing or it does not answer within 10 s. */
export async function startRedis() {
  if (!redisServerAvailable()) throw new Error('redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)');
  let port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'trpo-redis-'));
  let proc = null;
  const launch = async () => {
    proc = spawn('redis-server', [
      '--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec',
      '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', join(dir, 'redis.log'),
    ], { stdio: 'ignore' });
    const exited = new Promise((r) => proc.once('exit', r));
    for (let i = 0; i < 200; i++) {
      if (await ping(port)) {
        // Ours, not another process's server on a port taken meanwhile (ours would have exited on the bind error).
        await new Promise((r) => setTimeout(r, 50));
        if (proc.exitCode === null) return;
        break;
      }
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    await exited;
    throw new Error(`redis-server on 127.0.0.1:${port} did not answer within 10 s (log: ${join(dir, 'redis.log')})`);
  };
  const halt = async () => {
    if (!proc || proc.exitCode !== null) return;
    const p = proc;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  // The free port can be taken by another process before redis-server binds it: try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      port = await freePort();
    }
  }
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    get pid() {
      return proc?.pid;
    },
    /** Stop the server and delete its directory. */
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    /** Stop the server (it writes its append-only file) and start it again on the same port and data. */
    async restart(downMs = 0) {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await startRedis();
  process.stdout.write(`${r.url}\n`);
  const done = async () => {
    await r.stop();
    process.exit(0);
  };
  process.once('SIGINT', done);
  process.once('SIGTERM', done);
}
