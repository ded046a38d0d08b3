import { describe, expect, it } from 'vitest';
import { BIPEDAL_WALKER, TERRAIN, generateBipedalTerrain, lidarDirection } from '../../src/envs/box2d/index.js';
import { BipedalWalkerEnv, getEnvSpec, make, type TerrainKind } from '../../src/envs/index.js';
import { Random } from '../../src/random.js';

const C = BIPEDAL_WALKER;
const STEP = TERRAIN.STEP;
const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;

/** Runs of equal kinds: [kind, first index, length]. */
function runs(kinds: TerrainKind[]): [TerrainKind, number, number][] {
  const out: [TerrainKind, number, number][] = [];
  kinds.forEach((k, i) => {
    const last = out.at(-1);
    if (last && last[0] === k) last[2]++;
    else out.push([k, i, 1]);
  });
  return out;
}

describe('BipedalWalker-v3: registration and spaces', () => {
  it('registers normal and hardcore with 1600 and 2000 steps and the 24-dim observation', () => {
    expect(getEnvSpec('BipedalWalker-v3')!.maxEpisodeSteps).toBe(1600);
    expect(getEnvSpec('BipedalWalkerHardcore-v3')!.maxEpisodeSteps).toBe(2000);
    const env = make('BipedalWalker-v3');
    expect(String(env.actionSpace)).toBe('Box(-1, 1, (4,), float32)');
    expect(env.observationSpace.shape).toEqual([24]);
    const pi = Math.fround(Math.PI);
    expect(Array.from(env.observationSpace.high.slice(0, 14))).toEqual([pi, 5, 5, 5, pi, 5, pi, 5, 5, pi, 5, pi, 5, 5]);
    expect(Array.from(env.observationSpace.low.slice(14))).toEqual(new Array(10).fill(-1));
    expect(Object.is(env.observationSpace.low[8], -0)).toBe(true);
    expect((make('BipedalWalkerHardcore-v3') as unknown as { unwrapped: BipedalWalkerEnv }).unwrapped.hardcore).toBe(true);
    expect(() => new BipedalWalkerEnv({ hardcore: 'yes' as unknown as boolean })).toThrow(/hardcore must be a boolean/);
  });

  it('rejects NaN actions with a RangeError naming the env and clips out-of-range ones', () => {
    const env = make('BipedalWalker-v3');
    env.reset({ seed: 0 });
    expect(() => env.step(Float64Array.of(0, Number.NaN, 0, 0))).toThrow(RangeError);
    expect(() => env.step(Float64Array.of(0, Number.NaN, 0, 0))).toThrow(/^BipedalWalker-v3 step 0: action\[1\] is NaN/);
    const raw = (env as unknown as { unwrapped: BipedalWalkerEnv }).unwrapped;
    const s = raw.getState();
    const a = raw.step(Float64Array.of(5, -3, 1.5, -1.01));
    raw.setState(s);
    const b = raw.step(Float64Array.of(1, -1, 1, -1));
    expect(a.observation).toEqual(b.observation);
    expect(a.reward).toBe(b.reward);
  });
});

describe('BipedalWalker-v3: terrain', () => {
  it('normal: grass only, flat start pad at HEIGHT, bounded slope, 200 points 14 px apart', () => {
    for (let seed = 0; seed < 20; seed++) {
      const t = generateBipedalTerrain(new Random(seed), false);
      expect(t.x).toEqual(Array.from({ length: 200 }, (_, i) => i * STEP));
      expect(new Set(t.kinds)).toEqual(new Set(['grass']));
      expect(t.obstacles).toEqual([]);
      expect(t.y.slice(0, 21).every((y) => y === TERRAIN.HEIGHT)).toBe(true);
      // v <- 0.8 v + 0.01 sign(.) + U(-1, 1)/SCALE keeps |v| below (0.01 + 1/30) / 0.2.
      for (let i = 1; i < 200; i++) expect(Math.abs(t.y[i] - t.y[i - 1])).toBeLessThanOrEqual((0.01 + 1 / 30) / 0.2);
      expect(t.y.slice(21).some((y) => y !== TERRAIN.HEIGHT)).toBe(true);
    }
  });

  it('hardcore: stumps, stairs, pits and flat stretches of Gymnasium\'s sizes between grass of 5..9 points', () => {
    const seen = new Set<TerrainKind>();
    for (let seed = 0; seed < 30; seed++) {
      const t = generateBipedalTerrain(new Random(seed), true);
      const r = runs(t.kinds);
      expect(r[0]).toEqual(['grass', 0, 20]);
      let obstacle = 0;
      for (let k = 1; k < r.length; k++) {
        const [kind, start, len] = r[k];
        seen.add(kind);
        // Kinds alternate grass / obstacle.
        expect(kind === 'grass').toBe(r[k - 1][0] !== 'grass');
        if (k === r.length - 1) continue; // cut by the course end
        const y0 = t.y[start];
        if (kind === 'grass') expect(len >= 5 && len <= 9).toBe(true);
        if (kind === 'flat') {
          expect(len >= 5 && len <= 9).toBe(true);
          expect(t.y.slice(start, start + len).every((y) => y === t.y[start - 1])).toBe(true);
        }
        if (kind === 'stump') {
          const q = t.obstacles[obstacle++];
          const side = q[1][0] - q[0][0];
          expect([1, 2].some((n) => close(side, n * STEP, 1e-12))).toBe(true);
          expect(close(q[2][1] - q[0][1], side, 1e-12) && q[0][1] === y0 && q[0][0] === t.x[start]).toBe(true);
          // The ground under a stump stays level for its counter, then grass follows.
          expect(len).toBe(Math.round(side / STEP));
        }
        if (kind === 'pit') {
          const [w1, w2] = [t.obstacles[obstacle++], t.obstacles[obstacle++]];
          const gap = Math.round((w2[0][0] - w1[0][0]) / STEP);
          expect([3, 4]).toContain(gap);
          expect(close(w1[0][1] - w1[2][1], 4 * STEP, 1e-12)).toBe(true);
          expect(len).toBe(gap + 2);
          // Ground 4 steps down between the walls, back up at the last point.
          for (let i = start + 1; i < start + len - 1; i++) expect(close(t.y[i], y0 - 4 * STEP, 1e-12)).toBe(true);
          expect(t.y[start + len - 1]).toBe(y0);
        }
        if (kind === 'stairs') {
          const first = t.obstacles[obstacle];
          const width = Math.round((first[1][0] - first[0][0]) / STEP);
          expect(width).toBe(4);
          const steps = len / width;
          expect([3, 4]).toContain(steps);
          const stairs = t.obstacles.slice(obstacle, obstacle + steps);
          obstacle += steps;
          const rise = Math.round((stairs[1][0][1] - stairs[0][0][1]) / STEP);
          expect([1, -1]).toContain(rise);
          stairs.forEach((q, s) => expect(close(q[0][1], y0 + s * rise * STEP, 1e-12)).toBe(true));
        }
      }
      // Every obstacle belongs to a checked run, except those of a run cut by the course end.
      const lastKind = r.at(-1)![0];
      if (lastKind === 'grass' || lastKind === 'flat') expect(obstacle).toBe(t.obstacles.length);
      else expect(obstacle).toBeLessThan(t.obstacles.length);
    }
    expect(seen).toEqual(new Set(['grass', 'stump', 'stairs', 'pit', 'flat']));
  });

  it('builds the env course from the episode generator (hardcore only in the hardcore env)', () => {
    const env = new BipedalWalkerEnv({ hardcore: true });
    env.reset({ seed: 7 });
    const r = new Random(0);
    r.setState(env.getState().episodeRng!);
    expect(env.terrain).toEqual(generateBipedalTerrain(r, true));
    const easy = new BipedalWalkerEnv();
    easy.reset({ seed: 7 });
    expect(easy.terrain.obstacles).toEqual([]);
  });
});

describe('BipedalWalker-v3: observation, lidar and reward', () => {
  it('lidar rays from the hull hit the flat start pad at (y - HEIGHT) / cos(angle) and ignore the walker', () => {
    for (let seed = 0; seed < 5; seed++) {
      const env = new BipedalWalkerEnv();
      const o = env.reset({ seed }).observation;
      const [hull] = env.bodies();
      for (let i = 0; i < 10; i++) {
        const [dx, dy] = lidarDirection(i);
        expect(close(Math.hypot(dx, dy), 160 / 30, 1e-12)).toBe(true);
        const f = Math.min(1, (hull.y - TERRAIN.HEIGHT) / -dy);
        expect(Math.abs(o[14 + i] - f)).toBeLessThan(2e-6);
      }
      expect(o[14 + 9]).toBe(1);
      expect(env.lidar[0].to[1]).toBeCloseTo(TERRAIN.HEIGHT, 5);
    }
  });

  it('observes hull angle and speeds, joint angles (knee + 1) and lower-leg contacts', () => {
    const env = new BipedalWalkerEnv();
    env.reset({ seed: 3 });
    const rng = new Random(3);
    for (let t = 0; t < 60; t++) {
      const r = env.step(Float64Array.from({ length: 4 }, () => rng.uniformRange(-1, 1)));
      const o = r.observation;
      const [hull, upL, lowL, upR, lowR] = env.bodies();
      expect(o[0]).toBe(Math.fround(hull.angle));
      const f = (v: number, w: number) => expect(Math.abs(v - w)).toBeLessThan(2e-6);
      f(o[4], upL.angle - hull.angle);
      f(o[6], lowL.angle - upL.angle + 1);
      f(o[9], upR.angle - hull.angle);
      f(o[11], lowR.angle - upR.angle + 1);
      expect(o[8]).toBe(env.legContact[1] ? 1 : 0);
      expect(o[13]).toBe(env.legContact[3] ? 1 : 0);
      if (r.terminated) break;
    }
    // The walker is dropped onto the pad: both feet touch after the reset step.
    const o0 = env.reset({ seed: 0 }).observation;
    expect([o0[8], o0[13]]).toEqual([1, 1]);
  });

  it('reward = change of 130 x / SCALE - 5 |angle|, minus 0.028 |a| per motor; motors follow the action sign', () => {
    const env = new BipedalWalkerEnv();
    env.reset({ seed: 1 });
    const rng = new Random(1);
    let prev = env.bodies()[0];
    let prevAngle = Math.abs(prev.angle);
    for (let t = 0; t < 200; t++) {
      const a = Float64Array.from({ length: 4 }, () => rng.uniformRange(-1.2, 1.2));
      const r = env.step(a);
      const hull = env.bodies()[0];
      if (r.terminated) {
        expect(r.reward).toBe(-100);
        break;
      }
      const energy = a.reduce((s, v) => s + 0.00035 * 80 * Math.min(Math.abs(v), 1), 0);
      const expected = (130 * (hull.x - prev.x)) / C.SCALE - 5 * (Math.abs(hull.angle) - prevAngle) - energy;
      expect(Math.abs(r.reward - expected)).toBeLessThan(1e-9);
      prev = hull;
      prevAngle = Math.abs(hull.angle);
    }
    // From one state, hip motor +1 turns the hip forward relative to -1.
    env.reset({ seed: 1 });
    for (let t = 0; t < 10; t++) env.step(new Float64Array(4));
    const s = env.getState();
    const plus = env.step(Float64Array.of(1, 0, 0, 0)).observation[5];
    env.setState(s);
    const minus = env.step(Float64Array.of(-1, 0, 0, 0)).observation[5];
    expect(plus).toBeGreaterThan(minus);
    env.setState(s);
    const kneePlus = env.step(Float64Array.of(0, 0, 0, 1)).observation[12];
    env.setState(s);
    const kneeMinus = env.step(Float64Array.of(0, 0, 0, -1)).observation[12];
    expect(kneePlus).toBeGreaterThan(kneeMinus);
  });

  it('ends with -100 when the hull touches the ground (random actions)', () => {
    const env = make('BipedalWalkerHardcore-v3');
    const raw = (env as unknown as { unwrapped: BipedalWalkerEnv }).unwrapped;
    const rng = new Random(11);
    let falls = 0;
    for (let ep = 0; ep < 4; ep++) {
      env.reset({ seed: ep });
      for (let t = 0; t < 2000; t++) {
        const r = env.step(Float64Array.from({ length: 4 }, () => rng.uniformRange(-1, 1)));
        if (r.terminated) {
          expect(r.reward).toBe(-100);
          expect(raw.bodies()[0].x).toBeGreaterThanOrEqual(0);
          falls++;
          break;
        }
        if (r.truncated) {
          expect(t + 1).toBe(2000);
          break;
        }
      }
    }
    expect(falls).toBeGreaterThan(0);
  });
});

describe('BipedalWalker-v3: ends of the course', () => {
  /** The walker placed elsewhere on the course (a test seam; the env itself starts on the pad). */
  class PlacedWalker extends BipedalWalkerEnv {
    constructor(private readonly x: number) {
      super();
    }
    protected override startPosition(): [number, number] {
      return [this.x, TERRAIN.HEIGHT + 2 * C.LEG_H];
    }
  }
  const END = (TERRAIN.LENGTH - TERRAIN.GRASS) * STEP;

  it('terminates without the -100 penalty past point 190 (success)', () => {
    for (let seed = 0; seed < 5; seed++) {
      const env = new PlacedWalker(END + 0.05);
      env.reset({ seed });
      const r = env.step(new Float64Array(4));
      expect(env.bodies()[0].x).toBeGreaterThan(END);
      expect(r.terminated).toBe(true);
      expect(Math.abs(r.reward)).toBeLessThan(5);
    }
    const before = new PlacedWalker(END - 1);
    before.reset({ seed: 0 });
    expect(before.step(new Float64Array(4)).terminated).toBe(false);
  });

  it('terminates with -100 behind the start (x < 0)', () => {
    const env = new PlacedWalker(-0.05);
    env.reset({ seed: 0 });
    const r = env.step(new Float64Array(4));
    expect(env.bodies()[0].x).toBeLessThan(0);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(-100);
  });
});

describe('BipedalWalker-v3: drawing', () => {
  it('outlines the bodies where the physics has them: feet on the start pad, hull above it, joints joined', () => {
    const env = new BipedalWalkerEnv();
    env.reset({ seed: 2 });
    // Gymnasium builds the legs 16 px off their hip anchors; let the joints pull them in.
    for (let t = 0; t < 30; t++) env.step(new Float64Array(4));
    const d = env.drawing();
    expect([env.legContact[1], env.legContact[3]]).toEqual([true, true]);
    expect(d.bodies.map((b) => b.name)).toEqual(['hull', 'upperLeg0', 'lowerLeg0', 'upperLeg1', 'lowerLeg1']);
    const minY = (p: [number, number][]): number => Math.min(...p.map((v) => v[1]));
    // Both feet touch the ground (contact flags set): their lowest corner is within the polygon skin (0.01 m) of it.
    for (const foot of [d.bodies[2], d.bodies[4]]) expect(Math.abs(minY(foot.polygon) - TERRAIN.HEIGHT)).toBeLessThan(0.02);
    expect(minY(d.bodies[0].polygon)).toBeGreaterThan(TERRAIN.HEIGHT + 0.5);
    // Each knee: the bottom edge's midpoint of the upper leg meets the top edge's midpoint of the lower leg.
    for (const [up, low] of [[1, 2], [3, 4]]) {
      const u = d.bodies[up].polygon;
      const l = d.bodies[low].polygon;
      const bottom = [(u[0][0] + u[1][0]) / 2, (u[0][1] + u[1][1]) / 2];
      const top = [(l[2][0] + l[3][0]) / 2, (l[2][1] + l[3][1]) / 2];
      expect(Math.hypot(bottom[0] - top[0], bottom[1] - top[1])).toBeLessThan(0.01);
    }
    expect(d.terrain).toHaveLength(200);
    expect(d.lidar).toHaveLength(10);
  });
});
