/**
 * Distributed rollouts under VecNormalize: the statistics are frozen during the rollout (every
 * segment normalizes with those of the update's start) and each segment's statistics of the raw
 * observations and discounted returns are merged in slot order afterwards. Checked against a
 * replay of the rollout's actions in a local env. Also: the frame codec, the slot split and the
 * moment merge.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVecEnv, RunningMeanStd, SyncVectorEnv, TRPO, VecNormalize } from '../src/index.js';
import { decodeFrame, encodeFrame } from '../src/distributed/codec.js';
import { mergeMoments, splitSlots } from '../src/distributed/redis-rollouts.js';
import { startRolloutWorker, type RolloutWorker } from '../src/distributed/worker.js';
import { runSegment } from '../src/distributed/segment.js';
import type { RolloutJobMeta } from '../src/distributed/protocol.js';
import { Random } from '../src/random.js';
import type { RolloutBuffer } from '../src/trpo/rollout-buffer.js';
import { startRedis, type TestRedis } from './distributed-helpers.js';

let redis: TestRedis;
let workers: RolloutWorker[] = [];

beforeAll(async () => {
  redis = await startRedis();
  workers = await Promise.all([startRolloutWorker({ redis: redis.url, queue: 'norm' }), startRolloutWorker({ redis: redis.url, queue: 'norm' })]);
}, 30_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await redis?.stop();
});

const N_ENVS = 4;
const SEED = 9;
const O = { nSteps: 48, batchSize: 48, nCriticUpdates: 2, cgDamping: 1e-3, seed: SEED };
const NORM = { normObs: true, normReward: true };

async function trainNormalized(segments: number, updates: number) {
  const env = await makeVecEnv('CartPole-v1', { nEnvs: N_ENVS, normalize: NORM });
  const vn = env as VecNormalize;
  const model = new TRPO('MlpPolicy', env, { ...O, rollouts: { redis: redis.url, queue: 'norm', segments, timeoutMs: 30_000 } });
  await model.learn({ totalTimesteps: N_ENVS * O.nSteps * updates });
  const buf = (model as unknown as { buffer: RolloutBuffer }).buffer;
  return { model, vn, buf };
}

describe('VecNormalize with distributed rollouts', () => {
  it('normalizes with the statistics of the update start and merges the segments\' statistics afterwards', async () => {
    const { vn, buf, model } = await trainNormalized(3, 1);
    expect(model.numUpdates).toBe(1);

    // Replay the rollout's actions in a local env from the same start.
    const replay = await makeVecEnv('CartPole-v1', { nEnvs: N_ENVS, normalize: NORM });
    const rvn = replay as VecNormalize;
    await rvn.reset({ seed: SEED }); // the trainer's first reset: statistics S0
    const frozen = new VecNormalize(rvn.venv, { ...NORM, training: false });
    frozen.setState(rvn.getState());
    const obsRef = new RunningMeanStd(4);
    obsRef.setState(rvn.obsRms.getState());
    const retRef = new RunningMeanStd(1);
    retRef.setState(rvn.retRms.getState());
    const R = new Float64Array(N_ENVS);
    const sync = rvn.venv as SyncVectorEnv;
    let obs = frozen.normalizeObs(rvn.originalObservations()!);
    for (let t = 0; t < O.nSteps; t++) {
      const rows = buf.obs.subarray(t * N_ENVS * 4, (t + 1) * N_ENVS * 4);
      expect(Array.from(rows)).toEqual(Array.from(buf.obs instanceof Float32Array ? Float32Array.from(obs) : obs)); // normalized with S0
      const actions = Float64Array.from(buf.actionsI!.subarray(t * N_ENVS, (t + 1) * N_ENVS));
      const r = sync.stepSync(actions);
      expect(Array.from(buf.rewards.subarray(t * N_ENVS, (t + 1) * N_ENVS))).toEqual(Array.from(frozen.normalizeReward(r.rewards))); // scaled with S0
      obsRef.update(r.observations, N_ENVS);
      for (let e = 0; e < N_ENVS; e++) R[e] = R[e] * 0.99 + r.rewards[e];
      retRef.update(R, N_ENVS);
      for (let e = 0; e < N_ENVS; e++) if (r.terminated[e] || r.truncated[e]) R[e] = 0;
      obs = frozen.normalizeObs(r.observations);
    }
    // After the rollout: the statistics of every raw observation and return (merged by segment, in slot order).
    const got = vn.getState();
    const obsState = got.obsRms as { mean: number[]; var: number[]; count: number };
    expect(obsState.count).toBe(obsRef.count);
    for (let j = 0; j < 4; j++) {
      expect(obsState.mean[j]).toBeCloseTo(obsRef.mean[j], 12);
      expect(obsState.var[j] / obsRef.var[j]).toBeCloseTo(1, 12);
    }
    expect(got.retRms.count).toBe(retRef.count);
    expect(got.retRms.var[0] / retRef.var[0]).toBeCloseTo(1, 12);
    expect(got.returns).toEqual(Array.from(R));
    // The slots continue from the replay's states.
    expect((vn.venv as SyncVectorEnv).envs.map((e) => e.getState!())).toEqual(sync.envs.map((e) => e.getState!()));
    await replay.close();
  });

  it('the first update does not depend on the number of segments, and a run is reproducible', async () => {
    const one = await trainNormalized(1, 1);
    const four = await trainNormalized(4, 1);
    expect(four.model.policy.getParameters()).toEqual(one.model.policy.getParameters());
    const a = await trainNormalized(2, 3);
    const b = await trainNormalized(2, 3);
    expect(b.model.policy.getParameters()).toEqual(a.model.policy.getParameters());
    expect(b.vn.getState()).toEqual(a.vn.getState());
  });
});

describe('rollout jobs are complete', () => {
  it('a job run twice (here, in this process) gives the same bytes, and the queued job is then run by a late worker', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 3, normalize: NORM });
    const model = new TRPO('MlpPolicy', env, { ...O, rollouts: { redis: redis.url, queue: 'twice', segments: 2, timeoutMs: 30_000 } });
    const learning = model.learn({ totalTimesteps: 3 * O.nSteps });
    const q = new Queue('twice', { connection: { host: '127.0.0.1', port: redis.port } });
    let late: RolloutWorker | null = null;
    try {
      let jobs: Awaited<ReturnType<Queue['getWaiting']>> = [];
      for (let i = 0; i < 200 && jobs.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 25));
        jobs = await q.getWaiting();
      }
      expect(jobs).toHaveLength(2);
      for (const job of jobs) {
        const f = decodeFrame((job.data as { frame: string }).frame, 'job');
        const run = async () => {
          const out = await runSegment(f.meta as RolloutJobMeta, f.arrays, 'test');
          return encodeFrame({ ...out.meta, seconds: 0 }, out.arrays);
        };
        const [a, b] = [await run(), await run()];
        expect(a.length).toBeGreaterThan(1000);
        expect(b).toBe(a);
      }
      late = await startRolloutWorker({ redis: redis.url, queue: 'twice' });
      await learning;
      expect(model.numUpdates).toBe(1);
    } finally {
      await late?.close();
      await q.close();
      await env.close();
    }
  });
});

describe('a worker with concurrency 2', () => {
  it('runs the segments of an update side by side with the local result', async () => {
    const w = await startRolloutWorker({ redis: redis.url, queue: 'conc', concurrency: 2 });
    try {
      const run = async (rollouts?: { redis: string; [k: string]: unknown }) => {
        const env = await makeVecEnv('CartPole-v1', { nEnvs: 4 });
        const model = new TRPO('MlpPolicy', env, { ...O, rollouts });
        await model.learn({ totalTimesteps: 4 * O.nSteps * 2 });
        await env.close();
        return model.policy.getParameters();
      };
      expect(await run({ redis: redis.url, queue: 'conc', segments: 4, timeoutMs: 30_000 })).toEqual(await run());
      expect(w.completed).toBe(8);
    } finally {
      await w.close();
    }
  });
});

describe('distributed helpers', () => {
  it('frames carry typed arrays bit for bit and reject anything else', () => {
    const rng = new Random(1);
    const f64 = Float64Array.from({ length: 37 }, () => rng.normal());
    f64[0] = -0;
    f64[1] = Number.NaN;
    f64[2] = 5e-324;
    const arrays = { f64, f32: Float32Array.of(1.5, -2.25, Math.fround(0.1)), i32: Int32Array.of(-1, 2 ** 31 - 1), u8: Uint8Array.of(0, 1, 255), empty: new Float64Array(0) };
    const back = decodeFrame(encodeFrame({ a: [1, 'x'] }, arrays), 'test');
    expect(back.meta).toEqual({ a: [1, 'x'] });
    for (const [k, a] of Object.entries(arrays)) {
      expect(back.arrays[k].constructor).toBe(a.constructor);
      expect(Buffer.from(back.arrays[k].buffer)).toEqual(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    expect(() => decodeFrame('aGVsbG8gd29ybGQ=', 'the result of segment 1')).toThrow(/the result of segment 1: not a trpo-node rollout frame/);
    const good = encodeFrame({}, { f64 });
    expect(() => decodeFrame(good.slice(0, good.length / 2), 'job 7')).toThrow(/job 7: truncated frame/);
    expect(() => decodeFrame(42, 'job 7')).toThrow(TypeError);
  });

  it('splits slots into contiguous segments differing by at most one', () => {
    expect(splitSlots(5, 3)).toEqual([[0, 2], [2, 2], [4, 1]]);
    expect(splitSlots(2, 4)).toEqual([[0, 1], [1, 1]]);
    expect(splitSlots(8, 1)).toEqual([[0, 8]]);
  });

  it('merging moments equals one update with the concatenated batch', () => {
    const rng = new Random(2);
    const a = Float64Array.from({ length: 30 }, () => rng.normal() * 3 + 1);
    const b = Float64Array.from({ length: 18 }, () => rng.normal() - 2);
    const whole = new RunningMeanStd(3);
    whole.update(Float64Array.from([...a, ...b]), 16);
    const merged = new RunningMeanStd(3);
    const sa = new RunningMeanStd(3, 0);
    sa.update(a, 10);
    const sb = new RunningMeanStd(3, 0);
    sb.update(b, 6);
    mergeMoments(merged, sa.getState());
    mergeMoments(merged, sb.getState());
    expect(merged.count).toBeCloseTo(whole.count, 12);
    for (let j = 0; j < 3; j++) {
      expect(merged.mean[j]).toBeCloseTo(whole.mean[j], 12);
      expect(merged.var[j]).toBeCloseTo(whole.var[j], 12);
    }
  });
});
