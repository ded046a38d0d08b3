import { describe, expect, it } from 'vitest';
import { Box, Discrete, checkEnv, listEnvs, make, prepareEnv, type AnyEnv } from '../../src/envs/index.js';
import { NaNEnv, RandomWalkEnv, SloppyEnv, UnseededEnv } from '../fixtures/user-envs.js';

describe('checkEnv', () => {
  it('passes every built-in (raw and made) and a correct user env', async () => {
    for (const id of listEnvs().filter((id) => !id.includes('RandomWalk') && !id.startsWith('NaN'))) {
      await prepareEnv(id); // loads the MuJoCo engine for the MuJoCo envs
      const env = make(id);
      expect(checkEnv(env, { steps: 300 }).errors, id).toEqual([]);
      expect(checkEnv((env as unknown as { unwrapped: AnyEnv }).unwrapped).errors, id).toEqual([]);
      env.close();
    }
    const report = checkEnv(new RandomWalkEnv());
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('reports wrong shapes and types in plain words', () => {
    const r = checkEnv(new SloppyEnv(), { throwOnError: false });
    expect(r.errors).toEqual(['step observation: Sloppy-v0 step 0: step observation has length 1, expected 2 (the observation space\'s size)']);
    expect(() => checkEnv(new SloppyEnv())).toThrow(/checkEnv\(Sloppy-v0\) found 1 problem\(s\):\n- step observation: .*has length 1, expected 2/);
  });

  it('reports non-finite output, unseeded resets and missing setState', () => {
    expect(checkEnv(new NaNEnv({ bound: 100 }), { throwOnError: false }).errors.join('\n')).toMatch(/observation\[0\] is NaN/);
    expect(checkEnv(new UnseededEnv(), { throwOnError: false }).errors.join('\n')).toMatch(/reset\(\{ seed: 0 \}\) twice: gave .* after .*; reset must reseed the env's generator/);
    const half = new RandomWalkEnv() as unknown as Record<string, unknown>;
    half.setState = undefined;
    expect(checkEnv(half as unknown as AnyEnv, { throwOnError: false }).errors).toEqual(['the env has getState() but no setState(); implement both or neither']);
  });

  it('reports spaces of the wrong kind and missing methods', () => {
    const bad = {
      id: 'Bad-v0',
      observationSpace: { n: 3 }, // not a space (a Discrete observation space is valid)
      actionSpace: new Box(-1, 1, [1]),
      reset: () => ({ observation: Float64Array.of(0), info: {} }),
      step: () => ({ observation: Float64Array.of(0), reward: 0, terminated: false, truncated: false, info: {} }),
    };
    const r = checkEnv(bad as unknown as AnyEnv, { throwOnError: false });
    expect(r.errors).toEqual(['the env has no close() method', 'observationSpace must be a Box (e.g. new Box(-Infinity, Infinity, [n])), Discrete, MultiDiscrete, MultiBinary or a Dict of them, got { n: 3 }']);
  });

  it('warns about reused observation arrays, out-of-space observations and unreplayable envs', () => {
    class Reuse extends RandomWalkEnv {
      private buf = new Float64Array(2);
      override readonly observationSpace = new Box(-1, 1, [2]);
      protected override obs(): Float64Array {
        this.buf[0] = this.x;
        this.buf[1] = this.t;
        return this.buf;
      }
    }
    const env = new Reuse({ bound: 100 });
    (env as unknown as Record<string, unknown>).getState = undefined;
    (env as unknown as Record<string, unknown>).setState = undefined;
    const r = checkEnv(env);
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/returned the same array object/);
    expect(r.warnings.join('\n')).toMatch(/is outside observationSpace Box\(-1, 1, \(2,\), float64\)/);
    expect(r.warnings.join('\n')).toMatch(/no getState\(\)\/setState\(\)/);
  });

  it('detects a setState that does not restore the state', () => {
    class Forgetful extends RandomWalkEnv {
      override setState(): void {}
    }
    expect(checkEnv(new Forgetful({ bound: 100 }), { throwOnError: false }).errors.join('\n')).toMatch(/after setState\(getState\(\)\) the same action gave observation/);
  });
});
