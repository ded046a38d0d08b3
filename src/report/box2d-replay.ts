/**
 * Records a Box2D env's drawing frame by frame for the report's replay (client-box2d.ts), from
 * the envs' public `bodies()` poses and `drawing()` outlines: the static scene (terrain, helipad,
 * obstacles, each body's outline in its own frame) once, and per frame every body's pose plus the
 * engines (LunarLander: main throttle, side throttle, side direction) or the lidar rays' end
 * points (BipedalWalker; they start at the hull). Poses are rounded to 0.1 mm / 1e-4 rad and
 * lidar ends to 1 mm: a 1000-step walker episode is about 250 KB of replay.json.
 */
import { BipedalWalkerEnv } from '../envs/box2d/bipedal-walker.js';
import type { Point } from '../envs/box2d/drawing.js';
import { LunarLanderEnv } from '../envs/box2d/lunar-lander.js';
import type { AnyEnv } from '../envs/env.js';
import { Wrapper } from '../envs/wrappers/wrapper.js';

export interface Box2DSceneBody {
  name: string;
  /** The outline in the body's frame (metres): world = (x, y) + R(angle) local. */
  polygon: Point[];
}

export interface Box2DScene {
  env: 'lunarlander' | 'bipedalwalker';
  /** The world's viewport in metres (Gymnasium's 600 x 400 px at 30 px/m). */
  viewport: [number, number];
  /** The ground polyline, left to right. */
  terrain: Point[];
  /** LunarLander: the landing pad between the flags. */
  helipad: { x1: number; x2: number; y: number } | null;
  /** BipedalWalker: stumps, stair steps and pit walls (hardcore). */
  obstacles: Point[][];
  bodies: Box2DSceneBody[];
  /**
   * What follows the 3 x bodies.length pose numbers (x, y, angle) of a frame: 'engines' (main
   * throttle, side throttle, side direction) or 'lidar' (x, y of each ray's end).
   */
  extras: 'engines' | 'lidar';
}

/** The Box2D env ids the report draws. */
export const BOX2D_REPLAY_IDS: readonly string[] = Object.freeze(['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3', 'BipedalWalkerHardcore-v3']);

export function isBox2DReplay(envId: string): boolean {
  return BOX2D_REPLAY_IDS.includes(envId);
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Collects the scene at the first `capture()` (after reset) and one frame per call. */
export class Box2DFrameRecorder {
  readonly frames: number[][] = [];
  private sceneData: Box2DScene | null = null;
  private readonly env: LunarLanderEnv | BipedalWalkerEnv;

  constructor(env: AnyEnv, envId: string) {
    const inner = env instanceof Wrapper ? env.unwrapped : env;
    if (!(inner instanceof LunarLanderEnv) && !(inner instanceof BipedalWalkerEnv)) {
      throw new TypeError(`Box2DFrameRecorder: ${envId} is not a LunarLander or BipedalWalker env (known: ${BOX2D_REPLAY_IDS.join(', ')})`);
    }
    this.env = inner;
  }

  /** The static scene (available after the first capture). */
  get scene(): Box2DScene {
    if (!this.sceneData) throw new Error('Box2DFrameRecorder: capture() the reset frame first');
    return this.sceneData;
  }

  capture(): void {
    const poses = this.env.bodies();
    const d = this.env.drawing();
    if (!this.sceneData) this.sceneData = this.sceneOf(poses, d.bodies);
    const frame: number[] = [];
    for (const p of poses) frame.push(round(p.x, 4), round(p.y, 4), round(p.angle, 4));
    if ('engines' in d) frame.push(round(d.engines.mainPower, 3), round(d.engines.sidePower, 3), d.engines.sideDirection);
    else for (const ray of d.lidar) frame.push(round(ray.to[0], 3), round(ray.to[1], 3));
    this.frames.push(frame);
  }

  private sceneOf(poses: { x: number; y: number; angle: number }[], outlines: { name: string; polygon: Point[] }[]): Box2DScene {
    const lander = this.env instanceof LunarLanderEnv;
    const d = this.env.drawing();
    // Each outline back in its body's frame: local = R(-angle) (world - (x, y)).
    const bodies = outlines.map((o, i) => {
      const { x, y, angle } = poses[i];
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      return { name: o.name, polygon: o.polygon.map(([wx, wy]) => [round(c * (wx - x) + s * (wy - y), 5), round(-s * (wx - x) + c * (wy - y), 5)] as Point) };
    });
    return {
      env: lander ? 'lunarlander' : 'bipedalwalker',
      viewport: [600 / 30, 400 / 30],
      terrain: d.terrain.map(([x, y]) => [round(x, 4), round(y, 4)] as Point),
      helipad: 'helipad' in d ? { ...d.helipad } : null,
      obstacles: 'obstacles' in d ? d.obstacles.map((poly) => poly.map(([x, y]) => [round(x, 4), round(y, 4)] as Point)) : [],
      bodies,
      extras: lander ? 'engines' : 'lidar',
    };
  }
}
