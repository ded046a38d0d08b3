/**
 * The Box2D replay recorder: the frames' poses with the scene's body-frame outlines give back the
 * env's own world-space drawing at every step, the engines and lidar ends are those of the env,
 * and the scene holds the env's terrain, helipad and obstacles.
 */
import { describe, expect, it } from 'vitest';
import type { BipedalWalkerEnv } from '../src/envs/box2d/bipedal-walker.js';
import type { LunarLanderEnv } from '../src/envs/box2d/lunar-lander.js';
import { make } from '../src/envs/registry.js';
import { Box2DFrameRecorder, isBox2DReplay } from '../src/report/box2d-replay.js';
import { Random } from '../src/random.js';

function worldOutline(frame: number[], b: number, local: [number, number][]): [number, number][] {
  const [x, y, a] = frame.slice(3 * b, 3 * b + 3);
  return local.map(([lx, ly]) => [x + Math.cos(a) * lx - Math.sin(a) * ly, y + Math.sin(a) * lx + Math.cos(a) * ly]);
}

describe('Box2DFrameRecorder', () => {
  it('knows the four Box2D ids and refuses other envs', () => {
    for (const id of ['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3', 'BipedalWalkerHardcore-v3']) expect(isBox2DReplay(id)).toBe(true);
    expect(isBox2DReplay('CartPole-v1')).toBe(false);
    expect(() => new Box2DFrameRecorder(make('CartPole-v1'), 'CartPole-v1')).toThrow(/CartPole-v1 is not a LunarLander or BipedalWalker env/);
  });

  it.each(['LunarLanderContinuous-v3', 'BipedalWalkerHardcore-v3'])('%s: poses + outlines = the env\'s drawing, every step', (id) => {
    const env = make(id);
    const inner = env.unwrapped as LunarLanderEnv | BipedalWalkerEnv;
    const rec = new Box2DFrameRecorder(env, id);
    env.reset({ seed: 4 });
    rec.capture();
    const rng = new Random(1);
    const lander = id.startsWith('Lunar');
    const drawings = [inner.drawing()];
    for (let t = 0; t < 60; t++) {
      const a = Float64Array.from({ length: lander ? 2 : 4 }, () => rng.uniformRange(-1, 1));
      const r = env.step(a);
      rec.capture();
      drawings.push(inner.drawing());
      if (r.terminated || r.truncated) break;
    }
    const scene = rec.scene;
    expect(rec.frames.length).toBe(drawings.length);
    expect(scene.extras).toBe(lander ? 'engines' : 'lidar');
    for (const [f, d] of drawings.entries()) {
      const frame = rec.frames[f];
      d.bodies.forEach((body, b) => {
        expect(scene.bodies[b].name).toBe(body.name);
        const got = worldOutline(frame, b, scene.bodies[b].polygon);
        for (const [k, [x, y]] of body.polygon.entries()) {
          expect(Math.abs(got[k][0] - x)).toBeLessThan(2e-4);
          expect(Math.abs(got[k][1] - y)).toBeLessThan(2e-4);
        }
      });
      const extras = frame.slice(3 * d.bodies.length);
      if ('engines' in d) {
        expect(extras[0]).toBeCloseTo(d.engines.mainPower, 3);
        expect(extras[1]).toBeCloseTo(d.engines.sidePower, 3);
        expect(extras[2]).toBe(d.engines.sideDirection);
      } else {
        expect(extras.length).toBe(20);
        d.lidar.forEach((ray, i) => {
          expect(extras[2 * i]).toBeCloseTo(ray.to[0], 3);
          expect(extras[2 * i + 1]).toBeCloseTo(ray.to[1], 3);
        });
      }
    }
    const d0 = drawings[0];
    expect(scene.terrain.length).toBe(d0.terrain.length);
    if ('helipad' in d0) {
      expect(scene.helipad).toEqual(d0.helipad);
      expect(lander && rec.frames.some((fr) => fr[9] > 0 || fr[10] > 0), 'an engine fired').toBe(true);
    } else {
      expect(scene.helipad).toBeNull();
      expect(scene.obstacles.length).toBe(d0.obstacles.length);
      expect(scene.obstacles.length).toBeGreaterThan(0);
    }
    env.close();
  });
});
