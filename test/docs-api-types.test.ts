/**
 * Type tests of the public API as the docs show it: what a user's editor accepts and refuses.
 * The `@ts-expect-error` lines are checked by `npm run typecheck` (tsc fails when a line compiles,
 * i.e. when the API stops refusing it); at run time the same mistakes throw errors naming the option.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CategoricalMlpPolicy, GaussianMlpPolicy, TRPO, ValueFunction, computeGae, makeVecEnv,
  type LearnOptions, type TRPOOptions, type TRPOUpdateInfo, type TrpoStepStats,
} from '../src/index.js';

describe('public API types', () => {
  it('TRPOOptions takes sb3-contrib names in camelCase with their types', () => {
    expectTypeOf<TRPOOptions['nSteps']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TRPOOptions['normalizeAdvantage']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<TRPOOptions['backend']>().toEqualTypeOf<'auto' | 'native' | 'js' | undefined>();
    const ok: TRPOOptions = { nSteps: 512, targetKl: 0.02, cgDamping: 0.1, policyKwargs: { netArch: { pi: [64], vf: [64] }, logStdInit: -0.5 } };
    expect(ok.nSteps).toBe(512);

    // @ts-expect-error snake_case names are not options
    const snake: TRPOOptions = { n_steps: 512 };
    // @ts-expect-error a number, not a string
    const wrongType: TRPOOptions = { targetKl: '0.01' };
    // @ts-expect-error no such option (Spinning Up's name)
    const foreign: TRPOOptions = { delta: 0.01 };
    // @ts-expect-error netArch is an array or { pi, vf }
    const badArch: TRPOOptions = { policyKwargs: { netArch: 64 } };
    expect([snake, wrongType, foreign, badArch]).toHaveLength(4);
  });

  it('learn, the callback and the low-level calls are typed', () => {
    expectTypeOf<LearnOptions['totalTimesteps']>().toEqualTypeOf<number>();
    expectTypeOf<TRPOUpdateInfo['kl']>().toEqualTypeOf<number>();
    expectTypeOf<TRPOUpdateInfo['accepted']>().toEqualTypeOf<boolean>();
    expectTypeOf<TrpoStepStats['stepFraction']>().toEqualTypeOf<number>();
    expectTypeOf(GaussianMlpPolicy.prototype.fisherVectorProduct).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf(CategoricalMlpPolicy.prototype.meanKl).returns.toEqualTypeOf<number>();
    expectTypeOf(computeGae).returns.toEqualTypeOf<{ advantages: Float64Array; returns: Float64Array }>();
    expectTypeOf(ValueFunction.prototype.fitAsync).returns.resolves.toHaveProperty('lossAfter');

    // @ts-expect-error totalTimesteps is required
    const noBudget: LearnOptions = {};
    // @ts-expect-error snake_case learn option
    const snakeLearn: LearnOptions = { totalTimesteps: 1, reset_num_timesteps: false };
    expect([noBudget, snakeLearn]).toHaveLength(2);
  });

  it('the mistakes the types refuse also throw at run time, naming the option', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 0 });
    expect(() => new TRPO('MlpPolicy', env, { n_steps: 512 } as never)).toThrow(/unknown option 'n_steps' \(did you mean 'nSteps'\?\)/);
    expect(() => new TRPO('MlpPolicy', env, { targetKl: '0.01' } as never)).toThrow(/targetKl/);
    expect(() => new TRPO('MlpPolicy', env, { delta: 0.01 } as never)).toThrow(/unknown option 'delta'/);
    expect(() => new TRPO('MlpPolicy', env, { policyKwargs: { netArch: 64 } } as never)).toThrow(/policyKwargs\.netArch/);
    expect(() => new TRPO('CnnPolicy' as never, env)).toThrow(/policy: expected 'MlpPolicy'/);
    await env.close();
  });
});
