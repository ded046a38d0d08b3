/**
 * Worker-thread vector envs with MuJoCo envs: each worker loads its own WASM instance, and the
 * results equal the synchronous vector env's bit for bit (resets, autoresets, rewards, infos), also
 * after the running episodes move between the two kinds (exact resume).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncVectorEnv, WorkerVectorEnv, makeVecEnv, type Box, type VecEnv } from '../../src/index.js';
import { formulaAction } from './mujoco-actions.js';
import { MUJOCO_CASES } from './mujoco-helpers.js';

const open: VecEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

function batch(venv: VecEnv, t: number): Float64Array {
  const space = venv.actionSpace as Box;
  const out = new Float64Array(venv.numEnvs * venv.actDim);
  for (let i = 0; i < venv.numEnvs; i++) out.set(formulaAction(t + 13 * i, space.low, space.high), i * venv.actDim);
  return out;
}

describe('WorkerVectorEnv with MuJoCo envs', () => {
  // Two envs of different kinds keep the suite fast; the envs share one code path.
  const ids = ['Hopper-v5', 'Ant-v5'].filter((id) => MUJOCO_CASES.some((c) => c.id === id));

  it.each(ids)('%s: 3 envs in 2 workers equal the synchronous vector env (with a short time limit for autoresets)', async (id) => {
    const opts = { nEnvs: 3, seed: 5, maxEpisodeSteps: 40 };
    const sync = await makeVecEnv(id, opts);
    open.push(sync);
    const workers = await makeVecEnv(id, { ...opts, workers: 2 });
    open.push(workers);
    expect(Array.from(await workers.reset())).toEqual(Array.from(await sync.reset()));
    let ends = 0;
    for (let t = 0; t < 90; t++) {
      const a = batch(sync, t);
      const [x, y] = await Promise.all([sync.step(a), workers.step(a)]);
      expect(y).toEqual(x);
      ends += x.terminated.reduce((s, v) => s + v, 0) + x.truncated.reduce((s, v) => s + v, 0);
    }
    expect(ends).toBeGreaterThan(0);
  });

  it('Hopper-v5: episodes saved from 2 workers mid-way continue in a sync vector env and in 3 fresh workers, step for step', async () => {
    const opts = { nEnvs: 3, seed: 2, maxEpisodeSteps: 60 };
    const w = await makeVecEnv('Hopper-v5', { ...opts, workers: 2 }) as WorkerVectorEnv;
    open.push(w);
    await w.reset();
    for (let t = 0; t < 37; t++) await w.step(batch(w, t));
    const saved = await w.getRunningEpisodes();
    expect(saved).not.toBeNull();
    expect(saved!.lengths.some((l) => l > 0)).toBe(true);
    const s = await makeVecEnv('Hopper-v5', opts) as SyncVectorEnv;
    open.push(s);
    const w3 = await makeVecEnv('Hopper-v5', { ...opts, workers: 3 }) as WorkerVectorEnv;
    open.push(w3);
    s.setRunningEpisodes(saved!);
    await w3.setRunningEpisodes(saved!);
    for (let t = 37; t < 37 + 60; t++) {
      const a = batch(w, t);
      const [x, y, z] = await Promise.all([w.step(a), s.step(a), w3.step(a)]);
      expect(y).toEqual(x);
      expect(z).toEqual(x);
    }
  });
});
