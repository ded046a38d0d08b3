import { float32Obs } from '../base-env.js';
import { Box } from '../spaces.js';
import { generateBipedalTerrain, generateClouds, TERRAIN, type BipedalTerrain } from './bipedal-terrain.js';
import { Box2DEnv } from './box2d-env.js';
import { boxCorners, toWorld, type BodyOutline, type Point } from './drawing.js';
import { B2Builder, type B2Body, type B2RevoluteJoint, type B2World } from './engine.js';

/** Options of `BipedalWalkerEnv`. */
export interface BipedalWalkerOptions {
  /** Stumps, pits and stairs (BipedalWalkerHardcore-v3); default false. */
  hardcore?: boolean;
}

/** Gymnasium BipedalWalker-v3's constants (pixel lengths divided by SCALE). */
export const BIPEDAL_WALKER = Object.freeze({
  FPS: 50,
  SCALE: 30.0,
  MOTORS_TORQUE: 80,
  SPEED_HIP: 4,
  SPEED_KNEE: 6,
  LIDAR_RANGE: 160 / 30,
  INITIAL_RANDOM: 5,
  HULL_POLY: Object.freeze([[-30, 9], [6, 9], [34, 1], [34, -8], [-30, -8]] as const),
  LEG_DOWN: -8 / 30,
  LEG_W: 8 / 30,
  LEG_H: 34 / 30,
  VIEWPORT_W: 600,
  VIEWPORT_H: 400,
  VELOCITY_ITERATIONS: 6 * 30,
  POSITION_ITERATIONS: 2 * 30,
});

const C = BIPEDAL_WALKER;
/** The walker's fixtures: category 0x20, colliding only with the ground (category 1). */
const WALKER_FILTER = { categoryBits: 0x0020, maskBits: 0x001 } as const;

/** Offset of the end of lidar ray i (0..9) from the hull centre: 160 px at 1.5 i / 10 rad forward of straight down. */
export function lidarDirection(i: number): [number, number] {
  return [Math.sin((1.5 * i) / 10.0) * C.LIDAR_RANGE, -Math.cos((1.5 * i) / 10.0) * C.LIDAR_RANGE];
}

/**
 * BipedalWalker-v3 and BipedalWalkerHardcore-v3 (Gymnasium 1.x rules, own implementation on
 * Box2D 2.4.1):
 *
 * - Course: 200 points 14 px apart (`generateBipedalTerrain`), edges and obstacles with
 *   friction 2.5; the episode ends successfully past point 190.
 * - Walker: the 5-vertex hull (density 5, friction 0.1) at (10 steps, HEIGHT + 2 LEG_H) pushed
 *   on reset by a horizontal force U(−5, 5); per side an upper leg (8×34 px) and a lower leg
 *   (6.4×34 px), density 1, angled ±0.05 rad, on revolute joints: hips at (0, −8 px) of the hull
 *   with limits [−0.8, 1.1], knees with limits [−1.6, −0.1]; all fixtures collide only with the
 *   ground.
 * - Action a ∈ [−1, 1]⁴ (hip, knee, hip, knee; clipped): motor speed SPEED·sign(a) (4 for hips,
 *   6 for knees) with maximum torque 80·|a|. Step 1/50 s, 180 velocity and 60 position
 *   iterations.
 * - Observation (24, float32): hull angle, 2ω/FPS, 0.3·v·(viewport/SCALE)/FPS, per leg hip
 *   angle and speed/4, knee angle + 1 and speed/6, lower-leg contact flag (Box2D begin/end-
 *   contact events); then 10 lidar fractions: rays from the hull centre at angles 1.5 i/10 from
 *   straight down, 160 px long, hitting only ground fixtures (1 when nothing is hit).
 * - Reward: the change of shaping 130 x/SCALE − 5|θ|, minus 0.00035·80·|a_i| per motor;
 *   −100 and termination when the hull touches the ground or x < 0.
 * - `reset` takes one zero-action step, as Gymnasium does. `make` adds a 1600-step time limit
 *   (2000 for hardcore).
 */
export class BipedalWalkerEnv extends Box2DEnv<Float64Array> {
  readonly id: string;
  /** Whether the course has stumps, pits and stairs (BipedalWalkerHardcore-v3). */
  readonly hardcore: boolean;
  readonly actionSpace = new Box(-1, 1, [4], 'float32');
  readonly observationSpace = new Box(
    [-Math.PI, -5, -5, -5, -Math.PI, -5, -Math.PI, -5, -0, -Math.PI, -5, -Math.PI, -5, -0, ...new Array<number>(10).fill(-1)],
    [Math.PI, 5, 5, 5, Math.PI, 5, Math.PI, 5, 5, Math.PI, 5, Math.PI, 5, 5, ...new Array<number>(10).fill(1)],
    [24],
    'float32',
  );

  private readonly b2 = new B2Builder();
  private world: B2World | null = null;
  private listener: { __destroy__(): void } | null = null;
  private rayCallback: InstanceType<B2Builder['b']['JSRayCastCallback']> | null = null;
  private hull!: B2Body;
  /** Upper left, lower left, upper right, lower right (Gymnasium's order). */
  private legs: B2Body[] = [];
  /** Hip left, knee left, hip right, knee right. */
  private joints: B2RevoluteJoint[] = [];
  private hullPtr = 0;
  private legPtrs: number[] = [];
  /** Addresses of the walker's own fixtures (the lidar skips them). */
  private walkerFixtures = new Set<number>();
  /** Ground contact flags of the four leg parts (only the lower ones are observed). */
  readonly legContact: boolean[] = [false, false, false, false];
  private gameOver = false;
  private prevShaping: number | null = null;
  private course: BipedalTerrain = { x: [], y: [], kinds: [], obstacles: [] };
  private clouds: ReturnType<typeof generateClouds> = [];
  private lidarFraction = new Float64Array(10);
  private lidarHit: [number, number][] = [];
  private rayFraction = 1;

  /** @throws TypeError when options is not an object or hardcore is not a boolean. */
  constructor(options: BipedalWalkerOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError(`BipedalWalker-v3: options must be an object, got ${String(options)}`);
    if (options.hardcore !== undefined && typeof options.hardcore !== 'boolean') {
      throw new TypeError(`BipedalWalker-v3: hardcore must be a boolean, got ${String(options.hardcore)}`);
    }
    this.hardcore = options.hardcore ?? false;
    this.id = this.hardcore ? 'BipedalWalkerHardcore-v3' : 'BipedalWalker-v3';
  }

  /** The course of the current episode (copy). */
  get terrain(): BipedalTerrain {
    return structuredClone(this.course);
  }

  /** The decorative clouds of the current episode. */
  get cloudPolygons(): {
    /** The cloud's polygon, m. */
    poly: [number, number][];
    /** Leftmost x, m. */
    x1: number;
    /** Rightmost x, m. */
    x2: number;
  }[] {
    return structuredClone(this.clouds);
  }

  /** The lidar rays of the last step: start (hull centre) and end point (hit or full range), metres. */
  get lidar(): {
    /** Ray start (the hull centre), m. */
    from: [number, number];
    /** Ray end: the hit point, or the end of the full range, m. */
    to: [number, number];
    /** Hit distance as a fraction of the range (1: no hit). */
    fraction: number;
  }[] {
    if (!this.world) return [];
    const p = this.hull.GetPosition();
    return this.lidarHit.map((to, i) => ({ from: [p.get_x(), p.get_y()], to, fraction: this.lidarFraction[i] }));
  }

  /** Hull then the four leg parts: position (m) and angle (rad). */
  bodies(): {
    /** Position x, m. */
    x: number;
    /** Position y, m. */
    y: number;
    /** Angle, rad. */
    angle: number;
  }[] {
    if (!this.world) return [];
    return [this.hull, ...this.legs].map((b) => {
      const p = b.GetPosition();
      return { x: p.get_x(), y: p.get_y(), angle: b.GetAngle() };
    });
  }

  /**
   * What a replay draws now: the ground polyline, the obstacles, the outlines of the hull and the
   * four leg parts (Gymnasium's order) and the lidar rays of the last step.
   */
  drawing(): {
    /** The ground polyline. */
    terrain: Point[];
    /** The hardcore obstacles' polygons. */
    obstacles: Point[][];
    /** Outlines of the hull and the four leg parts. */
    bodies: BodyOutline[];
    /** The lidar rays of the last step. */
    lidar: {
      /** Ray start, m. */
      from: Point;
      /** Ray end, m. */
      to: Point;
    }[];
  } {
    const [hull, ...legs] = this.bodies();
    const names = ['upperLeg0', 'lowerLeg0', 'upperLeg1', 'lowerLeg1'];
    const bodies: BodyOutline[] = hull === undefined ? [] : [
      { name: 'hull', polygon: toWorld(C.HULL_POLY.map(([x, y]) => [x / C.SCALE, y / C.SCALE]), hull.x, hull.y, hull.angle) },
      ...legs.map((l, i) => ({
        name: names[i],
        polygon: toWorld(boxCorners((i % 2 === 0 ? C.LEG_W : 0.8 * C.LEG_W) / 2, C.LEG_H / 2), l.x, l.y, l.angle),
      })),
    ];
    return {
      terrain: this.course.x.map((x, i) => [x, this.course.y[i]]),
      obstacles: structuredClone(this.course.obstacles),
      bodies,
      lidar: this.lidar.map(({ from, to }) => ({ from, to })),
    };
  }

  protected destroyWorld(): void {
    const b = this.b2.b;
    if (this.world) b.destroy(this.world);
    if (this.listener) b.destroy(this.listener as never);
    this.world = null;
    this.listener = null;
  }

  override close(): void {
    super.close();
    if (this.rayCallback) this.b2.b.destroy(this.rayCallback);
    this.rayCallback = null;
  }

  protected buildEpisode(): void {
    this.destroyWorld();
    const b2 = this.b2;
    const world = b2.world(-10);
    this.world = world;
    this.gameOver = false;
    this.prevShaping = null;
    this.legContact.fill(false);

    this.course = generateBipedalTerrain(this.rng, this.hardcore);
    this.clouds = generateClouds(this.rng);
    const ground = { friction: TERRAIN.FRICTION };
    for (const poly of this.course.obstacles) b2.polygon(b2.body(world, 'static'), poly, ground);
    const { x, y } = this.course;
    for (let i = 0; i < TERRAIN.LENGTH - 1; i++) b2.edge(b2.body(world, 'static'), x[i], y[i], x[i + 1], y[i + 1], ground);

    const [initX, initY] = this.startPosition();
    this.hull = b2.body(world, 'dynamic', initX, initY);
    b2.polygon(this.hull, C.HULL_POLY.map(([px, py]) => [px / C.SCALE, py / C.SCALE] as [number, number]), {
      density: 5.0, friction: 0.1, restitution: 0, ...WALKER_FILTER,
    });
    this.hull.ApplyForceToCenter(b2.vec(this.rng.uniformRange(-C.INITIAL_RANDOM, C.INITIAL_RANDOM), 0), true);

    this.legs = [];
    this.joints = [];
    for (const i of [-1, 1]) {
      const leg = b2.body(world, 'dynamic', initX, initY - C.LEG_H / 2 - C.LEG_DOWN, i * 0.05);
      b2.box(leg, C.LEG_W / 2, C.LEG_H / 2, { density: 1.0, restitution: 0, ...WALKER_FILTER });
      this.joints.push(b2.revolute(world, {
        bodyA: this.hull, bodyB: leg, anchorA: [0, C.LEG_DOWN], anchorB: [0, C.LEG_H / 2],
        maxMotorTorque: C.MOTORS_TORQUE, motorSpeed: i, lowerAngle: -0.8, upperAngle: 1.1,
      }));
      this.legs.push(leg);
      const lower = b2.body(world, 'dynamic', initX, initY - (C.LEG_H * 3) / 2 - C.LEG_DOWN, i * 0.05);
      b2.box(lower, (0.8 * C.LEG_W) / 2, C.LEG_H / 2, { density: 1.0, restitution: 0, ...WALKER_FILTER });
      this.joints.push(b2.revolute(world, {
        bodyA: leg, bodyB: lower, anchorA: [0, -C.LEG_H / 2], anchorB: [0, C.LEG_H / 2],
        maxMotorTorque: C.MOTORS_TORQUE, motorSpeed: 1, lowerAngle: -1.6, upperAngle: -0.1,
      }));
      this.legs.push(lower);
    }
    this.hullPtr = b2.ptr(this.hull);
    this.legPtrs = this.legs.map((l) => b2.ptr(l));
    this.walkerFixtures = new Set([this.hull, ...this.legs].map((body) => b2.ptr(body.GetFixtureList())));
    this.listener = b2.contactListener(world, (a, b) => this.contact(a, b, true), (a, b) => this.contact(a, b, false));
    this.simulate(new Float64Array(4));
  }

  /** Where the hull starts: half the start pad in, two leg lengths above the base height (Gymnasium's). */
  protected startPosition(): [number, number] {
    return [(TERRAIN.STEP * TERRAIN.STARTPAD) / 2, TERRAIN.HEIGHT + 2 * C.LEG_H];
  }

  private contact(a: number, b: number, begin: boolean): void {
    if (begin && (a === this.hullPtr || b === this.hullPtr)) this.gameOver = true;
    // Gymnasium tracks the lower legs only (legs[1] and legs[3]).
    for (const k of [1, 3]) if (a === this.legPtrs[k] || b === this.legPtrs[k]) this.legContact[k] = begin;
  }

  private castRays(px: number, py: number): void {
    const b = this.b2.b;
    if (!this.rayCallback) {
      const cb = new b.JSRayCastCallback();
      // Ground fixtures are the only ones of category 1: skip (-1) the walker's own, clip at the others.
      cb.ReportFixture = (fixturePtr: unknown, _point: unknown, _normal: unknown, fraction: number): number => {
        if (this.walkerFixtures.has(fixturePtr as number)) return -1;
        this.rayFraction = fraction;
        return fraction;
      };
      this.rayCallback = cb;
    }
    this.lidarHit = [];
    for (let i = 0; i < 10; i++) {
      const [dx, dy] = lidarDirection(i);
      this.rayFraction = 1.0;
      this.world!.RayCast(this.rayCallback, this.b2.vec(px, py, 1), this.b2.vec(px + dx, py + dy, 2));
      this.lidarFraction[i] = this.rayFraction;
      this.lidarHit.push([px + dx * this.rayFraction, py + dy * this.rayFraction]);
    }
  }

  /** @internal */
  protected simulate(action: Float64Array): { reward: number; terminated: boolean } {
    for (let k = 0; k < 4; k++) {
      const speed = k % 2 === 0 ? C.SPEED_HIP : C.SPEED_KNEE;
      this.joints[k].SetMotorSpeed(speed * Math.sign(action[k]));
      this.joints[k].SetMaxMotorTorque(C.MOTORS_TORQUE * Math.min(Math.abs(action[k]), 1));
    }
    this.world!.Step(1.0 / C.FPS, C.VELOCITY_ITERATIONS, C.POSITION_ITERATIONS);
    const pos = this.hull.GetPosition();
    const px = pos.get_x();
    const py = pos.get_y();
    this.castRays(px, py);
    const angle = this.hull.GetAngle();
    let shaping = (130 * px) / C.SCALE;
    shaping -= 5.0 * Math.abs(angle);
    let reward = this.prevShaping === null ? 0 : shaping - this.prevShaping;
    this.prevShaping = shaping;
    for (let k = 0; k < 4; k++) reward -= 0.00035 * C.MOTORS_TORQUE * Math.min(Math.abs(action[k]), 1);
    let terminated = false;
    if (this.gameOver || px < 0) {
      reward = -100;
      terminated = true;
    }
    if (px > (TERRAIN.LENGTH - TERRAIN.GRASS) * TERRAIN.STEP) terminated = true;
    return { reward, terminated };
  }

  protected observe(): Float64Array {
    const vel = this.hull.GetLinearVelocity();
    const j = this.joints;
    return float32Obs([
      this.hull.GetAngle(),
      (2.0 * this.hull.GetAngularVelocity()) / C.FPS,
      (0.3 * vel.get_x() * (C.VIEWPORT_W / C.SCALE)) / C.FPS,
      (0.3 * vel.get_y() * (C.VIEWPORT_H / C.SCALE)) / C.FPS,
      j[0].GetJointAngle(),
      j[0].GetJointSpeed() / C.SPEED_HIP,
      j[1].GetJointAngle() + 1.0,
      j[1].GetJointSpeed() / C.SPEED_KNEE,
      this.legContact[1] ? 1.0 : 0.0,
      j[2].GetJointAngle(),
      j[2].GetJointSpeed() / C.SPEED_HIP,
      j[3].GetJointAngle() + 1.0,
      j[3].GetJointSpeed() / C.SPEED_KNEE,
      this.legContact[3] ? 1.0 : 0.0,
      ...this.lidarFraction,
    ]);
  }
}
