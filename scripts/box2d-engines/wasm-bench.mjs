import Box2DFactory from 'box2d-wasm';
import { S, rng, LANDER_POLY, HULL_POLY, landerTerrain, walkerTerrain, time } from './scene.mjs';
import { readFileSync } from 'node:fs';
const B = await Box2DFactory({ wasmBinary: readFileSync(new URL('../../node_modules/box2d-wasm/dist/umd/Box2D.simd.wasm', import.meta.url)) });
const { b2World, b2Vec2, b2BodyDef, b2FixtureDef, b2PolygonShape, b2EdgeShape, b2RevoluteJointDef, b2_dynamicBody, _malloc, _free, HEAPF32, wrapPointer, b2Fixture, JSRayCastCallback, castObject, b2RevoluteJoint } = B;
const tmp = new b2Vec2(0, 0), tmp2 = new b2Vec2(0, 0);
const V = (x, y) => { tmp.Set(x, y); return tmp; };
function polyShape(pts) { const p = _malloc(8 * pts.length); pts.forEach(([x, y], i) => { HEAPF32[(p >> 2) + 2 * i] = x; HEAPF32[(p >> 2) + 2 * i + 1] = y; }); const s = new b2PolygonShape(); s.Set(wrapPointer(p, b2Vec2), pts.length); _free(p); return s; }
function boxShape(hx, hy) { const s = new b2PolygonShape(); s.SetAsBox(hx, hy); return s; }
function edgeShape(a, c) { const s = new b2EdgeShape(); const v1 = new b2Vec2(...a), v2 = new b2Vec2(...c); s.SetTwoSided(v1, v2); B.destroy(v1); B.destroy(v2); return s; }
function fix(body, shape, o = {}) { const fd = new b2FixtureDef(); fd.set_shape(shape); fd.set_density(o.density ?? 0); fd.set_friction(o.friction ?? 0.2); if (o.cat) { const f = fd.get_filter(); f.set_categoryBits(o.cat); f.set_maskBits(1); } body.CreateFixture(fd); B.destroy(fd); B.destroy(shape); }
function dyn(world, x, y, angle = 0) { const bd = new b2BodyDef(); bd.set_type(b2_dynamicBody); bd.set_position(V(x, y)); bd.set_angle(angle); const b = world.CreateBody(bd); B.destroy(bd); return b; }
function rev(world, o) { const d = new b2RevoluteJointDef(); d.set_bodyA(o.bodyA); d.set_bodyB(o.bodyB); d.set_localAnchorA(V(...o.a)); d.set_localAnchorB(V(...o.b)); d.set_referenceAngle(0); d.set_enableMotor(true); d.set_enableLimit(true); d.set_maxMotorTorque(o.maxMotorTorque); d.set_motorSpeed(o.motorSpeed); d.set_lowerAngle(o.lowerAngle); d.set_upperAngle(o.upperAngle); const j = castObject(world.CreateJoint(d), b2RevoluteJoint); B.destroy(d); return j; }
function lander(steps) {
  const r = rng(1); let world, lander, t = 0;
  const build = () => {
    if (world) B.destroy(world);
    world = new b2World(V(0, -10));
    const bd = new b2BodyDef(); const moon = world.CreateBody(bd); B.destroy(bd);
    fix(moon, edgeShape([0, 0], [20, 0]));
    for (const [p, q] of landerTerrain(r)) fix(moon, edgeShape(p, q), { friction: 0.1 });
    lander = dyn(world, 10, 400 / S);
    fix(lander, polyShape(LANDER_POLY), { density: 5, friction: 0.1, cat: 0x10 });
    lander.ApplyForceToCenter(V((r() * 2 - 1) * 1000, (r() * 2 - 1) * 1000), true);
    for (const i of [-1, 1]) {
      const leg = dyn(world, 10 - i * 20 / S, 400 / S, i * 0.05);
      fix(leg, boxShape(2 / S, 8 / S), { density: 1, cat: 0x20 });
      rev(world, { bodyA: lander, bodyB: leg, a: [0, 0], b: [i * 20 / S, 18 / S], maxMotorTorque: 40, motorSpeed: 0.3 * i, lowerAngle: i < 0 ? 0.4 : -0.9, upperAngle: i < 0 ? 0.9 : -0.4 });
    }
    t = 0;
  };
  build();
  for (let k = 0; k < steps; k++) {
    const a = Math.floor(r() * 4); const ang = lander.GetAngle(); const tip = [Math.sin(ang), Math.cos(ang)]; const p = lander.GetPosition();
    const px = p.get_x(), py = p.get_y();
    if (a === 2) { const ox = tip[0] * 4 / S, oy = -tip[1] * 4 / S; tmp2.Set(px + ox, py + oy); lander.ApplyLinearImpulse(V(-ox * 13, -oy * 13), tmp2, true); }
    if (a === 1 || a === 3) { const d = a - 2; const ox = -tip[1] * d * 12 / S, oy = -tip[0] * d * 12 / S; tmp2.Set(px + ox - tip[0] * 17 / S, py + oy + tip[1] * 14 / S); lander.ApplyLinearImpulse(V(-ox * 0.6, -oy * 0.6), tmp2, true); }
    world.Step(1 / 50, 180, 60);
    if (++t >= 400 || !lander.IsAwake()) build();
  }
}
function walker(steps) {
  const r = rng(2); let world, hull, joints, t = 0;
  let frac = 1;
  const cb = new JSRayCastCallback();
  cb.ReportFixture = (fp, pp, np, fr) => { const f = wrapPointer(fp, b2Fixture); if ((f.GetFilterData().get_categoryBits() & 1) === 0) return -1; frac = fr; return fr; };
  const build = () => {
    if (world) B.destroy(world);
    world = new b2World(V(0, -10));
    for (const [p, q] of walkerTerrain(r)) { const bd = new b2BodyDef(); const g = world.CreateBody(bd); B.destroy(bd); fix(g, edgeShape(p, q), { friction: 2.5 }); }
    const x0 = 14 / S * 10, y0 = 400 / S / 4 + 2 * 34 / S;
    hull = dyn(world, x0, y0);
    fix(hull, polyShape(HULL_POLY), { density: 5, friction: 0.1, cat: 0x20 });
    joints = [];
    for (const i of [-1, 1]) {
      const leg = dyn(world, x0, y0 - 17 / S + 8 / S, i * 0.05);
      fix(leg, boxShape(4 / S, 17 / S), { density: 1, cat: 0x20 });
      joints.push(rev(world, { bodyA: hull, bodyB: leg, a: [0, -8 / S], b: [0, 17 / S], maxMotorTorque: 80, motorSpeed: i, lowerAngle: -0.8, upperAngle: 1.1 }));
      const low = dyn(world, x0, y0 - 51 / S + 8 / S, i * 0.05);
      fix(low, boxShape(3.2 / S, 17 / S), { density: 1, cat: 0x20 });
      joints.push(rev(world, { bodyA: leg, bodyB: low, a: [0, -17 / S], b: [0, 17 / S], maxMotorTorque: 80, motorSpeed: 1, lowerAngle: -1.6, upperAngle: -0.1 }));
    }
    t = 0;
  };
  build();
  let sum = 0;
  const p1 = new b2Vec2(0, 0), p2 = new b2Vec2(0, 0);
  for (let k = 0; k < steps; k++) {
    joints.forEach((j, n) => { const a = r() * 2 - 1; j.SetMotorSpeed((n % 2 ? 6 : 4) * Math.sign(a)); j.SetMaxMotorTorque(80 * Math.abs(a)); });
    world.Step(1 / 50, 180, 60);
    const p = hull.GetPosition(); const px = p.get_x(), py = p.get_y();
    for (let i = 0; i < 10; i++) {
      frac = 1; p1.Set(px, py); p2.Set(px + Math.sin(1.5 * i / 10) * 160 / S, py - Math.cos(1.5 * i / 10) * 160 / S);
      world.RayCast(cb, p1, p2);
      sum += frac;
    }
    if (++t >= 500) build();
  }
  return sum;
}
time('box2d-wasm lander', lander, 20000);
time('box2d-wasm walker', walker, 10000);
