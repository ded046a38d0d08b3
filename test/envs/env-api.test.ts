import { describe, expect, it } from 'vitest';
import {
  AcrobotEnv,
  BaseEnv,
  Box,
  CartPoleEnv,
  Discrete,
  MountainCarContinuousEnv,
  MountainCarEnv,
  PendulumEnv,
  PointMass1DEnv,
  RecordEpisodeStatistics,
  TimeLimit,
  Wrapper,
  getEnvSpec,
  listEnvs,
  make,
  register,
  type Env,
} from '../../src/envs/index.js';
import { NaNEnv, RandomWalkEnv, makeRandomWalk } from '../fixtures/user-envs.js';

const BUILTINS = ['Acrobot-v1', 'CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1', 'PointMass1D-v0'];

function base(env: Env): BaseEnv<number | Float64Array> {
  return (env as Wrapper).unwrapped as BaseEnv<number | Float64Array>;
}

/** A fixed valid action for any built-in. */
function fixedAction(env: Env, value = 0): number | Float64Array {
  return env.actionSpace.kind === 'discrete' ? value : Float64Array.of(value);
}

describe('registry and make', () => {
  it('lists the built-ins with Gymnasium time limits', () => {
    expect(listEnvs()).toEqual(expect.arrayContaining(BUILTINS));
    const limits = Object.fromEntries(BUILTINS.map((id) => [id, getEnvSpec(id)!.maxEpisodeSteps]));
    expect(limits).toEqual({
      'Acrobot-v1': 500,
      'CartPole-v1': 500,
      'MountainCar-v0': 200,
      'MountainCarContinuous-v0': 999,
      'Pendulum-v1': 200,
      'PointMass1D-v0': 150,
    });
  });

  it('builds each env with Gymnasium spaces', () => {
    const spaces = Object.fromEntries(BUILTINS.map((id) => {
      const e = make(id);
      return [id, [String(e.actionSpace), e.observationSpace.shape.join(',')]];
    }));
    expect(spaces).toEqual({
      'Acrobot-v1': ['Discrete(3)', '6'],
      'CartPole-v1': ['Discrete(2)', '4'],
      'MountainCar-v0': ['Discrete(3)', '2'],
      'MountainCarContinuous-v0': ['Box(-1, 1, (1,), float32)', '2'],
      'Pendulum-v1': ['Box(-2, 2, (1,), float32)', '3'],
      'PointMass1D-v0': ['Box(-1, 1, (1,), float64)', '2'],
    });
    expect(Array.from(make('CartPole-v1').observationSpace.high)).toEqual([4.8, Infinity, 0.41887903, Infinity].map(Math.fround));
    expect(Array.from(make('Acrobot-v1').observationSpace.high)).toEqual([1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI].map(Math.fround));
    expect(make('CartPole-v1')).toBeInstanceOf(Wrapper);
    expect(base(make('CartPole-v1'))).toBeInstanceOf(CartPoleEnv);
  });

  it('rejects unknown ids and duplicate registrations, passes envOptions', () => {
    expect(() => make('Nope-v9')).toThrow(/unknown env id "Nope-v9"; registered ids: .*CartPole-v1/);
    expect(() => register('CartPole-v1', CartPoleEnv)).toThrow(/already registered/);
    const p = make('Pendulum-v1', { envOptions: { g: 9.81 } });
    expect((base(p) as PendulumEnv).g).toBe(9.81);
  });

  it('time limits: registered, overridden, removed', () => {
    const trunc = (id: string, opts = {}, cap = 2000): number => {
      const env = make(id, opts);
      env.reset({ seed: 1 });
      for (let t = 1; t <= cap; t++) {
        const r = env.step(fixedAction(env, id === 'Acrobot-v1' || id === 'MountainCar-v0' ? 1 : 0));
        expect(r.terminated).toBe(false);
        if (r.truncated) return t;
      }
      return -1;
    };
    expect(trunc('Pendulum-v1')).toBe(200);
    expect(trunc('MountainCar-v0')).toBe(200);
    expect(trunc('Acrobot-v1')).toBe(500);
    expect(trunc('MountainCarContinuous-v0')).toBe(999);
    expect(trunc('Pendulum-v1', { maxEpisodeSteps: 7 })).toBe(7);
    expect(trunc('Pendulum-v1', { maxEpisodeSteps: null }, 1000)).toBe(-1);
    expect(() => new TimeLimit(new CartPoleEnv(), 0)).toThrow(RangeError);
  });
});

describe('reset and seeding', () => {
  it('same seed, same initial state; no seed continues the stream; initial states in Gymnasium bounds', () => {
    for (const id of BUILTINS) {
      const a = make(id);
      const b = make(id);
      const o1 = a.reset({ seed: 42 }).observation;
      expect(b.reset({ seed: 42 }).observation).toEqual(o1);
      const o2 = a.reset().observation;
      expect(o2).not.toEqual(o1);
      expect(b.reset().observation).toEqual(o2);
      expect(a.reset({ seed: 43 }).observation).not.toEqual(o1);
    }
    for (let seed = 0; seed < 50; seed++) {
      const s = (id: string): number[] => {
        const e = make(id);
        e.reset({ seed });
        return base(e).getState().physics;
      };
      expect(s('CartPole-v1').every((v) => v >= -0.05 && v < 0.05)).toBe(true);
      const mc = s('MountainCar-v0');
      expect(mc[0] >= -0.6 && mc[0] < -0.4 && mc[1] === 0).toBe(true);
      const mcc = s('MountainCarContinuous-v0');
      expect(mcc[0] >= -0.6 && mcc[0] < -0.4 && mcc[1] === 0).toBe(true);
      const ac = s('Acrobot-v1');
      expect(ac.every((v) => Math.abs(v) <= 0.1 && Math.fround(v) === v)).toBe(true);
      const pe = s('Pendulum-v1');
      expect(Math.abs(pe[0]) <= Math.PI && Math.abs(pe[1]) <= 1).toBe(true);
      const pm = s('PointMass1D-v0');
      expect(Math.abs(pm[0]) <= 2 && Math.abs(pm[1]) <= 0.5).toBe(true);
    }
  });

  it('honours reset options and rejects bad ones', () => {
    const e = make('CartPole-v1');
    e.reset({ seed: 0, options: { low: 0.2, high: 0.3 } });
    expect(base(e).getState().physics.every((v) => v >= 0.2 && v < 0.3)).toBe(true);
    expect(() => e.reset({ options: { low: 1, high: 0 } })).toThrow(/CartPole-v1 reset: options.low \(1\) must not exceed options.high \(0\)/);
    expect(() => e.reset({ seed: 1.5 })).toThrow(TypeError);
    const p = make('Pendulum-v1');
    p.reset({ seed: 0, options: { x_init: 0.1, y_init: 0.01 } });
    const [th, thd] = base(p).getState().physics;
    expect(Math.abs(th) <= 0.1 && Math.abs(thd) <= 0.01).toBe(true);
  });
});

describe('PointMass1D-v0', () => {
  it('follows v <- 0.99 v + a dt, x <- x + v dt with clipped actions and the quadratic cost', () => {
    const env = make('PointMass1D-v0');
    env.reset({ seed: 0 });
    base(env).setState({ physics: [1, 0.2] });
    const r = env.step(Float64Array.of(0.5));
    const v = 0.99 * 0.2 + 0.5 * 0.05;
    const x = 1 + v * 0.05;
    expect(Array.from(r.observation)).toEqual([x, v]);
    expect(r.reward).toBe(-(x * x + 0.1 * v * v + 0.001 * 0.25));
    expect(r.terminated).toBe(false);
    const r2 = env.step(Float64Array.of(3)); // clipped to 1
    const v2 = 0.99 * v + 1 * 0.05;
    const x2 = x + v2 * 0.05;
    expect(Array.from(r2.observation)).toEqual([x2, v2]);
    expect(r2.reward).toBe(-(x2 * x2 + 0.1 * v2 * v2 + 0.001));
  });

  it('pays +5 and terminates inside the goal region', () => {
    const env = make('PointMass1D-v0');
    env.reset({ seed: 0 });
    base(env).setState({ physics: [0.01, 0.01] });
    const r = env.step(Float64Array.of(0));
    const v = 0.0099;
    const x = 0.01 + v * 0.05;
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(5 - (x * x + 0.1 * v * v), 15);
  });
});

describe('exact replay with getState/setState', () => {
  it('reproduces every built-in across episode boundaries (generator state included)', () => {
    for (const id of BUILTINS) {
      const env = make(id, { recordEpisodeStatistics: true });
      env.reset({ seed: 5 });
      env.actionSpace.seed(9);
      const actions = Array.from({ length: 400 }, () => env.actionSpace.sample());
      for (let t = 0; t < 30; t++) {
        const r = env.step(actions[t]);
        if (r.terminated || r.truncated) env.reset();
      }
      const saved = JSON.parse(JSON.stringify(env.getState!()));
      const run = (): number[] => {
        const out: number[] = [];
        for (let t = 30; t < 400; t++) {
          const r = env.step(actions[t]);
          out.push(r.reward, ...r.observation);
          if (r.terminated || r.truncated) out.push(...env.reset().observation, 1e9);
        }
        return out;
      };
      const first = run();
      env.setState!(saved);
      expect(run()).toEqual(first);
    }
  });
});

describe('episode statistics', () => {
  it('puts { episode: { r, l } } into the last step info', () => {
    const env = make('CartPole-v1', { recordEpisodeStatistics: true });
    expect(env).toBeInstanceOf(RecordEpisodeStatistics);
    env.reset({ seed: 3 });
    let sum = 0;
    for (let t = 1; ; t++) {
      const r = env.step(0);
      sum += r.reward;
      if (r.terminated || r.truncated) {
        expect(r.info.episode).toEqual({ r: sum, l: t });
        break;
      }
      expect(r.info.episode).toBeUndefined();
    }
  });
});

describe('bad input gives clear errors naming env, step and value', () => {
  function cartPoleAtStep12(): Env {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    for (let t = 0; t < 12; t++) expect(env.step(t % 2).terminated).toBe(false);
    return env;
  }

  it('Discrete action out of range or of the wrong kind', () => {
    const env = cartPoleAtStep12();
    expect(() => env.step(3)).toThrow(new RangeError('CartPole-v1 step 12: action 3 is outside Discrete(2)'));
    expect(() => env.step(-1)).toThrow(RangeError);
    expect(() => env.step(0.5)).toThrow(/CartPole-v1 step 12: action 0.5 is outside Discrete\(2\)/);
    expect(() => env.step(Float64Array.of(1) as unknown as number)).toThrow(TypeError);
    expect(() => env.step(Float64Array.of(1) as unknown as number)).toThrow(/CartPole-v1 step 12: action must be an integer for Discrete\(2\), got Float64Array \[1\]/);
    // The failed calls did not advance the env.
    expect(env.step(1).observation).toHaveLength(4);
  });

  it('Box action of the wrong shape, kind, or non-finite', () => {
    const env = make('Pendulum-v1');
    env.reset({ seed: 0 });
    env.step(Float64Array.of(0));
    expect(() => env.step(Float64Array.of(1, 2))).toThrow(RangeError); // wrong length: a RangeError (issue 10)
    expect(() => env.step(Float64Array.of(1, 2))).toThrow(/Pendulum-v1 step 1: action Float64Array \[1, 2\] has length 2, expected 1/);
    expect(() => env.step(0.5 as unknown as Float64Array)).toThrow(/Pendulum-v1 step 1: action must be a Float64Array of length 1 .* got 0.5/);
    expect(() => env.step(Float64Array.of(Number.NaN))).toThrow(new RangeError('Pendulum-v1 step 1: action[0] is NaN; actions must be finite (action Float64Array [NaN])'));
    expect(() => env.step(Float64Array.of(-Infinity))).toThrow(/step 1: action\[0\] is -Infinity/);
  });

  it('Box actions outside the bounds are clipped by the env, as in Gymnasium', () => {
    const a = make('Pendulum-v1');
    const b = make('Pendulum-v1');
    a.reset({ seed: 4 });
    b.reset({ seed: 4 });
    expect(a.step(Float64Array.of(50)).observation).toEqual(b.step(Float64Array.of(2)).observation);
  });

  it('stepping before reset or after the episode ended', () => {
    const env = make('CartPole-v1');
    expect(() => env.step(0)).toThrow(/CartPole-v1 step 0: step\(\) called before reset\(\)/);
    env.reset({ seed: 0 });
    let t = 0;
    while (!env.step(1).terminated) t++;
    expect(() => env.step(1)).toThrow(new RegExp(`CartPole-v1 step ${t + 1}: step\\(\\) called after the episode was terminated at step ${t}; call reset\\(\\)`));
    env.reset();
    expect(() => env.step(0)).not.toThrow();
    const p = make('Pendulum-v1', { maxEpisodeSteps: 3 });
    p.reset({ seed: 0 });
    for (let i = 0; i < 3; i++) p.step(Float64Array.of(0));
    expect(() => p.step(Float64Array.of(0))).toThrow(/Pendulum-v1 step 3: .*episode was truncated/);
    // Built-in classes check on their own, without make's wrappers.
    const raw = new MountainCarEnv();
    expect(() => raw.step(1)).toThrow(/MountainCar-v0 step 0: step\(\) called before reset/);
    raw.reset({ seed: 0 });
    expect(() => raw.step(7)).toThrow(new RangeError('MountainCar-v0 step 0: action 7 is outside Discrete(3)'));
  });

  it('an env returning NaN', () => {
    register('NaN-v0', NaNEnv, { overwrite: true });
    const env = make('NaN-v0', { envOptions: { bound: 100 } });
    env.reset({ seed: 0 });
    for (let t = 0; t < 3; t++) env.step(1);
    expect(() => env.step(1)).toThrow(RangeError);
    const env2 = make('NaN-v0', { envOptions: { bound: 100 } });
    env2.reset({ seed: 0 });
    for (let t = 0; t < 3; t++) env2.step(1);
    expect(() => env2.step(1)).toThrow(/NaN-v0 step 3: the env returned a non-finite observation: observation\[0\] is NaN in Float64Array \[NaN, 4\]/);
  });

  it('classic envs constructed directly validate too', () => {
    for (const E of [CartPoleEnv, AcrobotEnv, MountainCarEnv]) {
      const e = new E();
      e.reset({ seed: 1 });
      expect(() => e.step(9)).toThrow(RangeError);
    }
    for (const E of [MountainCarContinuousEnv, PendulumEnv, PointMass1DEnv]) {
      const e = new E();
      e.reset({ seed: 1 });
      expect(() => e.step(Float64Array.of())).toThrow(RangeError);
    }
  });
});

describe('user env classes work like built-ins', () => {
  it('register + make with a class or a factory, wrappers and replay included', () => {
    register('RandomWalk-v0', RandomWalkEnv, { maxEpisodeSteps: 6, overwrite: true });
    register('RandomWalkFn-v0', makeRandomWalk, { maxEpisodeSteps: 6, overwrite: true });
    for (const id of ['RandomWalk-v0', 'RandomWalkFn-v0']) {
      const env = make(id, { envOptions: { bound: 100 }, recordEpisodeStatistics: true });
      expect(env.actionSpace).toBeInstanceOf(Discrete);
      expect(env.observationSpace).toBeInstanceOf(Box);
      env.reset({ seed: 2 });
      const s = env.getState!();
      let last;
      for (let t = 0; t < 6; t++) last = env.step(1);
      expect(last!.truncated).toBe(true);
      expect((last!.info.episode as { l: number }).l).toBe(6);
      expect(() => env.step(1)).toThrow(new RegExp(`^${id} step 6: step\\(\\) called after the episode was truncated`));
      env.setState!(s);
      const again = [];
      for (let t = 0; t < 6; t++) again.push(env.step(1).reward);
      expect(again[5]).toBe(last!.reward);
    }
  });
});
