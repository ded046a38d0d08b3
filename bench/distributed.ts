/**
 * Distributed rollouts on this machine (redis-server and the workers on 127.0.0.1), part of
 * `npm run bench` (section "distributed") and alone:
 *   npm run bench:distributed [-- --updates N] [--env Hopper-v5] [--json out.json]
 * 1. The overhead per update against local rollouts on CartPole-v1 (RL-Zoo settings: 2 envs x
 *    512 steps, 2 segments on 2 worker processes): median rollout time of an update, local and
 *    distributed, the job/result payload, and the time per update not spent in the workers'
 *    runSegment (queueing, encoding, Redis, decoding).
 * 2. Rollout throughput of a MuJoCo env (default Hopper-v5, 4 envs x 256 steps, 4 segments)
 *    with 1 and 2 workers, against local rollouts.
 * On a 2-vCPU VM (about one core of throughput when both are busy, and the learner's process
 * shares them) two workers cannot show a 2x speed-up; the figures show the overhead and that the
 * work is spread, not the scaling of a cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeVecEnv, TRPO, zooHyperparams, type TRPOUpdateInfo } from '../src/index.js';
import { RedisRollouts } from '../src/distributed/redis-rollouts.js';
import { startRedis } from '../scripts/redis-server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Updates left out of the medians: the workers' first jobs import the env and warm up the JIT. */
const WARMUP = 5;

async function spawnWorker(url: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'src/distributed/worker-main.ts', '--redis', url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    p.once('exit', (c) => reject(new Error(`worker exited with ${c}`)));
  });
  return p;
}

async function stopWorker(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Measured {
  rollout: number;
  update: number;
  figures: RedisRollouts['lastUpdate'][];
}

async function measure(id: string, hp: Record<string, unknown>, nEnvs: number, updates: number, source: RedisRollouts | null): Promise<Measured> {
  const env = await makeVecEnv(id, { nEnvs, seed: 0 });
  const model = new TRPO('MlpPolicy', env, { ...hp, seed: 0, rollouts: source });
  const infos: TRPOUpdateInfo[] = [];
  const figures: RedisRollouts['lastUpdate'][] = [];
  await model.learn({
    totalTimesteps: nEnvs * (hp.nSteps as number) * (updates + WARMUP),
    callback: (i) => {
      infos.push(i);
      if (source) figures.push({ ...source.lastUpdate });
    },
  });
  await env.close();
  const rest = infos.slice(WARMUP);
  return { rollout: median(rest.map((i) => i.rolloutSeconds)), update: median(rest.map((i) => i.updateSeconds)), figures: figures.slice(WARMUP) };
}

export interface DistributedBench {
  cartpole: Record<string, number>;
  mujoco: { env: string; nEnvs: number; nSteps: number; segments: number; stepsPerSecond: Record<string, number> };
  lines: string[];
}

/** Run both measurements (a redis-server and 2 worker processes are started and stopped). */
export async function runDistributedBench(o: { updates: number; mujocoEnv: string; log?: (m: string) => void }): Promise<DistributedBench> {
  const log = o.log ?? (() => {});
  const redis = await startRedis();
  const workers: ChildProcess[] = [];
  try {
    log(`distributed: redis-server at ${redis.url}, starting 2 workers`);
    workers.push(await spawnWorker(redis.url), await spawnWorker(redis.url));
    const { policy: _p, nEnvs, nTimesteps: _t, normalize: _n, note: _note, ...hp } = zooHyperparams['CartPole-v1'] as Record<string, unknown>;
    const ne = nEnvs as number;
    const local = await measure('CartPole-v1', hp, ne, o.updates, null);
    const src = await RedisRollouts.connect({ redis: redis.url, segments: 2 });
    const remote = await measure('CartPole-v1', hp, ne, o.updates, src);
    await src.close();
    const f = remote.figures;
    const outside = median(f.map((x) => x.waitSeconds - x.maxWorkerSeconds));
    const jobKiB = median(f.map((x) => x.jobBytes)) / 1024;
    const resultKiB = median(f.map((x) => x.resultBytes)) / 1024;
    const cartpole = {
      nEnvs: ne, nSteps: hp.nSteps as number, segments: 2, localRolloutMs: local.rollout * 1e3, distributedRolloutMs: remote.rollout * 1e3,
      overheadPerUpdateMs: (remote.rollout - local.rollout) * 1e3, outsideWorkersMs: outside * 1e3, jobKiB, resultKiB, updateMs: local.update * 1e3,
    };
    const lines = [`CartPole-v1 (${ne} envs x ${String(hp.nSteps)} steps, 2 segments, 2 workers): rollout per update local ${(local.rollout * 1e3).toFixed(1)} ms, distributed ${(remote.rollout * 1e3).toFixed(1)} ms ` +
      `(overhead ${((remote.rollout - local.rollout) * 1e3).toFixed(1)} ms per update; ${(outside * 1e3).toFixed(1)} ms outside the workers' runSegment); ` +
      `payload ${jobKiB.toFixed(0)} KiB of jobs, ${resultKiB.toFixed(0)} KiB of results; the TRPO update itself ${(local.update * 1e3).toFixed(1)} ms`];

    const mj = { nSteps: 256, batchSize: 64 };
    const mjEnvs = 4;
    const steps = mjEnvs * mj.nSteps;
    const mjUpdates = Math.max(2, Math.floor(o.updates / 4));
    const mLocal = await measure(o.mujocoEnv, mj, mjEnvs, mjUpdates, null);
    const rows: Record<string, number> = { local: steps / mLocal.rollout };
    for (const n of [1, 2]) {
      while (workers.length > n) await stopWorker(workers.pop()!);
      const s = await RedisRollouts.connect({ redis: redis.url, segments: 4 });
      const m = await measure(o.mujocoEnv, mj, mjEnvs, mjUpdates, s);
      await s.close();
      rows[`${n} worker${n > 1 ? 's' : ''}`] = steps / m.rollout;
      if (n === 1) workers.push(await spawnWorker(redis.url));
    }
    lines.push(`${o.mujocoEnv} rollouts (${mjEnvs} envs x ${mj.nSteps} steps, 4 segments): ${Object.entries(rows).map(([k, v]) => `${k} ${v.toFixed(0)} steps/s`).join(', ')}`);
    lines.push('(2-vCPU VM, about one core of throughput when both are busy, shared by the learner, Redis and the workers: the overhead per update and that work moves to the workers, not cluster scaling)');
    return { cartpole, mujoco: { env: o.mujocoEnv, nEnvs: mjEnvs, nSteps: mj.nSteps, segments: 4, stepsPerSecond: rows }, lines };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { updates: { type: 'string' }, env: { type: 'string' }, json: { type: 'string' } } });
  const r = await runDistributedBench({ updates: Number(values.updates ?? 20), mujocoEnv: values.env ?? 'Hopper-v5' });
  for (const l of r.lines) console.log(l);
  if (values.json) writeFileSync(values.json, JSON.stringify(r, null, 2));
}
