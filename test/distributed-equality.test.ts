/**
 * Distributed rollouts (BullMQ workers in two child processes, a real redis-server on loopback)
 * give the same training as local rollouts with the same seed and nEnvs, bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseCallback, makeVecEnv, SyncVectorEnv, TRPO, type TRPOUpdateInfo, type VecEnv } from '../src/index.js';
import { createHash } from 'node:crypto';
import { spawnWorker, startRedis, type TestRedis, type WorkerProcess } from './distributed-helpers.js';
import { runScript } from './run-script.js';

let redis: TestRedis;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  workers = await Promise.all([spawnWorker(redis.url), spawnWorker(redis.url)]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
  expect(codes).toEqual(workers.map(() => 0)); // clean shutdown on SIGTERM
  // Every segment of every distributed update ran on a worker: 4 x 2 + 2 x (3 + 5) + 2 x 2 + 2 x 2 x 2 + 4 x 2 + 2 x 2 jobs.
  const jobs = workers.map((w) => Number(/stopped after (\d+) job/.exec(w.output())?.[1] ?? NaN));
  expect(jobs[0] + jobs[1]).toBe(48);
});

interface Run {
  infos: TRPOUpdateInfo[];
  policy: Float64Array;
  value: Float64Array;
  envStates: unknown[];
  episodeState: unknown;
}

async function train(id: string, nEnvs: number, updates: number, options: Record<string, unknown>, rollouts?: Record<string, unknown>): Promise<Run> {
  const env: VecEnv = await makeVecEnv(id, { nEnvs, seed: 3 });
  const nSteps = options.nSteps as number;
  const model = new TRPO('MlpPolicy', env, { ...options, seed: 7, rollouts: rollouts ? { redis: redis.url, timeoutMs: 60_000, ...rollouts } : undefined });
  const infos: TRPOUpdateInfo[] = [];
  await model.learn({ totalTimesteps: nEnvs * nSteps * updates, callback: (info) => { infos.push(info); } });
  const sync = env as SyncVectorEnv;
  const out = {
    infos, policy: model.policy.getParameters(), value: model.valueFunction.getParameters(),
    envStates: sync.envs.map((e) => e.getState!()), episodeState: sync.getEpisodeState(),
  };
  await env.close();
  return out;
}

/** The parts of an update's statistics that do not depend on wall time. */
function learningCurve(infos: TRPOUpdateInfo[]): unknown[] {
  return infos.map(({ fps: _f, rolloutSeconds: _r, updateSeconds: _u, elapsedSeconds: _e, ...rest }) => rest);
}

describe('distributed rollouts equal local rollouts bit for bit', () => {
  const cartpole = { nSteps: 64, batchSize: 64, nCriticUpdates: 3, cgDamping: 1e-3 };

  it('CartPole-v1, 4 env slots in 2 segments on 2 worker processes', async () => {
    const local = await train('CartPole-v1', 4, 4, cartpole);
    const remote = await train('CartPole-v1', 4, 4, cartpole, { segments: 2 });
    expect(local.infos.some((i) => i.rolloutEpisodes > 0)).toBe(true); // episodes ended (and were restarted) inside segments
    expect(learningCurve(remote.infos)).toEqual(learningCurve(local.infos));
    expect(remote.policy).toEqual(local.policy);
    expect(remote.value).toEqual(local.value);
    expect(remote.envStates).toEqual(local.envStates);
    expect(remote.episodeState).toEqual(local.episodeState);
  });

  it('CartPole-v1, 5 slots in 3 uneven segments, and one segment per slot', async () => {
    const local = await train('CartPole-v1', 5, 2, cartpole);
    for (const segments of [3, 5]) {
      const remote = await train('CartPole-v1', 5, 2, cartpole, { segments });
      expect(learningCurve(remote.infos)).toEqual(learningCurve(local.infos));
      expect(remote.policy).toEqual(local.policy);
      expect(remote.envStates).toEqual(local.envStates);
    }
  });

  it('InvertedPendulum-v5 (MuJoCo, Box actions), 2 slots in 2 segments', async () => {
    const o = { nSteps: 32, batchSize: 32, nCriticUpdates: 2 };
    const local = await train('InvertedPendulum-v5', 2, 2, o);
    const remote = await train('InvertedPendulum-v5', 2, 2, o, { segments: 2 });
    expect(learningCurve(remote.infos)).toEqual(learningCurve(local.infos));
    expect(remote.policy).toEqual(local.policy);
    expect(remote.value).toEqual(local.value);
    expect(remote.envStates).toEqual(local.envStates);
  });

  it('the JS backend and the float64 native core travel with the job; time-limit truncations inside segments (Pendulum-v1)', async () => {
    for (const net of [{ backend: 'js' }, { backend: 'native', dtype: 'float64' }]) {
      const o = { nSteps: 128, batchSize: 128, nCriticUpdates: 2, ...net };
      const local = await train('Pendulum-v1', 3, 2, o);
      const remote = await train('Pendulum-v1', 3, 2, o, { segments: 2 });
      expect(local.infos[1].rolloutEpisodes).toBe(3); // every slot truncated at step 200, inside update 2
      expect(learningCurve(remote.infos)).toEqual(learningCurve(local.infos));
      expect(remote.policy).toEqual(local.policy);
      expect(remote.value).toEqual(local.value);
      expect(remote.envStates).toEqual(local.envStates);
    }
  });

  it('a model saved after distributed updates loads and continues, equal to an uninterrupted local run', async () => {
    const o = { ...cartpole, seed: 7 };
    const localEnv = await makeVecEnv('CartPole-v1', { nEnvs: 4 });
    const local = new TRPO('MlpPolicy', localEnv, o);
    await local.learn({ totalTimesteps: 4 * 64 * 4 });

    const env = await makeVecEnv('CartPole-v1', { nEnvs: 4 });
    const model = new TRPO('MlpPolicy', env, { ...o, rollouts: { redis: redis.url, segments: 2, timeoutMs: 60_000 } });
    await model.learn({ totalTimesteps: 4 * 64 * 2 });
    const file = join(mkdtempSync(join(tmpdir(), 'trpo-distributed-')), 'model.trpo.json');
    await model.save(file);
    const env2 = await makeVecEnv('CartPole-v1', { nEnvs: 4 });
    const loaded = await TRPO.load(file, { env: env2 });
    loaded.setRollouts({ redis: redis.url, segments: 2, timeoutMs: 60_000 });
    await loaded.learn({ totalTimesteps: 4 * 64 * 2, resetNumTimesteps: false });
    expect(loaded.numUpdates).toBe(4);
    expect(loaded.policy.getParameters()).toEqual(local.policy.getParameters());
    expect(loaded.valueFunction.getParameters()).toEqual(local.valueFunction.getParameters());
  });

  it('refuses per-step callbacks and a malformed rollouts option, naming them', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    expect(() => new TRPO('MlpPolicy', env, { rollouts: { segments: 2 } as never })).toThrow(/options\.rollouts: expected \{ redis: 'redis:\/\/host:port', segments \} or a RolloutSource/);
    await expect(new TRPO('MlpPolicy', env, { rollouts: { redis: redis.url, segmnets: 2 } as never }).learn({ totalTimesteps: 10 })).rejects.toThrow(/RedisRollouts: options.*segmnets/);
    class Steps extends BaseCallback {
      protected override onStep(): boolean {
        return true;
      }
    }
    const model = new TRPO('MlpPolicy', env, { nSteps: 8, rollouts: { redis: redis.url } });
    await expect(model.learn({ totalTimesteps: 16, callback: new Steps() })).rejects.toThrow(/per-step hooks .* need rollouts in this process/);
  });

  it('a learner process exits by itself after learn() (no connection left open) with the local result', async () => {
    const r = await runScript('test/fixtures/distributed-learner.ts', [redis.url]);
    expect(r.code, r.stderr).toBe(0);
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
    const local = new TRPO('MlpPolicy', env, { nSteps: 32, batchSize: 32, seed: 1 });
    await local.learn({ totalTimesteps: 128 });
    const hash = createHash('sha256').update(new Uint8Array(local.policy.getParameters().buffer)).digest('hex');
    expect(r.stdout.trim()).toBe(`updates 2 policy ${hash}`);
  });
});
