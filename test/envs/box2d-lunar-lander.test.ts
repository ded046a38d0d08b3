import { describe, expect, it } from 'vitest';
import { LUNAR_LANDER, toWorld, windMagnitude } from '../../src/envs/box2d/index.js';
import { LunarLanderEnv, getEnvSpec, make, type Wrapper } from '../../src/envs/index.js';
import { Random } from '../../src/random.js';

const C = LUNAR_LANDER;
const W = C.VIEWPORT_W / C.SCALE;
const H = C.VIEWPORT_H / C.SCALE;

/** Shoelace area of a polygon in pixels, converted to m². */
function areaM2(poly: readonly (readonly [number, number])[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    a += x1 * y2 - x2 * y1;
  }
  return Math.abs(a) / 2 / (C.SCALE * C.SCALE);
}
const LANDER_MASS = 5 * areaM2(C.LANDER_POLY);
const LEG_MASS = 1 * (2 * C.LEG_W / C.SCALE) * (2 * C.LEG_H / C.SCALE);
const TOTAL_MASS = LANDER_MASS + 2 * LEG_MASS;

/** Gymnasium's shaping from an observation. */
function shaping(o: ArrayLike<number>): number {
  return -100 * Math.hypot(o[0], o[1]) - 100 * Math.hypot(o[2], o[3]) - 100 * Math.abs(o[4]) + 10 * o[6] + 10 * o[7];
}

/** A generator positioned where the env's was at its last reset. */
function episodeRandom(env: LunarLanderEnv): Random {
  const r = new Random(0);
  r.setState(env.getState().episodeRng!);
  return r;
}

/** Step `a` and `b` from the same state (which is restored afterwards); return both results. */
function fromSameState<A extends number | Float64Array>(env: LunarLanderEnv, a: A, b: A) {
  const s = env.getState();
  const ra = env.step(a);
  const ea = { ...env.engines };
  const va = env.bodies()[0];
  env.setState(s);
  const rb = env.step(b);
  const out = { ra, rb, ea, eb: { ...env.engines }, va, vb: env.bodies()[0] };
  env.setState(s);
  return out;
}

/** The two engine dispersions the next step will draw, U(-1, 1)/SCALE each. */
function nextDispersion(env: LunarLanderEnv): [number, number] {
  const r = new Random(0);
  r.setState(env.getState().rng);
  return [r.uniformRange(-1, 1) / C.SCALE, r.uniformRange(-1, 1) / C.SCALE];
}

/** A simple hand-written landing controller (discrete actions). */
function lander(o: Float64Array): number {
  const angTarget = Math.max(-0.4, Math.min(0.4, o[0] * 0.5 + o[2]));
  const angTodo = (angTarget - o[4]) * 0.5 - o[5];
  const hoverTodo = (0.55 * Math.abs(o[0]) - o[1]) * 0.5 - o[3] * 0.5;
  if (o[6] || o[7]) return 0;
  if (hoverTodo > Math.abs(angTodo) && hoverTodo > 0.05) return 2;
  if (angTodo < -0.05) return 3;
  if (angTodo > 0.05) return 1;
  return 0;
}

describe('LunarLander-v3: registration, spaces and options', () => {
  it('registers both ids with the 1000-step limit and Gymnasium v3 spaces', () => {
    expect(getEnvSpec('LunarLander-v3')!.maxEpisodeSteps).toBe(1000);
    expect(getEnvSpec('LunarLanderContinuous-v3')!.maxEpisodeSteps).toBe(1000);
    const d = make('LunarLander-v3');
    const c = make('LunarLanderContinuous-v3');
    expect(String(d.actionSpace)).toBe('Discrete(4)');
    expect(String(c.actionSpace)).toBe('Box(-1, 1, (2,), float32)');
    expect(((c as Wrapper).unwrapped as LunarLanderEnv).continuous).toBe(true);
    expect(Array.from(d.observationSpace.high)).toEqual([2.5, 2.5, 10, 10, 2 * Math.PI, 10, 1, 1].map(Math.fround));
    expect(Array.from(d.observationSpace.low)).toEqual([-2.5, -2.5, -10, -10, -2 * Math.PI, -10, -0, -0].map(Math.fround));
    expect(((make('LunarLander-v3', { envOptions: { continuous: true } }) as Wrapper).unwrapped as LunarLanderEnv).continuous).toBe(true);
  });

  it('validates options like Gymnasium (gravity in (-12, 0))', () => {
    expect(() => new LunarLanderEnv({ gravity: -12 })).toThrow(/LunarLander-v3: gravity must be in \(-12, 0\), got -12/);
    expect(() => new LunarLanderEnv({ gravity: 0 })).toThrow(RangeError);
    expect(() => new LunarLanderEnv({ gravity: Number.NaN })).toThrow(TypeError);
    expect(() => new LunarLanderEnv({ continuous: 1 as unknown as boolean })).toThrow(/continuous must be a boolean/);
    expect(() => new LunarLanderEnv({ windPower: Number.POSITIVE_INFINITY })).toThrow(/windPower must be a finite number/);
    const weak = new LunarLanderEnv({ gravity: -2 });
    const strong = new LunarLanderEnv({ gravity: -11 });
    weak.reset({ seed: 3 });
    strong.reset({ seed: 3 });
    for (let t = 0; t < 20; t++) {
      weak.step(0);
      strong.step(0);
    }
    // Same initial push; the vertical velocity differs by the gravity difference times the time.
    const dv = weak.bodies()[0].vy - strong.bodies()[0].vy;
    expect(dv).toBeCloseTo(9 * (21 / C.FPS), 2);
  });

  it('rejects bad actions with a RangeError naming the env; clips continuous ones', () => {
    const d = make('LunarLander-v3');
    d.reset({ seed: 0 });
    expect(() => d.step(4)).toThrow(RangeError);
    expect(() => d.step(4)).toThrow('LunarLander-v3 step 0: action 4 is outside Discrete(4)');
    expect(() => d.step(1.5)).toThrow(RangeError);
    expect(() => d.step(Number.NaN)).toThrow(/LunarLander-v3 step 0/);
    const c = make('LunarLanderContinuous-v3');
    c.reset({ seed: 0 });
    expect(() => c.step(Float64Array.of(Number.NaN, 0))).toThrow(RangeError);
    expect(() => c.step(Float64Array.of(0, 0, 0))).toThrow(/LunarLanderContinuous-v3 step 0: action .* has length 3, expected 2/);
    const env = (c as Wrapper).unwrapped as LunarLanderEnv;
    const { ra, rb } = fromSameState(env, Float64Array.of(7, -3), Float64Array.of(1, -1));
    expect(ra.observation).toEqual(rb.observation);
    expect(ra.reward).toBe(rb.reward);
    c.step(Float64Array.of(7, -3));
    expect(env.getState().actions.at(-1)).toEqual([1, -1]);
  });
});

describe('LunarLander-v3: terrain and reset', () => {
  it('builds the smoothed 11-point terrain with the helipad from the generator', () => {
    for (let seed = 0; seed < 20; seed++) {
      const env = new LunarLanderEnv();
      env.reset({ seed });
      const r = episodeRandom(env);
      const h = Array.from({ length: 12 }, () => r.uniformRange(0, H / 2));
      for (let i = 3; i <= 7; i++) h[i] = H / 4;
      const expected = Array.from({ length: 11 }, (_, i) => [(W / 10) * i, 0.33 * (h[i === 0 ? 11 : i - 1] + h[i] + h[i + 1])]);
      expect(env.terrainPoints).toEqual(expected);
      expect(env.helipad).toEqual({ x1: 8, x2: 12, y: H / 4 });
      // The three helipad points are flat at 0.99 H/4.
      expect(env.terrainPoints.slice(4, 7).map((p) => p[1])).toEqual([1, 1, 1].map(() => 0.33 * 3 * (H / 4)));
    }
  });

  it('starts at the top centre, pushed by the random initial force (one no-op step taken)', () => {
    let checked = 0;
    for (let seed = 0; seed < 30; seed++) {
      const env = new LunarLanderEnv();
      const o = env.reset({ seed }).observation;
      const r = episodeRandom(env);
      for (let i = 0; i < 12; i++) r.uniform();
      const fx = r.uniformRange(-1000, 1000);
      const fy = r.uniformRange(-1000, 1000);
      const [body, leg1, leg2] = env.bodies();
      // Semi-implicit Euler from (W/2, H): x1 = x0 + v1 dt (up to the joints' position correction).
      expect(Math.abs(body.x - (W / 2 + body.vx / C.FPS))).toBeLessThan(0.01);
      expect(Math.abs(body.y - (H + body.vy / C.FPS))).toBeLessThan(0.01);
      expect(env.elapsedSteps).toBe(0);
      // The joints are internal forces: the system's momentum after the first 1/50 s step is the
      // impulse of the initial force plus gravity's.
      const px = LANDER_MASS * body.vx + LEG_MASS * (leg1.vx + leg2.vx);
      const py = LANDER_MASS * body.vy + LEG_MASS * (leg1.vy + leg2.vy);
      expect(Math.abs(px - fx / C.FPS)).toBeLessThan(1e-3 * (1 + Math.abs(fx / C.FPS)));
      expect(Math.abs(py - (fy - 10 * TOTAL_MASS) / C.FPS)).toBeLessThan(1e-3 * (1 + Math.abs(fy / C.FPS)));
      if (Math.abs(fx) > 200) {
        expect(body.vx / (fx / C.FPS / TOTAL_MASS)).toBeGreaterThan(0.95);
        expect(body.vx / (fx / C.FPS / TOTAL_MASS)).toBeLessThan(1.05);
        checked++;
      }
      expect(o[2]).toBe(Math.fround((body.vx * (W / 2)) / C.FPS));
      expect(o[6]).toBe(0);
      expect(o[7]).toBe(0);
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('LunarLander-v3: legs', () => {
  it('hang at their joint limits in flight: the motors (±0.3 rad/s) hold them at 0.4 and -0.4 rad', () => {
    const env = new LunarLanderEnv();
    env.reset({ seed: 6 });
    for (let t = 0; t < 15; t++) env.step(0);
    // Gymnasium's legs[0] (i = -1, observation 6) is built at +20 px, legs[1] at -20 px.
    const [lander, first, second] = env.bodies();
    expect(env.legContact).toEqual([false, false]);
    expect(Math.abs(first.angle - lander.angle - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(second.angle - lander.angle + 0.4)).toBeLessThan(0.02);
    // The legs hang out to each side of the lander's centre line.
    const c = Math.cos(lander.angle);
    const s = Math.sin(lander.angle);
    const side = (b: { x: number; y: number }): number => (b.x - lander.x) * c + (b.y - lander.y) * s;
    expect(side(first)).toBeGreaterThan(0.4);
    expect(side(second)).toBeLessThan(-0.4);
  });
});

describe('LunarLander-v3: engines and reward', () => {
  it('discrete: 2 fires the main engine upward, 1 and 3 the side engines (opposite torques and pushes)', () => {
    const env = new LunarLanderEnv();
    env.reset({ seed: 1 });
    for (let t = 0; t < 5; t++) env.step(0);
    const [d0, d1] = nextDispersion(env);
    const angle = env.bodies()[0].angle;
    const noop = fromSameState(env, 0, 2);
    expect(noop.ea).toEqual({ mainPower: 0, sidePower: 0, sideDirection: 0 });
    expect(noop.eb).toEqual({ mainPower: 1, sidePower: 0, sideDirection: 0 });
    // Impulse -13 (ox, oy): ox = sin(θ) along + (-cos θ) d1, oy = -cos(θ) along - sin(θ) d1,
    // along = 4/SCALE + 2 d0; shared with the legs through the joints.
    const along = 4 / C.SCALE + 2 * d0;
    const ox = Math.sin(angle) * along - Math.cos(angle) * d1;
    const oy = -Math.cos(angle) * along - Math.sin(angle) * d1;
    expect((noop.vb.vy - noop.va.vy) / ((-13 * oy) / TOTAL_MASS)).toBeCloseTo(1, 1);
    expect(Math.abs(noop.vb.vx - noop.va.vx - (-13 * ox) / TOTAL_MASS)).toBeLessThan(0.1 * Math.abs((13 * oy) / TOTAL_MASS));
    const left = fromSameState(env, 0, 1);
    const right = fromSameState(env, 0, 3);
    expect(left.eb).toEqual({ mainPower: 0, sidePower: 1, sideDirection: -1 });
    expect(right.eb).toEqual({ mainPower: 0, sidePower: 1, sideDirection: 1 });
    expect(left.vb.vx).toBeLessThan(left.va.vx);
    expect(left.vb.omega).toBeGreaterThan(left.va.omega);
    expect(right.vb.vx).toBeGreaterThan(right.va.vx);
    expect(right.vb.omega).toBeLessThan(right.va.omega);
  });

  it('continuous: main engine above 0 with throttle (a+1)/2, side engines beyond |0.5| with throttle |a|', () => {
    const env = new LunarLanderEnv({ continuous: true });
    env.reset({ seed: 2 });
    const engines = (a0: number, a1: number) => fromSameState(env, Float64Array.of(a0, a1), Float64Array.of(a0, a1)).ea;
    expect(engines(0, 0)).toEqual({ mainPower: 0, sidePower: 0, sideDirection: 0 });
    expect(engines(-1, 0.5)).toEqual({ mainPower: 0, sidePower: 0, sideDirection: 0 });
    expect(engines(0.2, -0.5)).toEqual({ mainPower: 0.6, sidePower: 0, sideDirection: 0 });
    expect(engines(1e-9, 0.500001).mainPower).toBeCloseTo(0.5, 8);
    expect(engines(1e-9, 0.500001).sidePower).toBe(0.500001);
    expect(engines(1, 0.75)).toEqual({ mainPower: 1, sidePower: 0.75, sideDirection: 1 });
    expect(engines(0.5, -0.9)).toEqual({ mainPower: 0.75, sidePower: 0.9, sideDirection: -1 });
    expect(engines(3, -3)).toEqual({ mainPower: 1, sidePower: 1, sideDirection: -1 });
    // The impulse scales with the throttle.
    const half = fromSameState(env, Float64Array.of(0, 0), Float64Array.of(1e-12, 0));
    const full = fromSameState(env, Float64Array.of(0, 0), Float64Array.of(1, 0));
    const dHalf = half.vb.vy - half.va.vy;
    const dFull = full.vb.vy - full.va.vy;
    expect(dFull / dHalf).toBeGreaterThan(1.8);
    expect(dFull / dHalf).toBeLessThan(2.2);
  });

  it('reward = change of shaping - 0.3 main throttle - 0.03 side throttle', () => {
    for (const continuous of [false, true]) {
      const env = new LunarLanderEnv({ continuous });
      const rng = new Random(5);
      let prev = env.reset({ seed: 4 }).observation;
      let n = 0;
      for (let t = 0; t < 400; t++) {
        const a = continuous ? Float64Array.of(rng.uniformRange(-1, 1), rng.uniformRange(-1, 1)) : rng.integer(4);
        const r = env.step(a);
        if (r.terminated) {
          expect(Math.abs(r.reward)).toBe(100);
          prev = env.reset().observation;
          continue;
        }
        const fuel = 0.3 * env.engines.mainPower + 0.03 * env.engines.sidePower;
        // Observations are float32: the shaping from them agrees to about 1e-4.
        expect(Math.abs(r.reward - (shaping(r.observation) - shaping(prev) - fuel))).toBeLessThan(2e-3);
        prev = r.observation;
        n++;
      }
      expect(n).toBeGreaterThan(300);
    }
  });
});

describe('LunarLander-v3: wind and turbulence', () => {
  it('uses tanh(sin(0.02 k) + sin(0.01 pi k)) scaled by the power', () => {
    expect(windMagnitude(0, 15)).toBe(0);
    expect(windMagnitude(50, 15)).toBeCloseTo(Math.tanh(Math.sin(1) + 1) * 15, 12);
    expect(windMagnitude(-123, 1.5)).toBeCloseTo(Math.tanh(Math.sin(-2.46) + Math.sin(-1.23 * Math.PI)) * 1.5, 12);
  });

  it('draws the indices at reset, pushes the lander by the wind force, stops while a leg touches', () => {
    const calm = new LunarLanderEnv({ enableWind: true, windPower: 0, turbulencePower: 0 });
    const windy = new LunarLanderEnv({ enableWind: true, windPower: 20, turbulencePower: 2 });
    let rested = 0;
    for (let seed = 0; seed < 8; seed++) {
      calm.reset({ seed });
      windy.reset({ seed });
      const r = episodeRandom(windy);
      for (let i = 0; i < 14; i++) r.uniform();
      const k0 = -9999 + r.integer(19998);
      const j0 = -9999 + r.integer(19998);
      expect(windy.windIndices).toEqual({ wind: k0 + 1, torque: j0 + 1 });
      const dvx = windy.bodies()[0].vx - calm.bodies()[0].vx;
      const expected = windMagnitude(k0, 20) / TOTAL_MASS / C.FPS;
      if (Math.abs(expected) > 0.01) expect(dvx / expected).toBeCloseTo(1, 1);
      const torque = windMagnitude(j0, 2);
      if (Math.abs(torque) > 0.2) expect(Math.sign(windy.bodies()[0].omega - calm.bodies()[0].omega)).toBe(Math.sign(torque));
      // While a leg touches the ground the indices stand still.
      for (let t = 0; t < 600; t++) {
        const before = windy.windIndices.wind;
        const touching = windy.legContact[0] || windy.legContact[1];
        const res = windy.step(0);
        expect(windy.windIndices.wind).toBe(touching ? before : before + 1);
        if (touching) rested++;
        if (res.terminated) break;
      }
    }
    expect(rested).toBeGreaterThan(0);
    const noWind = new LunarLanderEnv();
    noWind.reset({ seed: 0 });
    noWind.step(0);
    expect(noWind.windIndices).toEqual({ wind: 0, torque: 0 });
  });
});

describe('LunarLander-v3: contacts and termination', () => {
  it('ends with -100 on body contact or |x| >= 1 and +100 when the lander sleeps; leg flags follow contacts', () => {
    const outcomes = { crash: 0, sleep: 0 };
    let legSeen = 0;
    for (let seed = 0; seed < 12; seed++) {
      const env = new LunarLanderEnv();
      let o = env.reset({ seed }).observation;
      for (let t = 0; t < 1000; t++) {
        const r = env.step(lander(o));
        o = r.observation;
        expect(o[6]).toBe(env.legContact[0] ? 1 : 0);
        expect(o[7]).toBe(env.legContact[1] ? 1 : 0);
        if (o[6] || o[7]) legSeen++;
        if (!r.terminated) {
          expect(env.bodyContact).toBe(false);
          expect(Math.abs(o[0])).toBeLessThan(1);
          continue;
        }
        const awake = env.bodies()[0].awake;
        if (r.reward === 100) {
          expect(awake).toBe(false);
          outcomes.sleep++;
        } else {
          expect(r.reward).toBe(-100);
          expect(awake).toBe(true);
          expect(env.bodyContact || Math.abs(o[0]) >= 1).toBe(true);
          outcomes.crash++;
        }
        break;
      }
    }
    expect(outcomes.sleep).toBeGreaterThan(0);
    expect(outcomes.crash).toBeGreaterThan(0);
    expect(legSeen).toBeGreaterThan(0);
  });

  it('terminates with -100 when the lander leaves the screen sideways', () => {
    const env = new LunarLanderEnv();
    let o = env.reset({ seed: 0 }).observation;
    let last;
    for (let t = 0; t < 1000; t++) {
      // Hover tilted by 0.35 rad: the main engine pushes the lander sideways off the screen.
      const angTodo = (-0.35 - o[4]) * 0.5 - o[5];
      const hoverTodo = (0.5 - o[1]) * 0.5 - o[3] * 0.5;
      last = env.step(hoverTodo > Math.abs(angTodo) && hoverTodo > 0.05 ? 2 : angTodo < -0.05 ? 3 : angTodo > 0.05 ? 1 : 0);
      o = last.observation;
      if (last.terminated) break;
    }
    expect(env.bodyContact).toBe(false);
    expect(last!.terminated).toBe(true);
    expect(last!.reward).toBe(-100);
    expect(Math.abs(last!.observation[0])).toBeGreaterThanOrEqual(1);
  });
});

describe('LunarLander-v3: drawing', () => {
  it('outlines the lander and legs where the joints hold them, with the ground and the engines', () => {
    const env = new LunarLanderEnv();
    env.reset({ seed: 8 });
    for (let t = 0; t < 10; t++) env.step(2);
    const d = env.drawing();
    expect(d.bodies.map((b) => b.name)).toEqual(['lander', 'leg0', 'leg1']);
    expect(d.bodies[0].polygon).toHaveLength(6);
    expect(d.engines.mainPower).toBe(1);
    expect(d.terrain).toHaveLength(11);
    // Leg i's joint anchor (i·20, 18) px in the leg's frame sits on the lander's origin.
    const [lander, ...legs] = env.bodies();
    legs.forEach((leg, k) => {
      const i = k === 0 ? -1 : 1;
      const [[ax, ay]] = toWorld([[(i * 20) / C.SCALE, 18 / C.SCALE]], leg.x, leg.y, leg.angle);
      expect(Math.hypot(ax - lander.x, ay - lander.y)).toBeLessThan(0.01);
      // The drawn leg is centred on the leg body.
      const p = d.bodies[1 + k].polygon;
      expect(Math.hypot(p.reduce((s, v) => s + v[0], 0) / 4 - leg.x, p.reduce((s, v) => s + v[1], 0) / 4 - leg.y)).toBeLessThan(1e-12);
    });
  });
});
