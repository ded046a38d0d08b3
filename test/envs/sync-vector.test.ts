import { describe, expect, it } from 'vitest';
import { SyncVectorEnv, make, makeVecEnv, type ActionSpace } from '../../src/envs/index.js';
import { NaNEnv, RandomWalkEnv, makeRandomWalk } from '../fixtures/user-envs.js';

/** Deterministic pseudo-random action batches. */
function actionBatch(t: number, n: number, space: ActionSpace): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = (t * 7919 + i * 104729) % 1000;
    out[i] = space.kind === 'discrete' ? k % (space as { n: number }).n : -2 + (4 * k) / 999;
  }
  return out;
}

describe('SyncVectorEnv', () => {
  it('reset({ seed }) seeds env i with seed + i; makeVecEnv seed applies to the first reset', async () => {
    const venv = await makeVecEnv('CartPole-v1', { nEnvs: 3, seed: 10 });
    expect(venv.obsDim).toBe(4);
    expect(venv.actDim).toBe(1);
    const first = await venv.reset();
    const again = await venv.reset({ seed: 10 });
    expect(again).toEqual(first);
    for (let i = 0; i < 3; i++) {
      expect(Array.from(first.subarray(i * 4, i * 4 + 4))).toEqual(Array.from(make('CartPole-v1').reset({ seed: 10 + i }).observation));
    }
    const next = await venv.reset();
    expect(next).not.toEqual(first);
  });

  it('autoresets like independent envs, keeping final observations and episode stats', async () => {
    for (const id of ['CartPole-v1', 'Pendulum-v1']) {
      const n = 3;
      const venv = (await makeVecEnv(id, { nEnvs: n, maxEpisodeSteps: 25 })) as SyncVectorEnv;
      const singles = Array.from({ length: n }, () => make(id, { maxEpisodeSteps: 25 }));
      const obs = venv.resetSync({ seed: 100 });
      const dim = venv.obsDim;
      singles.forEach((e, i) => expect(Array.from(obs.subarray(i * dim, (i + 1) * dim))).toEqual(Array.from(e.reset({ seed: 100 + i }).observation)));
      const ret = new Float64Array(n);
      const len = new Float64Array(n);
      let nTerminated = 0;
      let nTruncated = 0;
      for (let t = 0; t < 150; t++) {
        const actions = actionBatch(t, n, venv.actionSpace);
        const r = venv.stepSync(actions);
        for (let i = 0; i < n; i++) {
          const s = singles[i].step(venv.actionSpace.kind === 'discrete' ? actions[i] : Float64Array.of(actions[i]));
          ret[i] += s.reward;
          len[i] += 1;
          expect(r.rewards[i]).toBe(s.reward);
          expect(r.terminated[i]).toBe(s.terminated ? 1 : 0);
          expect(r.truncated[i]).toBe(s.truncated ? 1 : 0);
          const row = Array.from(r.observations.subarray(i * dim, (i + 1) * dim));
          if (s.terminated || s.truncated) {
            nTerminated += s.terminated ? 1 : 0;
            nTruncated += s.truncated ? 1 : 0;
            expect(r.infos[i].finalObservation).toEqual(Float64Array.from(s.observation));
            expect(r.infos[i].episode).toEqual({ r: ret[i], l: len[i] });
            expect(row).toEqual(Array.from(singles[i].reset().observation));
            ret[i] = 0;
            len[i] = 0;
          } else {
            expect(r.infos[i].finalObservation).toBeUndefined();
            expect(r.infos[i].episode).toBeUndefined();
            expect(row).toEqual(Array.from(s.observation));
          }
        }
      }
      expect(nTruncated).toBeGreaterThan(0);
      if (id === 'CartPole-v1') expect(nTerminated).toBeGreaterThan(0);
      await venv.close();
    }
  });

  it('async methods equal the synchronous ones', async () => {
    const a = (await makeVecEnv('MountainCarContinuous-v0', { nEnvs: 2, maxEpisodeSteps: 10 })) as SyncVectorEnv;
    const b = (await makeVecEnv('MountainCarContinuous-v0', { nEnvs: 2, maxEpisodeSteps: 10 })) as SyncVectorEnv;
    expect(await a.reset({ seed: 1 })).toEqual(b.resetSync({ seed: 1 }));
    for (let t = 0; t < 25; t++) {
      const act = actionBatch(t, 2, a.actionSpace);
      expect(await a.step(act)).toEqual(b.stepSync(act));
    }
  });

  it('user factories and classes work; raw envs get an EnvGuard', async () => {
    const venv = (await makeVecEnv(makeRandomWalk, { nEnvs: 2, envOptions: { bound: 3 }, maxEpisodeSteps: 10, seed: 4 })) as SyncVectorEnv;
    await venv.reset();
    let episodes = 0;
    for (let t = 0; t < 50; t++) {
      const r = venv.stepSync(actionBatch(t, 2, venv.actionSpace));
      for (const info of r.infos) if (info.episode) episodes++;
    }
    expect(episodes).toBeGreaterThan(2);
    const raw = new SyncVectorEnv([new NaNEnv({ bound: 100 }), () => new NaNEnv({ bound: 100 })]);
    raw.resetSync({ seed: 0 });
    for (let t = 0; t < 3; t++) raw.stepSync(Float64Array.of(1, 1));
    expect(() => raw.stepSync(Float64Array.of(1, 1))).toThrow(/^env 0: NaN-v0 step 3: the env returned a non-finite observation/);
  });

  it('reports malformed batches and bad actions naming the env index', async () => {
    const venv = (await makeVecEnv('CartPole-v1', { nEnvs: 3 })) as SyncVectorEnv;
    expect(() => venv.stepSync(Float64Array.of(0, 0, 0))).toThrow(/call reset\(\) before step\(\)/);
    venv.resetSync({ seed: 0 });
    expect(() => venv.stepSync(Float64Array.of(0, 1))).toThrow(new TypeError('SyncVectorEnv.step: actions has length 2, expected numEnvs × actDim = 3 × 1 = 3'));
    expect(() => venv.stepSync(Float64Array.of(0, 5, 1))).toThrow(RangeError);
    const v2 = (await makeVecEnv('CartPole-v1', { nEnvs: 3 })) as SyncVectorEnv;
    v2.resetSync({ seed: 0 });
    expect(() => v2.stepSync(Float64Array.of(0, 5, 1))).toThrow(/^env 1: CartPole-v1 step 0: action 5 is outside Discrete\(2\)$/);
    const p = (await makeVecEnv('Pendulum-v1', { nEnvs: 2 })) as SyncVectorEnv;
    p.resetSync({ seed: 0 });
    expect(() => p.stepSync(Float64Array.of(0, Number.NaN))).toThrow(/^env 1: Pendulum-v1 step 0: action\[0\] is NaN/);
    expect(() => new SyncVectorEnv([make('CartPole-v1'), make('Acrobot-v1')])).toThrow(/env 1 has spaces/);
    await venv.close();
    await expect(venv.step(Float64Array.of(0, 0, 0))).rejects.toThrow(/closed/);
  });

  it('getEpisodeState/setEpisodeState: a fresh env restored mid-episode continues exactly', async () => {
    const make = async (): Promise<SyncVectorEnv> => (await makeVecEnv('CartPole-v1', { nEnvs: 3, maxEpisodeSteps: 30 })) as SyncVectorEnv;
    const a = await make();
    a.resetSync({ seed: 5 });
    for (let t = 0; t < 17; t++) a.stepSync(actionBatch(t, 3, a.actionSpace));
    const episode = a.getEpisodeState();
    expect(episode.lengths.every((l) => l > 0)).toBe(true);
    expect(episode.returns).toEqual(episode.lengths); // CartPole pays 1 per step
    // Plain data: a JSON round trip keeps it, and changing it does not change the env.
    const saved = JSON.parse(JSON.stringify({ envs: a.envs.map((e) => e.getState!()), episode }));
    episode.returns[0] = 1e6;
    expect(a.getEpisodeState().returns[0]).not.toBe(1e6);

    const restore = async (withEpisodes: boolean): Promise<SyncVectorEnv> => {
      const b = await make();
      b.resetSync();
      b.envs.forEach((e, i) => e.setState!(saved.envs[i]));
      if (withEpisodes) b.setEpisodeState(saved.episode);
      return b;
    };
    const b = await restore(true);
    expect(b.getEpisodeState()).toEqual(saved.episode);
    const c = await restore(false);
    let episodes = 0;
    let differs = false;
    for (let t = 17; t < 80; t++) {
      const act = actionBatch(t, 3, a.actionSpace);
      const ra = a.stepSync(act);
      const rb = b.stepSync(act);
      const rc = c.stepSync(act);
      expect(rb).toEqual(ra);
      expect(rc.observations).toEqual(ra.observations);
      episodes += ra.infos.filter((i) => i.episode).length;
      differs ||= ra.infos.some((info, i) => info.episode !== undefined && info.episode.l !== rc.infos[i].episode?.l);
    }
    expect(episodes).toBeGreaterThan(3);
    // Without the episode state the envs step the same, but the first episodes' statistics are wrong.
    expect(differs).toBe(true);
  });

  it('setEpisodeState validates its input; reset zeroes the running episodes', async () => {
    const venv = (await makeVecEnv('CartPole-v1', { nEnvs: 2 })) as SyncVectorEnv;
    venv.resetSync({ seed: 0 });
    venv.stepSync(Float64Array.of(0, 1));
    expect(venv.getEpisodeState()).toEqual({ returns: [1, 1], lengths: [1, 1] });
    for (const bad of [null, {}, { returns: [1], lengths: [1] }, { returns: [1, Number.NaN], lengths: [1, 1] }, { returns: [1, 1], lengths: [1, 0.5] }, { returns: [1, 1], lengths: [-1, 1] }]) {
      expect(() => venv.setEpisodeState(bad as never)).toThrow(/SyncVectorEnv\.setEpisodeState: expected \{ returns, lengths \} of 2/);
    }
    expect(venv.getEpisodeState()).toEqual({ returns: [1, 1], lengths: [1, 1] });
    venv.setEpisodeState({ returns: [2.5, -1], lengths: [7, 0] });
    expect(venv.getEpisodeState()).toEqual({ returns: [2.5, -1], lengths: [7, 0] });
    venv.resetSync();
    expect(venv.getEpisodeState()).toEqual({ returns: [0, 0], lengths: [0, 0] });
    venv.closeSync();
    expect(() => venv.setEpisodeState({ returns: [0, 0], lengths: [0, 0] })).toThrow(/closed/);
  });

  it('closes every env', async () => {
    const envs = [new RandomWalkEnv(), new RandomWalkEnv()];
    const venv = new SyncVectorEnv(envs);
    await venv.close();
    expect(envs.every((e) => e.closed)).toBe(true);
  });
});
