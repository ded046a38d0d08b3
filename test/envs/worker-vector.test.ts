import { afterEach, describe, expect, it } from 'vitest';
import { SyncVectorEnv, WorkerVectorEnv, makeVecEnv, type Discrete, type VecEnv } from '../../src/envs/index.js';
import { fixturePath } from './helpers.js';
import { makeRandomWalk } from '../fixtures/user-envs.js';

const USER_ENVS = fixturePath('user-envs.ts');
const open: VecEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});
async function track<T extends VecEnv>(p: Promise<T>): Promise<T> {
  const v = await p;
  open.push(v);
  return v;
}

function actionBatch(t: number, n: number, venv: VecEnv): Float64Array {
  const out = new Float64Array(n * venv.actDim);
  for (let i = 0; i < out.length; i++) {
    const k = (t * 7919 + i * 104729) % 1000;
    out[i] = venv.actionSpace.kind === 'discrete' ? k % (venv.actionSpace as Discrete).n : -2 + (4 * k) / 999;
  }
  return out;
}

async function expectSameTrajectories(a: VecEnv, b: VecEnv, steps: number, seed: number): Promise<number> {
  expect(await a.reset({ seed })).toEqual(await b.reset({ seed }));
  let ended = 0;
  for (let t = 0; t < steps; t++) {
    const act = actionBatch(t, a.numEnvs, a);
    const [x, y] = await Promise.all([a.step(act), b.step(act)]);
    expect(x).toEqual(y);
    ended += x.terminated.reduce((s, v) => s + v, 0) + x.truncated.reduce((s, v) => s + v, 0);
  }
  return ended;
}

describe('WorkerVectorEnv', () => {
  it('equals SyncVectorEnv step for step (Discrete, uneven split, autoresets)', async () => {
    const w = await track(makeVecEnv('CartPole-v1', { nEnvs: 5, workers: 2, maxEpisodeSteps: 30, seed: 1 }));
    const s = await track(makeVecEnv('CartPole-v1', { nEnvs: 5, maxEpisodeSteps: 30, seed: 1 }));
    expect(w).toBeInstanceOf(WorkerVectorEnv);
    expect((w as WorkerVectorEnv).numWorkers).toBe(2);
    expect(String(w.observationSpace)).toBe(String(s.observationSpace));
    expect(String(w.actionSpace)).toBe('Discrete(2)');
    expect(await w.reset()).toEqual(await s.reset());
    expect(await expectSameTrajectories(w, s, 120, 77)).toBeGreaterThan(5);
  });

  it('equals SyncVectorEnv under VecNormalize with Box actions', async () => {
    const w = await track(makeVecEnv('Pendulum-v1', { nEnvs: 3, workers: 3, normalize: { normReward: true }, maxEpisodeSteps: 40 }));
    const s = await track(makeVecEnv('Pendulum-v1', { nEnvs: 3, normalize: { normReward: true }, maxEpisodeSteps: 40 }));
    expect(await expectSameTrajectories(w, s, 90, 5)).toBeGreaterThan(0);
  });

  it('runs user envs named by module path and export, like the sync vector env', async () => {
    const src = { modulePath: USER_ENVS, exportName: 'RandomWalkEnv' };
    const opts = { nEnvs: 4, envOptions: { bound: 3 }, maxEpisodeSteps: 12 };
    const w = await track(makeVecEnv(src, { ...opts, workers: 2 }));
    const s = await track(makeVecEnv(src, opts));
    const f = await track(makeVecEnv(makeRandomWalk, opts));
    expect(await expectSameTrajectories(w, s, 60, 3)).toBeGreaterThan(4);
    await f.reset({ seed: 3 });
    await s.reset({ seed: 3 });
    expect(await f.step(actionBatch(0, 4, f))).toEqual(await s.step(actionBatch(0, 4, s)));
  });

  it('rejects (does not hang) when an env throws, keeping the error class and message', async () => {
    const w = await track(makeVecEnv({ modulePath: USER_ENVS, exportName: 'ThrowingEnv' }, { nEnvs: 2, workers: 2, envOptions: { bound: 100 } }));
    await w.reset({ seed: 0 });
    await w.step(Float64Array.of(1, 1));
    await w.step(Float64Array.of(1, 1));
    await expect(w.step(Float64Array.of(1, 1))).rejects.toThrow(/^env 0: Throwing-v0 step 2: simulator diverged \(in WorkerVectorEnv worker 0 \(envs 0\.\.0\)\)$/);
    const c = await track(makeVecEnv('CartPole-v1', { nEnvs: 2, workers: 2 }));
    await c.reset({ seed: 0 });
    const err = await c.step(Float64Array.of(0, 2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe('env 1: CartPole-v1 step 0: action 2 is outside Discrete(2) (in WorkerVectorEnv worker 1 (envs 1..1))');
    await expect(c.step(Float64Array.of(0))).rejects.toThrow(TypeError);
  });

  it('rejects when a worker exits, and keeps rejecting', async () => {
    const w = await track(makeVecEnv({ modulePath: USER_ENVS, exportName: 'ExitingEnv' }, { nEnvs: 3, workers: 2, envOptions: { bound: 100 } }));
    await w.reset({ seed: 0 });
    await w.step(Float64Array.of(0, 0, 0));
    await expect(w.step(Float64Array.of(0, 0, 0))).rejects.toThrow(/WorkerVectorEnv worker \d \(envs \d\.\.\d\) exited unexpectedly with code 3/);
    await expect(w.step(Float64Array.of(0, 0, 0))).rejects.toThrow(/exited unexpectedly/);
  });

  it('rejects when a worker crashes with an uncaught exception', async () => {
    const w = await track(makeVecEnv({ modulePath: USER_ENVS, exportName: 'AsyncCrashEnv' }, { nEnvs: 2, workers: 1, envOptions: { bound: 100 } }));
    await w.reset({ seed: 0 });
    await w.step(Float64Array.of(0, 0));
    // Step index 1 posts its result and then the worker dies. Node does not order the worker's
    // 'error' event against its messages, so on a loaded machine that step may already see the
    // crash; either way it settles (no hang), and every later call rejects with the crash.
    const crash = /^WorkerVectorEnv worker 0 \(envs 0\.\.1\) crashed: async boom$/;
    const stepOne = await w.step(Float64Array.of(0, 0)).then(() => null, (e: unknown) => e as Error);
    if (stepOne !== null) expect(stepOne.message).toMatch(crash);
    await expect(w.step(Float64Array.of(0, 0))).rejects.toThrow(crash);
    await expect(w.step(Float64Array.of(0, 0))).rejects.toThrow(crash);
  });

  it('rejects creation for unknown ids, missing exports and factories', async () => {
    await expect(makeVecEnv('Nope-v0', { nEnvs: 2, workers: 2 })).rejects.toThrow(/unknown env id "Nope-v0"/);
    await expect(makeVecEnv({ modulePath: USER_ENVS, exportName: 'Nope' }, { nEnvs: 1, workers: 1 })).rejects.toThrow(
      /could not create its envs: env module .*user-envs.ts has no exported env class or factory named "Nope"/,
    );
    await expect(makeVecEnv(makeRandomWalk, { workers: 2 })).rejects.toThrow(/factory function cannot be sent to a worker thread/);
  });
});

describe('WorkerVectorEnv running episodes (exact resume)', () => {
  it('saves the episodes mid-way; a fresh worker or sync vector env restored from them continues step for step', async () => {
    const opts = { nEnvs: 5, maxEpisodeSteps: 40 };
    const w = await track(makeVecEnv('Pendulum-v1', { ...opts, workers: 2 })) as WorkerVectorEnv;
    const s = await track(makeVecEnv('Pendulum-v1', opts)) as SyncVectorEnv;
    expect(await expectSameTrajectories(w, s, 57, 3)).toBeGreaterThan(0);
    const saved = await w.getRunningEpisodes();
    expect(saved).toEqual(s.getRunningEpisodes());
    expect(saved!.lengths.every((l) => l > 0)).toBe(true);

    const w2 = await track(makeVecEnv('Pendulum-v1', { ...opts, workers: 3 })) as WorkerVectorEnv;
    const s2 = await track(makeVecEnv('Pendulum-v1', opts)) as SyncVectorEnv;
    await w2.setRunningEpisodes(saved!);
    s2.setRunningEpisodes(saved!);
    for (let t = 57; t < 57 + 50; t++) {
      const act = actionBatch(t, 5, w);
      const [a, b, c] = await Promise.all([w.step(act), w2.step(act), s2.step(act)]);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    }
  });

  it('gives null for envs without getState, and rejects a state of another size or for envs without setState', async () => {
    const src = { modulePath: USER_ENVS, exportName: 'StatelessEnv' };
    const w = await track(makeVecEnv(src, { nEnvs: 2, workers: 2 })) as WorkerVectorEnv;
    await w.reset({ seed: 1 });
    expect(await w.getRunningEpisodes()).toBeNull();
    const walk = await track(makeVecEnv({ modulePath: USER_ENVS, exportName: 'RandomWalkEnv' }, { nEnvs: 2, workers: 2 })) as WorkerVectorEnv;
    await walk.reset({ seed: 1 });
    const saved = (await walk.getRunningEpisodes())!;
    await expect(w.setRunningEpisodes(saved)).rejects.toThrow(TypeError);
    await expect(w.setRunningEpisodes(saved)).rejects.toThrow(/setState\(\) is not available|has no setState\(\)/);
    await expect(walk.setRunningEpisodes({ ...saved, envs: saved.envs.slice(1) })).rejects.toThrow(/expected \{ envs, returns, lengths \} for 2 envs/);
    await expect(walk.setRunningEpisodes({ ...saved, returns: [0, Number.NaN] })).rejects.toThrow(/finite numbers/);
  });

  it('SyncVectorEnv.setRunningEpisodes checks the whole state before it touches any env', async () => {
    const s = await track(makeVecEnv('CartPole-v1', { nEnvs: 2 })) as SyncVectorEnv;
    await s.reset({ seed: 1 });
    for (let t = 0; t < 5; t++) await s.step(actionBatch(t, 2, s));
    const before = s.getRunningEpisodes()!;
    expect(() => s.setRunningEpisodes({ ...before, lengths: [3, -1] })).toThrow(/SyncVectorEnv.setRunningEpisodes: .*non-negative integers/);
    expect(s.getRunningEpisodes()).toEqual(before);
  });
});
