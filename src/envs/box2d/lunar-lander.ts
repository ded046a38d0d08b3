import { float32Obs } from '../base-env.js';
import { Box, Discrete } from '../spaces.js';
import { Box2DEnv } from './box2d-env.js';
import { boxCorners, toWorld, type BodyOutline, type Point } from './drawing.js';
import { B2Builder, type B2Body, type B2World } from './engine.js';

/** Options of `LunarLanderEnv` (Gymnasium's constructor arguments in camelCase). */
export interface LunarLanderOptions {
  /** Box(-1, 1, (2,)) actions instead of Discrete(4) (default false). */
  continuous?: boolean;
  /** Gravity in m/s², in (-12, 0) (default -10). */
  gravity?: number;
  /** Apply wind and turbulence while no leg touches the ground (default false). */
  enableWind?: boolean;
  /** Peak wind force (default 15; Gymnasium recommends 0..20). */
  windPower?: number;
  /** Peak turbulence torque (default 1.5; Gymnasium recommends 0..2). */
  turbulencePower?: number;
}

/** Gymnasium LunarLander-v3's constants (lengths in pixels are divided by SCALE). */
export const LUNAR_LANDER = Object.freeze({
  FPS: 50,
  SCALE: 30.0,
  MAIN_ENGINE_POWER: 13.0,
  SIDE_ENGINE_POWER: 0.6,
  INITIAL_RANDOM: 1000.0,
  LANDER_POLY: Object.freeze([[-14, 17], [-17, 0], [-17, -10], [17, -10], [17, 0], [14, 17]] as const),
  LEG_AWAY: 20,
  LEG_DOWN: 18,
  LEG_W: 2,
  LEG_H: 8,
  LEG_SPRING_TORQUE: 40,
  SIDE_ENGINE_HEIGHT: 14,
  /** Gymnasium applies the side impulse 17 px to the side (along the body's x), not SIDE_ENGINE_HEIGHT. */
  SIDE_ENGINE_X_OFFSET: 17,
  SIDE_ENGINE_AWAY: 12,
  MAIN_ENGINE_Y_LOCATION: 4,
  VIEWPORT_W: 600,
  VIEWPORT_H: 400,
  CHUNKS: 11,
  VELOCITY_ITERATIONS: 6 * 30,
  POSITION_ITERATIONS: 2 * 30,
});

const C = LUNAR_LANDER;
const W = C.VIEWPORT_W / C.SCALE;
const H = C.VIEWPORT_H / C.SCALE;

/** What was fired in the last step (for drawing flames and for tests). */
export interface LanderEngines {
  /** Main engine throttle: 0 (off) or 0.5..1. */
  mainPower: number;
  /** Side engine throttle: 0 (off) or 0.5..1. */
  sidePower: number;
  /**
   * -1 (action 1, Gymnasium's "left orientation engine"): the impulse acts on the lander's right
   * side, pushing it left and turning it counter-clockwise; +1 (action 3): mirrored; 0: off.
   */
  sideDirection: number;
}

/** Wind force along x and turbulence torque: tanh(sin(0.02 k) + sin(0.01 π k)) scaled by the power (Gymnasium's formula). */
export function windMagnitude(index: number, power: number): number {
  return Math.tanh(Math.sin(0.02 * index) + Math.sin(Math.PI * 0.01 * index)) * power;
}

/**
 * LunarLander-v3 (Gymnasium 1.x rules, own implementation on Box2D 2.4.1):
 *
 * - Terrain: 11 chunk points over the 20 m wide viewport with heights U(0, H/2) (12 draws), the
 *   five middle ones set to the helipad height H/4, smoothed as 0.33 (h[i-1] + h[i] + h[i+1])
 *   (h[-1] is the extra 12th draw); a floor edge (friction 0.2) plus 10 edges (friction 0.1).
 * - Lander: the 6-vertex polygon (density 5, friction 0.1) at (W/2, H), pushed on reset by a
 *   force of U(±1000) per axis; two 4×16 px legs (half-sizes LEG_W × LEG_H, density 1) at ±20 px
 *   (legs[0] at +20 px), angled ±0.05 rad, on
 *   revolute joints with motors (max torque 40, speed ±0.3) and limits [0.4, 0.9] / [−0.9, −0.4].
 *   Lander and legs collide only with the ground.
 * - Engines: each step draws two dispersions U(−1, 1)/SCALE. Main engine (action 2, or
 *   continuous a0 > 0 with throttle (clip(a0, 0, 1) + 1)/2): impulse 13·throttle along the body's
 *   −y axis applied 4 px below the centre (+ dispersion); side engines (actions 1/3, or |a1| > 0.5
 *   with throttle clip(|a1|, 0.5, 1) and direction sign(a1)): impulse 0.6·throttle sideways,
 *   applied 12 px out and (17, 14) px from the centre. The impulses act on the lander only.
 *   Gymnasium's particles are decoration (created only when rendering; they collide with the
 *   ground and never with the lander), so none are simulated here.
 * - Wind (enableWind): while neither leg touches the ground, a force windMagnitude(k, windPower)
 *   along x and a torque windMagnitude(j, turbulencePower), k and j advancing by 1 per step from
 *   integers drawn in [−9999, 9999) at reset.
 * - Step 1/50 s with 180 velocity and 60 position iterations. Observation (float32): x, y
 *   relative to the helipad, scaled velocities, angle, 20·ω/FPS, the two leg-contact flags
 *   (set by Box2D's begin-contact and cleared by its end-contact events).
 * - Reward: the change of shaping −100‖(x, y)‖ − 100‖(vx, vy)‖ − 100|θ| + 10 (leg1 + leg2), minus
 *   0.3 per main-engine throttle and 0.03 per side throttle; −100 and termination when the lander
 *   body touches the ground or |x| ≥ 1; +100 and termination when the body sleeps (not awake).
 * - `reset` takes one no-op step, as Gymnasium does. `make` adds a 1000-step time limit.
 */
export class LunarLanderEnv extends Box2DEnv<number | Float64Array> {
  readonly id: string;
  readonly observationSpace = new Box(
    [-2.5, -2.5, -10, -10, -2 * Math.PI, -10, -0, -0],
    [2.5, 2.5, 10, 10, 2 * Math.PI, 10, 1, 1],
    [8],
    'float32',
  );
  readonly actionSpace: Box | Discrete;
  /** Box(-1, 1, (2,)) actions (main, lateral) instead of Discrete(4). */
  readonly continuous: boolean;
  /** Gravity, m/s² (negative). */
  readonly gravity: number;
  /** Whether wind and turbulence act while no leg touches the ground. */
  readonly enableWind: boolean;
  /** Peak wind force. */
  readonly windPower: number;
  /** Peak turbulence torque. */
  readonly turbulencePower: number;

  private readonly b2 = new B2Builder();
  private world: B2World | null = null;
  private listener: { __destroy__(): void } | null = null;
  private lander!: B2Body;
  private legs!: [B2Body, B2Body];
  private landerPtr = 0;
  private legPtrs: [number, number] = [0, 0];
  /** Leg ground-contact flags (Gymnasium's `leg.ground_contact`). */
  readonly legContact: [boolean, boolean] = [false, false];
  private gameOver = false;
  private prevShaping: number | null = null;
  private windIdx = 0;
  private torqueIdx = 0;
  private helipadY = H / 4;
  private terrain: [number, number][] = [];
  /** Engines fired in the last step. */
  engines: LanderEngines = { mainPower: 0, sidePower: 0, sideDirection: 0 };

  /** @throws TypeError when options is not an object; RangeError for a gravity outside (−12, 0). */
  constructor(options: LunarLanderOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError(`LunarLander-v3: options must be an object, got ${String(options)}`);
    this.continuous = flag(options.continuous, 'continuous', false);
    this.id = this.continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
    this.gravity = finite(options.gravity, 'gravity', -10, this.id);
    if (!(this.gravity > -12 && this.gravity < 0)) throw new RangeError(`${this.id}: gravity must be in (-12, 0), got ${this.gravity}`);
    this.enableWind = flag(options.enableWind, 'enableWind', false);
    this.windPower = finite(options.windPower, 'windPower', 15, this.id);
    this.turbulencePower = finite(options.turbulencePower, 'turbulencePower', 1.5, this.id);
    if (this.windPower < 0 || this.windPower > 20) console.warn(`${this.id}: windPower ${this.windPower} is outside the recommended range [0, 20]`);
    if (this.turbulencePower < 0 || this.turbulencePower > 2) console.warn(`${this.id}: turbulencePower ${this.turbulencePower} is outside the recommended range [0, 2]`);
    this.actionSpace = this.continuous ? new Box(-1, 1, [2], 'float32') : new Discrete(4);
  }

  /** Whether the lander body (not a leg) has touched the ground this episode (Gymnasium's `game_over`). */
  get bodyContact(): boolean {
    return this.gameOver;
  }

  /** The wind and turbulence indices k and j (advance by one per step with wind applied). */
  get windIndices(): {
    /** Wind index k. */
    wind: number;
    /** Turbulence index j. */
    torque: number;
  } {
    return { wind: this.windIdx, torque: this.torqueIdx };
  }

  /** The ground polyline (11 points, metres). */
  get terrainPoints(): [number, number][] {
    return this.terrain.map((p) => [p[0], p[1]]);
  }

  /** Helipad: x from x1 to x2 at height y (metres). */
  get helipad(): {
    /** Left end, m. */
    x1: number;
    /** Right end, m. */
    x2: number;
    /** Height, m. */
    y: number;
  } {
    return { x1: (W / (C.CHUNKS - 1)) * (Math.floor(C.CHUNKS / 2) - 1), x2: (W / (C.CHUNKS - 1)) * (Math.floor(C.CHUNKS / 2) + 1), y: this.helipadY };
  }

  /** Lander and leg poses: position (m), angle (rad), velocity, awake flag. */
  bodies(): {
    /** Position x, m. */
    x: number;
    /** Position y, m. */
    y: number;
    /** Angle, rad. */
    angle: number;
    /** Velocity x, m/s. */
    vx: number;
    /** Velocity y, m/s. */
    vy: number;
    /** Angular velocity, rad/s. */
    omega: number;
    /** Whether Box2D keeps the body awake (a lander at rest falls asleep and the episode ends). */
    awake: boolean;
  }[] {
    if (!this.world) return [];
    return [this.lander, ...this.legs].map((b) => {
      const p = b.GetPosition();
      const v = b.GetLinearVelocity();
      return { x: p.get_x(), y: p.get_y(), angle: b.GetAngle(), vx: v.get_x(), vy: v.get_y(), omega: b.GetAngularVelocity(), awake: b.IsAwake() };
    });
  }

  /**
   * What a replay draws now: the ground polyline, the helipad, the outlines of the lander and its
   * legs (legs[0] first) and the engines fired in the last step.
   */
  drawing(): {
    /** The ground polyline. */
    terrain: Point[];
    /** The helipad (between the flags). */
    helipad: {
      /** Left end, m. */
      x1: number;
      /** Right end, m. */
      x2: number;
      /** Height, m. */
      y: number;
    };
    /** Outlines of the lander and its legs. */
    bodies: BodyOutline[];
    /** The engines fired in the last step. */
    engines: LanderEngines;
  } {
    const [lander, ...legs] = this.bodies();
    const bodies: BodyOutline[] = lander === undefined ? [] : [
      { name: 'lander', polygon: toWorld(C.LANDER_POLY.map(([x, y]) => [x / C.SCALE, y / C.SCALE]), lander.x, lander.y, lander.angle) },
      ...legs.map((l, i) => ({ name: `leg${i}`, polygon: toWorld(boxCorners(C.LEG_W / C.SCALE, C.LEG_H / C.SCALE), l.x, l.y, l.angle) })),
    ];
    return { terrain: this.terrainPoints, helipad: this.helipad, bodies, engines: { ...this.engines } };
  }

  protected destroyWorld(): void {
    if (this.world) this.b2.b.destroy(this.world);
    if (this.listener) this.b2.b.destroy(this.listener as never);
    this.world = null;
    this.listener = null;
  }

  protected buildEpisode(): void {
    this.destroyWorld();
    const b2 = this.b2;
    const world = b2.world(this.gravity);
    this.world = world;
    this.gameOver = false;
    this.prevShaping = null;
    this.legContact[0] = this.legContact[1] = false;

    // Terrain.
    const n = C.CHUNKS;
    const height = Array.from({ length: n + 1 }, () => this.rng.uniformRange(0, H / 2));
    const chunkX = Array.from({ length: n }, (_, i) => (W / (n - 1)) * i);
    this.helipadY = H / 4;
    for (let k = -2; k <= 2; k++) height[Math.floor(n / 2) + k] = this.helipadY;
    const smoothY = chunkX.map((_, i) => 0.33 * (height[i === 0 ? n : i - 1] + height[i] + height[i + 1]));
    this.terrain = chunkX.map((x, i) => [x, smoothY[i]]);
    const moon = b2.body(world, 'static');
    b2.edge(moon, 0, 0, W, 0);
    for (let i = 0; i < n - 1; i++) b2.edge(moon, chunkX[i], smoothY[i], chunkX[i + 1], smoothY[i + 1], { friction: 0.1 });

    // Lander.
    const x0 = W / 2;
    const y0 = H;
    this.lander = b2.body(world, 'dynamic', x0, y0);
    b2.polygon(this.lander, C.LANDER_POLY.map(([x, y]) => [x / C.SCALE, y / C.SCALE] as [number, number]), {
      density: 5.0, friction: 0.1, restitution: 0, categoryBits: 0x0010, maskBits: 0x001,
    });
    const fx = this.rng.uniformRange(-C.INITIAL_RANDOM, C.INITIAL_RANDOM);
    const fy = this.rng.uniformRange(-C.INITIAL_RANDOM, C.INITIAL_RANDOM);
    this.lander.ApplyForceToCenter(b2.vec(fx, fy), true);
    if (this.enableWind) {
      this.windIdx = -9999 + this.rng.integer(2 * 9999);
      this.torqueIdx = -9999 + this.rng.integer(2 * 9999);
    }

    // Legs.
    const legs: B2Body[] = [];
    for (const i of [-1, 1]) {
      const leg = b2.body(world, 'dynamic', x0 - (i * C.LEG_AWAY) / C.SCALE, y0, i * 0.05);
      b2.box(leg, C.LEG_W / C.SCALE, C.LEG_H / C.SCALE, { density: 1.0, restitution: 0, categoryBits: 0x0020, maskBits: 0x001 });
      b2.revolute(world, {
        bodyA: this.lander, bodyB: leg, anchorA: [0, 0], anchorB: [(i * C.LEG_AWAY) / C.SCALE, C.LEG_DOWN / C.SCALE],
        maxMotorTorque: C.LEG_SPRING_TORQUE, motorSpeed: 0.3 * i,
        lowerAngle: i === -1 ? 0.9 - 0.5 : -0.9, upperAngle: i === -1 ? 0.9 : -0.9 + 0.5,
      });
      legs.push(leg);
    }
    this.legs = [legs[0], legs[1]];
    this.landerPtr = b2.ptr(this.lander);
    this.legPtrs = [b2.ptr(legs[0]), b2.ptr(legs[1])];
    this.listener = b2.contactListener(world, (a, b) => this.contact(a, b, true), (a, b) => this.contact(a, b, false));

    this.simulate(this.continuous ? new Float64Array(2) : 0);
  }

  private contact(a: number, b: number, begin: boolean): void {
    if (begin && (a === this.landerPtr || b === this.landerPtr)) this.gameOver = true;
    for (let k = 0; k < 2; k++) if (a === this.legPtrs[k] || b === this.legPtrs[k]) this.legContact[k] = begin;
  }

  /** @internal */
  protected simulate(action: number | Float64Array): { reward: number; terminated: boolean } {
    const b2 = this.b2;
    const lander = this.lander;
    if (this.enableWind && !(this.legContact[0] || this.legContact[1])) {
      lander.ApplyForceToCenter(b2.vec(windMagnitude(this.windIdx, this.windPower), 0), true);
      this.windIdx += 1;
      lander.ApplyTorque(windMagnitude(this.torqueIdx, this.turbulencePower), true);
      this.torqueIdx += 1;
    }

    const angle = lander.GetAngle();
    const tip = [Math.sin(angle), Math.cos(angle)];
    const side = [-tip[1], tip[0]];
    const dispersion = [this.rng.uniformRange(-1, 1) / C.SCALE, this.rng.uniformRange(-1, 1) / C.SCALE];
    const pos = lander.GetPosition();
    const px = pos.get_x();
    const py = pos.get_y();

    let mPower = 0;
    const a = action;
    if (typeof a === 'number' ? a === 2 : a[0] > 0) {
      mPower = typeof a === 'number' ? 1.0 : (Math.min(Math.max(a[0], 0), 1) + 1) * 0.5;
      const along = C.MAIN_ENGINE_Y_LOCATION / C.SCALE + 2 * dispersion[0];
      const ox = tip[0] * along + side[0] * dispersion[1];
      const oy = -tip[1] * along - side[1] * dispersion[1];
      const k = C.MAIN_ENGINE_POWER * mPower;
      lander.ApplyLinearImpulse(b2.vec(-ox * k, -oy * k, 1), b2.vec(px + ox, py + oy, 2), true);
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
      lander.ApplyLinearImpulse(b2.vec(-ox * k, -oy * k, 1), b2.vec(ix, iy, 2), true);
    }
    this.engines = { mainPower: mPower, sidePower: sPower, sideDirection: direction };

    this.world!.Step(1.0 / C.FPS, C.VELOCITY_ITERATIONS, C.POSITION_ITERATIONS);

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
    if (!lander.IsAwake()) {
      terminated = true;
      reward = +100;
    }
    return { reward, terminated };
  }

  /** The state vector in float64 (before Gymnasium's float32 cast). */
  private rawState(): number[] {
    const pos = this.lander.GetPosition();
    const vel = this.lander.GetLinearVelocity();
    return [
      (pos.get_x() - W / 2) / (W / 2),
      (pos.get_y() - (this.helipadY + C.LEG_DOWN / C.SCALE)) / (H / 2),
      (vel.get_x() * (W / 2)) / C.FPS,
      (vel.get_y() * (H / 2)) / C.FPS,
      this.lander.GetAngle(),
      (20.0 * this.lander.GetAngularVelocity()) / C.FPS,
      this.legContact[0] ? 1.0 : 0.0,
      this.legContact[1] ? 1.0 : 0.0,
    ];
  }

  protected observe(): Float64Array {
    return float32Obs(this.rawState());
  }
}

function flag(v: unknown, name: string, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new TypeError(`LunarLander-v3: ${name} must be a boolean, got ${String(v)}`);
  return v;
}

function finite(v: unknown, name: string, def: number, id: string): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${id}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}
