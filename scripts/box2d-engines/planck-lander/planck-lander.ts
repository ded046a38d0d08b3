/**
 * LunarLander-v3 / LunarLanderContinuous-v3 on planck 1.4.2 (a JavaScript rewrite of Box2D 2.3,
 * float64) instead of box2d-wasm (Box2D 2.4.1, float32): a line-by-line port of
 * src/envs/box2d/lunar-lander.ts (same constants, terrain, legs, joints, engine impulses,
 * dispersion, shaping, termination, observation and seeding through the same base class and
 * generator), so that the physics engine is the only difference. Wind is ported too.
 *
 * planck is not a dependency of this package: install it first (`npm install --no-save
 * planck@1.4.2`, as for ../planck-bench.mjs) or point PLANCK_PATH at an installed copy. `registerPlanckLanders()` registers the ids
 * PlanckLunarLander-v3 and PlanckLunarLanderContinuous-v3 (1000-step time limit).
 */
import { createRequire } from 'node:module';
import { float32Obs } from '../../../src/envs/base-env.js';
import { Box2DEnv } from '../../../src/envs/box2d/box2d-env.js';
import { LUNAR_LANDER, windMagnitude, type LanderEngines, type LunarLanderOptions } from '../../../src/envs/box2d/lunar-lander.js';
import { register } from '../../../src/envs/index.js';
import { Box, Discrete } from '../../../src/envs/spaces.js';

export const PLANCK_PATH = process.env.PLANCK_PATH ?? 'planck';
/* eslint-disable @typescript-eslint/no-explicit-any -- planck's types are not installed with this package */
/** planck's module, and the planck objects used here (untyped: planck is an optional diagnostic dependency). */
const pl: any = createRequire(import.meta.url)(PLANCK_PATH);
type PlVec2 = any;
type PlWorld = any;
type PlBody = any;

const C = LUNAR_LANDER;
const W = C.VIEWPORT_W / C.SCALE;
const H = C.VIEWPORT_H / C.SCALE;
const V = (x: number, y: number): PlVec2 => pl.Vec2(x, y);

/** Counters over the env's life (diagnostics for the engine comparison). */
export interface PlanckLanderCounts {
  episodes: number;
  /** Episodes ended by the lander falling asleep (+100). */
  rest: number;
  /** Episodes ended by body contact or |x| >= 1 (-100). */
  crash: number;
  /** Leg begin-contact events (a leg touching down, also after bouncing off). */
  legBegins: number;
  /** Leg end-contact events. */
  legEnds: number;
}

/** LunarLanderEnv's rules on planck (see the file comment). */
export class PlanckLunarLanderEnv extends Box2DEnv<number | Float64Array> {
  readonly id: string;
  readonly observationSpace = new Box(
    [-2.5, -2.5, -10, -10, -2 * Math.PI, -10, -0, -0],
    [2.5, 2.5, 10, 10, 2 * Math.PI, 10, 1, 1],
    [8],
    'float32',
  );
  readonly actionSpace: Box | Discrete;
  readonly continuous: boolean;
  readonly gravity: number;
  readonly enableWind: boolean;
  readonly windPower: number;
  readonly turbulencePower: number;

  private world: PlWorld | null = null;
  private lander!: PlBody;
  private legs!: [PlBody, PlBody];
  readonly legContact: [boolean, boolean] = [false, false];
  private gameOver = false;
  private prevShaping: number | null = null;
  private windIdx = 0;
  private torqueIdx = 0;
  private helipadY = H / 4;
  engines: LanderEngines = { mainPower: 0, sidePower: 0, sideDirection: 0 };
  readonly counts: PlanckLanderCounts = { episodes: 0, rest: 0, crash: 0, legBegins: 0, legEnds: 0 };

  constructor(options: LunarLanderOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError(`PlanckLunarLander-v3: options must be an object, got ${String(options)}`);
    this.continuous = options.continuous ?? false;
    this.id = this.continuous ? 'PlanckLunarLanderContinuous-v3' : 'PlanckLunarLander-v3';
    this.gravity = options.gravity ?? -10;
    if (!(this.gravity > -12 && this.gravity < 0)) throw new RangeError(`${this.id}: gravity must be in (-12, 0), got ${this.gravity}`);
    this.enableWind = options.enableWind ?? false;
    this.windPower = options.windPower ?? 15;
    this.turbulencePower = options.turbulencePower ?? 1.5;
    this.actionSpace = this.continuous ? new Box(-1, 1, [2], 'float32') : new Discrete(4);
  }

  /** Lander and leg poses (like LunarLanderEnv.bodies()). */
  bodies(): { x: number; y: number; angle: number; vx: number; vy: number; omega: number; awake: boolean }[] {
    if (!this.world) return [];
    return [this.lander, ...this.legs].map((b) => {
      const p = b.getPosition();
      const v = b.getLinearVelocity();
      return { x: p.x, y: p.y, angle: b.getAngle(), vx: v.x, vy: v.y, omega: b.getAngularVelocity(), awake: b.isAwake() };
    });
  }

  get bodyContact(): boolean {
    return this.gameOver;
  }

  protected destroyWorld(): void {
    this.world = null;
  }

  protected buildEpisode(): void {
    this.destroyWorld();
    const world = new pl.World({ gravity: V(0, this.gravity) });
    this.world = world;
    this.gameOver = false;
    this.prevShaping = null;
    this.legContact[0] = this.legContact[1] = false;
    this.counts.episodes++;

    // Terrain.
    const n = C.CHUNKS;
    const height = Array.from({ length: n + 1 }, () => this.rng.uniformRange(0, H / 2));
    const chunkX = Array.from({ length: n }, (_, i) => (W / (n - 1)) * i);
    this.helipadY = H / 4;
    for (let k = -2; k <= 2; k++) height[Math.floor(n / 2) + k] = this.helipadY;
    const smoothY = chunkX.map((_, i) => 0.33 * (height[i === 0 ? n : i - 1] + height[i] + height[i + 1]));
    const moon = world.createBody({ type: 'static' });
    moon.createFixture(new pl.Edge(V(0, 0), V(W, 0)), { density: 0, friction: 0.2, restitution: 0 });
    for (let i = 0; i < n - 1; i++) {
      moon.createFixture(new pl.Edge(V(chunkX[i], smoothY[i]), V(chunkX[i + 1], smoothY[i + 1])), { density: 0, friction: 0.1, restitution: 0 });
    }

    // Lander.
    const x0 = W / 2;
    const y0 = H;
    this.lander = world.createBody({ type: 'dynamic', position: V(x0, y0), angle: 0 });
    this.lander.createFixture(new pl.Polygon(C.LANDER_POLY.map(([x, y]) => V(x / C.SCALE, y / C.SCALE))), {
      density: 5.0, friction: 0.1, restitution: 0, filterCategoryBits: 0x0010, filterMaskBits: 0x001,
    });
    const fx = this.rng.uniformRange(-C.INITIAL_RANDOM, C.INITIAL_RANDOM);
    const fy = this.rng.uniformRange(-C.INITIAL_RANDOM, C.INITIAL_RANDOM);
    this.lander.applyForceToCenter(V(fx, fy), true);
    if (this.enableWind) {
      this.windIdx = -9999 + this.rng.integer(2 * 9999);
      this.torqueIdx = -9999 + this.rng.integer(2 * 9999);
    }

    // Legs.
    const legs: PlBody[] = [];
    for (const i of [-1, 1]) {
      const leg = world.createBody({ type: 'dynamic', position: V(x0 - (i * C.LEG_AWAY) / C.SCALE, y0), angle: i * 0.05 });
      leg.createFixture(new pl.Box(C.LEG_W / C.SCALE, C.LEG_H / C.SCALE), { density: 1.0, friction: 0.2, restitution: 0, filterCategoryBits: 0x0020, filterMaskBits: 0x001 });
      world.createJoint(new pl.RevoluteJoint({
        bodyA: this.lander, bodyB: leg, localAnchorA: V(0, 0), localAnchorB: V((i * C.LEG_AWAY) / C.SCALE, C.LEG_DOWN / C.SCALE),
        referenceAngle: 0, enableMotor: true, enableLimit: true,
        maxMotorTorque: C.LEG_SPRING_TORQUE, motorSpeed: 0.3 * i,
        lowerAngle: i === -1 ? 0.9 - 0.5 : -0.9, upperAngle: i === -1 ? 0.9 : -0.9 + 0.5,
      }));
      legs.push(leg);
    }
    this.legs = [legs[0], legs[1]];
    world.on('begin-contact', (c: any) => this.contact(c.getFixtureA().getBody(), c.getFixtureB().getBody(), true));
    world.on('end-contact', (c: any) => this.contact(c.getFixtureA().getBody(), c.getFixtureB().getBody(), false));

    this.simulate(this.continuous ? new Float64Array(2) : 0);
  }

  private contact(a: PlBody, b: PlBody, begin: boolean): void {
    if (begin && (a === this.lander || b === this.lander)) this.gameOver = true;
    for (let k = 0; k < 2; k++) {
      if (a === this.legs[k] || b === this.legs[k]) {
        this.legContact[k] = begin;
        if (begin) this.counts.legBegins++;
        else this.counts.legEnds++;
      }
    }
  }

  protected simulate(action: number | Float64Array): { reward: number; terminated: boolean } {
    const lander = this.lander;
    if (this.enableWind && !(this.legContact[0] || this.legContact[1])) {
      lander.applyForceToCenter(V(windMagnitude(this.windIdx, this.windPower), 0), true);
      this.windIdx += 1;
      lander.applyTorque(windMagnitude(this.torqueIdx, this.turbulencePower), true);
      this.torqueIdx += 1;
    }

    const angle = lander.getAngle();
    const tip = [Math.sin(angle), Math.cos(angle)];
    const side = [-tip[1], tip[0]];
    const dispersion = [this.rng.uniformRange(-1, 1) / C.SCALE, this.rng.uniformRange(-1, 1) / C.SCALE];
    const pos = lander.getPosition();
    const px = pos.x;
    const py = pos.y;

    let mPower = 0;
    const a = action;
    if (typeof a === 'number' ? a === 2 : a[0] > 0) {
      mPower = typeof a === 'number' ? 1.0 : (Math.min(Math.max(a[0], 0), 1) + 1) * 0.5;
      const along = C.MAIN_ENGINE_Y_LOCATION / C.SCALE + 2 * dispersion[0];
      const ox = tip[0] * along + side[0] * dispersion[1];
      const oy = -tip[1] * along - side[1] * dispersion[1];
      const k = C.MAIN_ENGINE_POWER * mPower;
      lander.applyLinearImpulse(V(-ox * k, -oy * k), V(px + ox, py + oy), true);
    }

    let sPower = 0;
    let direction = 0;
    if (typeof a === 'number' ? a === 1 || a === 3 : Math.abs(a[1]) > 0.5) {
      if (typeof a === 'number') {
        direction = a - 2;
        sPower = 1.0;
      } else {
        direction = Math.sign(a[1]);
        sPower = Math.min(Math.max(Math.abs(a[1]), 0.5), 1);
      }
      const across = 3 * dispersion[1] + (direction * C.SIDE_ENGINE_AWAY) / C.SCALE;
      const ox = tip[0] * dispersion[0] + side[0] * across;
      const oy = -tip[1] * dispersion[0] - side[1] * across;
      const k = C.SIDE_ENGINE_POWER * sPower;
      const ix = px + ox - (tip[0] * C.SIDE_ENGINE_X_OFFSET) / C.SCALE;
      const iy = py + oy + (tip[1] * C.SIDE_ENGINE_HEIGHT) / C.SCALE;
      lander.applyLinearImpulse(V(-ox * k, -oy * k), V(ix, iy), true);
    }
    this.engines = { mainPower: mPower, sidePower: sPower, sideDirection: direction };

    this.world!.step(1.0 / C.FPS, C.VELOCITY_ITERATIONS, C.POSITION_ITERATIONS);

    const s = this.rawState();
    const shaping = -100 * Math.hypot(s[0], s[1]) - 100 * Math.hypot(s[2], s[3]) - 100 * Math.abs(s[4]) + 10 * s[6] + 10 * s[7];
    let reward = this.prevShaping === null ? 0 : shaping - this.prevShaping;
    this.prevShaping = shaping;
    reward -= mPower * 0.3;
    reward -= sPower * 0.03;
    let terminated = false;
    if (this.gameOver || Math.abs(s[0]) >= 1.0) {
      terminated = true;
      reward = -100;
    }
    if (!lander.isAwake()) {
      terminated = true;
      reward = +100;
    }
    if (terminated) {
      if (reward === 100) this.counts.rest++;
      else this.counts.crash++;
    }
    return { reward, terminated };
  }

  private rawState(): number[] {
    const pos = this.lander.getPosition();
    const vel = this.lander.getLinearVelocity();
    return [
      (pos.x - W / 2) / (W / 2),
      (pos.y - (this.helipadY + C.LEG_DOWN / C.SCALE)) / (H / 2),
      (vel.x * (W / 2)) / C.FPS,
      (vel.y * (H / 2)) / C.FPS,
      this.lander.getAngle(),
      (20.0 * this.lander.getAngularVelocity()) / C.FPS,
      this.legContact[0] ? 1.0 : 0.0,
      this.legContact[1] ? 1.0 : 0.0,
    ];
  }

  protected observe(): Float64Array {
    return float32Obs(this.rawState());
  }
}

/** The planck landers' ids. */
export const PLANCK_IDS = { 'LunarLander-v3': 'PlanckLunarLander-v3', 'LunarLanderContinuous-v3': 'PlanckLunarLanderContinuous-v3' } as const;

/** Register PlanckLunarLander-v3 and PlanckLunarLanderContinuous-v3 (1000-step time limit, like the originals). */
export function registerPlanckLanders(): void {
  register(PLANCK_IDS['LunarLander-v3'], PlanckLunarLanderEnv, { maxEpisodeSteps: 1000, overwrite: true });
  register(PLANCK_IDS['LunarLanderContinuous-v3'], (o: Record<string, unknown> = {}) => new PlanckLunarLanderEnv({ ...o, continuous: true }), { maxEpisodeSteps: 1000, overwrite: true });
}
