/**
 * Box2D 2.4.1 (the `box2d-wasm` package: the C++ library compiled to WebAssembly, float32
 * arithmetic like Gymnasium's box2d-py) loaded synchronously on first use, and small helpers
 * that build bodies, fixtures and revolute joints from plain numbers and free the temporary
 * C++ objects (defs, shapes, vectors) they allocate.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Box2DFactoryType from 'box2d-wasm';

/** The Box2D module object (classes and helpers). */
export type B2 = Awaited<ReturnType<typeof Box2DFactoryType>>;
export type B2World = InstanceType<B2['b2World']>;
export type B2Body = InstanceType<B2['b2Body']>;
export type B2RevoluteJoint = InstanceType<B2['b2RevoluteJoint']>;

let cached: B2 | undefined;

/** The parts of the WebAssembly global used here (not in this project's ES2022 lib typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The Box2D module, compiled and instantiated synchronously (emscripten's `instantiateWasm`
 * hook) so env constructors stay synchronous. The SIMD build is used where the runtime
 * supports it (the same choice in every thread of a process, so results agree).
 */
export function box2d(): B2 {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let lastError: unknown;
  for (const variant of ['Box2D.simd', 'Box2D']) {
    try {
      const bytes = readFileSync(require.resolve(`box2d-wasm/dist/umd/${variant}.wasm`));
      const module = new Wasm.Module(bytes);
      const factory = require(`box2d-wasm/dist/umd/${variant}.js`) as (arg: object) => Promise<B2>;
      const arg: Record<string, unknown> = {
        instantiateWasm(imports: object, done: (i: object) => void) {
          const instance = new Wasm.Instance(module, imports);
          done(instance);
          return instance.exports;
        },
      };
      void factory(arg).catch(() => undefined);
      if (typeof arg.b2World !== 'function') throw new Error(`${variant} did not initialize synchronously`);
      cached = arg as unknown as B2;
      return cached;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`cannot load Box2D (box2d-wasm): ${(lastError as Error)?.message ?? String(lastError)}`, { cause: lastError });
}

/** Fixture properties (Box2D's b2FixtureDef fields; Box2D's defaults when omitted). */
export interface FixtureProps {
  density?: number;
  /** Box2D default 0.2. */
  friction?: number;
  restitution?: number;
  /** Collision filter; Box2D default category 0x0001, mask 0xFFFF. */
  categoryBits?: number;
  maskBits?: number;
}

/** Thin helpers over one Box2D module; all coordinates in metres, angles in radians. */
export class B2Builder {
  readonly b: B2;
  private readonly v1: InstanceType<B2['b2Vec2']>;
  private readonly v2: InstanceType<B2['b2Vec2']>;

  constructor(b: B2 = box2d()) {
    this.b = b;
    this.v1 = new b.b2Vec2(0, 0);
    this.v2 = new b.b2Vec2(0, 0);
  }

  /** A reusable temporary vector (two slots, for calls taking two vectors). */
  vec(x: number, y: number, slot: 1 | 2 = 1): InstanceType<B2['b2Vec2']> {
    const v = slot === 1 ? this.v1 : this.v2;
    v.Set(x, y);
    return v;
  }

  world(gravityY: number): B2World {
    return new this.b.b2World(this.vec(0, gravityY));
  }

  body(world: B2World, kind: 'static' | 'dynamic', x = 0, y = 0, angle = 0): B2Body {
    const def = new this.b.b2BodyDef();
    if (kind === 'dynamic') def.set_type(this.b.b2_dynamicBody);
    def.set_position(this.vec(x, y));
    def.set_angle(angle);
    const body = world.CreateBody(def);
    this.b.destroy(def);
    return body;
  }

  /** Attach a convex polygon (Box2D computes the hull; polygon skin radius b2_polygonRadius). */
  polygon(body: B2Body, points: readonly (readonly [number, number])[], props: FixtureProps = {}): void {
    const b = this.b;
    const ptr = b._malloc(8 * points.length);
    const base = ptr >> 2;
    points.forEach(([x, y], i) => {
      b.HEAPF32[base + 2 * i] = x;
      b.HEAPF32[base + 2 * i + 1] = y;
    });
    const shape = new b.b2PolygonShape();
    shape.Set(b.wrapPointer(ptr, b.b2Vec2), points.length);
    b._free(ptr);
    this.fixture(body, shape, props);
  }

  /** Attach an axis-aligned box of half-widths (hx, hy) centred on the body origin. */
  box(body: B2Body, hx: number, hy: number, props: FixtureProps = {}): void {
    const shape = new this.b.b2PolygonShape();
    shape.SetAsBox(hx, hy);
    this.fixture(body, shape, props);
  }

  /** Attach a two-sided edge segment (Box2D 2.3's b2EdgeShape). */
  edge(body: B2Body, x1: number, y1: number, x2: number, y2: number, props: FixtureProps = {}): void {
    const shape = new this.b.b2EdgeShape();
    shape.SetTwoSided(this.vec(x1, y1, 1), this.vec(x2, y2, 2));
    this.fixture(body, shape, props);
  }

  private fixture(body: B2Body, shape: InstanceType<B2['b2Shape']>, props: FixtureProps): void {
    const b = this.b;
    const def = new b.b2FixtureDef();
    def.set_shape(shape);
    def.set_density(props.density ?? 0);
    def.set_friction(props.friction ?? 0.2);
    def.set_restitution(props.restitution ?? 0);
    const filter = def.get_filter();
    if (props.categoryBits !== undefined) filter.set_categoryBits(props.categoryBits);
    if (props.maskBits !== undefined) filter.set_maskBits(props.maskBits);
    body.CreateFixture(def);
    b.destroy(def);
    b.destroy(shape);
  }

  /**
   * A revolute joint with motor and limit, given by local anchors and a reference angle of 0
   * (as pybox2d's `revoluteJointDef(bodyA=, bodyB=, localAnchorA=, localAnchorB=)` leaves it).
   */
  revolute(world: B2World, j: {
    bodyA: B2Body; bodyB: B2Body; anchorA: [number, number]; anchorB: [number, number];
    maxMotorTorque: number; motorSpeed: number; lowerAngle: number; upperAngle: number;
  }): B2RevoluteJoint {
    const b = this.b;
    const def = new b.b2RevoluteJointDef();
    def.set_bodyA(j.bodyA);
    def.set_bodyB(j.bodyB);
    def.set_localAnchorA(this.vec(j.anchorA[0], j.anchorA[1]));
    def.set_localAnchorB(this.vec(j.anchorB[0], j.anchorB[1]));
    def.set_referenceAngle(0);
    def.set_enableMotor(true);
    def.set_enableLimit(true);
    def.set_maxMotorTorque(j.maxMotorTorque);
    def.set_motorSpeed(j.motorSpeed);
    def.set_lowerAngle(j.lowerAngle);
    def.set_upperAngle(j.upperAngle);
    const joint = b.castObject(world.CreateJoint(def), b.b2RevoluteJoint);
    b.destroy(def);
    return joint;
  }

  /** Identity of a wrapped C++ object (its address). */
  ptr(o: object): number {
    return this.b.getPointer(o as never);
  }

  /**
   * A contact listener calling `begin`/`end` with the two bodies' addresses (Box2D's
   * BeginContact/EndContact, fired inside `Step`, also in TOI sub-steps).
   */
  contactListener(world: B2World, begin: (a: number, b: number) => void, end: (a: number, b: number) => void): InstanceType<B2['JSContactListener']> {
    const b = this.b;
    const listener = new b.JSContactListener();
    const bodies = (cp: unknown): [number, number] => {
      const c = b.wrapPointer(cp as number, b.b2Contact);
      return [b.getPointer(c.GetFixtureA().GetBody()), b.getPointer(c.GetFixtureB().GetBody())];
    };
    listener.BeginContact = (cp: unknown) => begin(...bodies(cp));
    listener.EndContact = (cp: unknown) => end(...bodies(cp));
    listener.PreSolve = () => undefined;
    listener.PostSolve = () => undefined;
    world.SetContactListener(listener);
    return listener;
  }
}
