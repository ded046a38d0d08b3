import { afterEach, describe, expect, it } from 'vitest';
import { LunarLanderEnv, SyncVectorEnv, WorkerVectorEnv, checkEnv, make, makeVecEnv, type AnyEnv, type VecEnv } from '../../src/envs/index.js';
import { Random } from '../../src/random.js';

const IDS = ['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3', 'BipedalWalkerHardcore-v3'];

const open: VecEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

/** Deterministic actions for a vector env: discrete indices or values in [-1.3, 1.3] (some clipped). */
function actions(rng: Random, venv: VecEnv): Float64Array {
  const out = new Float64Array(venv.numEnvs * venv.actDim);
  for (let i = 0; i < out.length; i++) out[i] = venv.actionSpace.kind === 'discrete' ? rng.integer(4) : rng.uniformRange(-1.3, 1.3);
  return out;
}

describe('Box2D envs: API, resume, vector envs', () => {
  it('pass checkEnv (made and raw) over episode boundaries', () => {
    for (const id of IDS) {
      const env = make(id);
      expect(checkEnv(env, { steps: 400 })).toEqual({ errors: [], warnings: [] });
      expect(checkEnv((env as unknown as { unwrapped: AnyEnv }).unwrapped, { steps: 100 }).errors).toEqual([]);
    }
  });

  it('getState/setState resume exactly (through JSON, across resets, wrappers included)', () => {
    for (const id of IDS) {
      const env = make(id, { recordEpisodeStatistics: true });
      env.reset({ seed: 21 });
      env.actionSpace.seed(4);
      const acts = Array.from({ length: 700 }, () => env.actionSpace.sample());
      for (let t = 0; t < 150; t++) {
        const r = env.step(acts[t]);
        if (r.terminated || r.truncated) env.reset();
      }
      const saved = JSON.stringify(env.getState!());
      const run = (e: AnyEnv): number[] => {
        const out: number[] = [];
        for (let t = 150; t < 700; t++) {
          const r = e.step(acts[t]);
          out.push(r.reward, ...r.observation, r.terminated ? 1 : 0);
          if (r.terminated || r.truncated) out.push(...e.reset().observation);
        }
        return out;
      };
      const first = run(env);
      env.setState!(JSON.parse(saved));
      expect(run(env)).toEqual(first);
      // A fresh env restored from the saved state continues the same way.
      const other = make(id, { recordEpisodeStatistics: true });
      other.setState!(JSON.parse(saved));
      expect(run(other)).toEqual(first);
    }
  });

  it('rejects a state that does not replay', () => {
    const env = make('LunarLander-v3');
    env.reset({ seed: 0 });
    env.step(0);
    const raw = (env as unknown as { unwrapped: LunarLanderEnv }).unwrapped;
    const s = raw.getState();
    expect(() => raw.setState({ ...s, rng: [1, 2, 3, 4, 0] })).toThrow(/did not reproduce the saved generator state/);
    expect(() => raw.setState({ ...s, actions: [7] })).toThrow(/actions\[0\] is not in Discrete\(4\)/);
  });

  it('worker-thread vector envs equal synchronous ones step for step', async () => {
    for (const id of ['LunarLander-v3', 'BipedalWalker-v3']) {
      const w = await makeVecEnv(id, { nEnvs: 3, workers: 2, seed: 5, maxEpisodeSteps: 120 });
      open.push(w);
      const s = await makeVecEnv(id, { nEnvs: 3, seed: 5, maxEpisodeSteps: 120 });
      open.push(s);
      expect(await w.reset()).toEqual(await s.reset());
      const rng = new Random(9);
      let ended = 0;
      for (let t = 0; t < 300; t++) {
        const a = actions(rng, s);
        const [x, y] = await Promise.all([w.step(a), s.step(a)]);
        expect(x).toEqual(y);
        ended += x.terminated.reduce((p, v) => p + v, 0) + x.truncated.reduce((p, v) => p + v, 0);
      }
      expect(ended).toBeGreaterThan(3);
    }
  });

  it('running episodes saved from worker threads continue in a synchronous vector env, step for step', async () => {
    for (const id of ['LunarLanderContinuous-v3', 'BipedalWalker-v3']) {
      const w = await makeVecEnv(id, { nEnvs: 3, workers: 2, seed: 6, maxEpisodeSteps: 150 }) as WorkerVectorEnv;
      open.push(w);
      await w.reset();
      const rng = new Random(4);
      for (let t = 0; t < 70; t++) await w.step(actions(rng, w));
      const saved = await w.getRunningEpisodes();
      expect(saved!.lengths.some((l) => l > 0), id).toBe(true);
      const s = await makeVecEnv(id, { nEnvs: 3, seed: 99, maxEpisodeSteps: 150 }) as SyncVectorEnv;
      open.push(s);
      s.setRunningEpisodes(JSON.parse(JSON.stringify(saved)) as typeof saved & object);
      for (let t = 0; t < 120; t++) {
        const a = actions(rng, w);
        const [x, y] = await Promise.all([w.step(a), s.step(a)]);
        expect(y, `${id} step ${t}`).toEqual(x);
      }
    }
  });
});

describe('Box2D envs: close', () => {
  it('frees the world; step then asks for a reset, reset starts again', () => {
    const env = make('BipedalWalker-v3');
    const o = env.reset({ seed: 1 }).observation;
    env.step(new Float64Array(4));
    env.close();
    expect(() => env.step(new Float64Array(4))).toThrow(/call reset\(\)/);
    expect(env.reset({ seed: 1 }).observation).toEqual(o);
  });
});
