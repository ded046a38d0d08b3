// Exact resume through the RunningEpisodesSource interface: a custom VecEnv (not a SyncVectorEnv or
// WorkerVectorEnv) that implements getRunningEpisodes/setRunningEpisodes has its episodes saved with
// the model and continued after load, bit for bit; a malformed answer is a TypeError at save time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncVectorEnv, TRPO, make, type TRPOUpdateInfo, type VecEnv, type VecRunningEpisodes } from '../src/index.js';
import { withoutTimes } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-custom-vecenv-'));

/** A user's vector env: delegates to a SyncVectorEnv it hides, exposes only the VecEnv API and the episode state. */
class MyVecEnv implements VecEnv {
  private readonly inner = new SyncVectorEnv([() => make('CartPole-v1'), () => make('CartPole-v1')]);
  readonly numEnvs = this.inner.numEnvs;
  readonly observationSpace = this.inner.observationSpace;
  readonly actionSpace = this.inner.actionSpace;
  readonly obsDim = this.inner.obsDim;
  readonly actDim = this.inner.actDim;
  constructor(private readonly broken = false) {}
  reset(args = {}) { return this.inner.reset(args); }
  step(actions: Float64Array) { return this.inner.step(actions); }
  close() { return this.inner.close(); }
  async getRunningEpisodes(): Promise<VecRunningEpisodes | null> {
    const s = this.inner.getRunningEpisodes();
    return this.broken && s ? { ...s, envs: s.envs.slice(1) } : s;
  }
  async setRunningEpisodes(state: VecRunningEpisodes): Promise<void> {
    this.inner.setRunningEpisodes(state);
  }
}

const options = { nSteps: 64, batchSize: 32, nCriticUpdates: 3, seed: 9 };
async function train(model: TRPO, updates: number, resetNumTimesteps = true): Promise<TRPOUpdateInfo[]> {
  const infos: TRPOUpdateInfo[] = [];
  await model.learn({ totalTimesteps: updates * 128, resetNumTimesteps, callback: (i) => void infos.push(i) });
  return infos;
}

describe('a custom VecEnv with getRunningEpisodes/setRunningEpisodes', () => {
  it('is saved with the model and resumed exactly: 2 updates, save, load, 2 more == 4 straight', async () => {
    const straight = new TRPO('MlpPolicy', new MyVecEnv(), options);
    const all = await train(straight, 4);
    const first = new TRPO('MlpPolicy', new MyVecEnv(), options);
    const a = await train(first, 2);
    const path = join(dir, 'custom.json');
    await first.save(path);
    const loaded = await TRPO.load(path, { env: new MyVecEnv() });
    const b = await train(loaded, 2, false);
    expect([...a, ...b].map(withoutTimes)).toEqual(all.map(withoutTimes));
    expect(loaded.policy.getParameters()).toEqual(straight.policy.getParameters());
    // without the interface the episodes would restart: the second half would differ
    expect(b.some((i) => i.episodes > 0)).toBe(true);
  });

  it('a malformed getRunningEpisodes() answer is a TypeError naming it when the model is saved', async () => {
    const model = new TRPO('MlpPolicy', new MyVecEnv(true), options);
    await train(model, 1);
    await expect(model.save(join(dir, 'broken.json'))).rejects.toThrow(/env\.getRunningEpisodes\(\): expected \{ envs, returns, lengths \} arrays of numEnvs = 2 entries/);
  });
});
