import * as b from '@box2d/core';
import { S, rng, LANDER_POLY, HULL_POLY, landerTerrain, walkerTerrain, time } from './scene.mjs';
const V = (x, y) => new b.b2Vec2(x, y);
const ITER = { velocityIterations: 180, positionIterations: 60 };
const edge = (a, c) => new b.b2EdgeShape().SetTwoSided(V(...a), V(...c));
const poly = (pts) => { const s = new b.b2PolygonShape(); s.Set(pts.map((p) => V(...p))); return s; };
const box = (hx, hy) => { const s = new b.b2PolygonShape(); s.SetAsBox(hx, hy); return s; };
function rev(world, o) { const d = new b.b2RevoluteJointDef(); Object.assign(d, { bodyA: o.bodyA, bodyB: o.bodyB, referenceAngle: 0, enableMotor: true, enableLimit: true, maxMotorTorque: o.maxMotorTorque, motorSpeed: o.motorSpeed, lowerAngle: o.lowerAngle, upperAngle: o.upperAngle }); d.localAnchorA.Set(...o.a); d.localAnchorB.Set(...o.b); return world.CreateJoint(d); }
const dyn = (world, x, y, angle = 0) => world.CreateBody({ type: b.b2BodyType.b2_dynamicBody, position: { x, y }, angle });
function lander(steps) {
  const r = rng(1); let world, lander, t = 0;
  const build = () => {
    world = b.b2World.Create({ x: 0, y: -10 });
    const moon = world.CreateBody();
    moon.CreateFixture({ shape: edge([0, 0], [20, 0]) });
    for (const [p, q] of landerTerrain(r)) moon.CreateFixture({ shape: edge(p, q), density: 0, friction: 0.1 });
    lander = dyn(world, 10, 400 / S);
    lander.CreateFixture({ shape: poly(LANDER_POLY), density: 5, friction: 0.1, filter: { categoryBits: 0x10, maskBits: 1 } });
    lander.ApplyForceToCenter({ x: (r() * 2 - 1) * 1000, y: (r() * 2 - 1) * 1000 }, true);
    for (const i of [-1, 1]) {
      const leg = dyn(world, 10 - i * 20 / S, 400 / S, i * 0.05);
      leg.CreateFixture({ shape: box(2 / S, 8 / S), density: 1, filter: { categoryBits: 0x20, maskBits: 1 } });
      rev(world, { bodyA: lander, bodyB: leg, a: [0, 0], b: [i * 20 / S, 18 / S], maxMotorTorque: 40, motorSpeed: 0.3 * i, lowerAngle: i < 0 ? 0.4 : -0.9, upperAngle: i < 0 ? 0.9 : -0.4 });
    }
    t = 0;
  };
  build();
  for (let k = 0; k < steps; k++) {
    const a = Math.floor(r() * 4); const ang = lander.GetAngle(); const tip = [Math.sin(ang), Math.cos(ang)]; const p = lander.GetPosition();
    if (a === 2) { const ox = tip[0] * 4 / S, oy = -tip[1] * 4 / S; lander.ApplyLinearImpulse({ x: -ox * 13, y: -oy * 13 }, { x: p.x + ox, y: p.y + oy }, true); }
    if (a === 1 || a === 3) { const d = a - 2; const ox = -tip[1] * d * 12 / S, oy = -tip[0] * d * 12 / S; lander.ApplyLinearImpulse({ x: -ox * 0.6, y: -oy * 0.6 }, { x: p.x + ox - tip[0] * 17 / S, y: p.y + oy + tip[1] * 14 / S }, true); }
    world.Step(1 / 50, ITER);
    if (++t >= 400 || !lander.IsAwake()) build();
  }
}
function walker(steps) {
  const r = rng(2); let world, hull, joints, t = 0;
  const build = () => {
    world = b.b2World.Create({ x: 0, y: -10 });
    for (const [p, q] of walkerTerrain(r)) world.CreateBody().CreateFixture({ shape: edge(p, q), friction: 2.5 });
    const x0 = 14 / S * 10, y0 = 400 / S / 4 + 2 * 34 / S;
    hull = dyn(world, x0, y0);
    hull.CreateFixture({ shape: poly(HULL_POLY), density: 5, friction: 0.1, filter: { categoryBits: 0x20, maskBits: 1 } });
    joints = [];
    for (const i of [-1, 1]) {
      const leg = dyn(world, x0, y0 - 17 / S + 8 / S, i * 0.05);
      leg.CreateFixture({ shape: box(4 / S, 17 / S), density: 1, filter: { categoryBits: 0x20, maskBits: 1 } });
      joints.push(rev(world, { bodyA: hull, bodyB: leg, a: [0, -8 / S], b: [0, 17 / S], maxMotorTorque: 80, motorSpeed: i, lowerAngle: -0.8, upperAngle: 1.1 }));
      const low = dyn(world, x0, y0 - 51 / S + 8 / S, i * 0.05);
      low.CreateFixture({ shape: box(3.2 / S, 17 / S), density: 1, filter: { categoryBits: 0x20, maskBits: 1 } });
      joints.push(rev(world, { bodyA: leg, bodyB: low, a: [0, -17 / S], b: [0, 17 / S], maxMotorTorque: 80, motorSpeed: 1, lowerAngle: -1.6, upperAngle: -0.1 }));
    }
    t = 0;
  };
  build();
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    joints.forEach((j, n) => { const a = r() * 2 - 1; j.SetMotorSpeed((n % 2 ? 6 : 4) * Math.sign(a)); j.SetMaxMotorTorque(80 * Math.abs(a)); });
    world.Step(1 / 50, ITER);
    const p = hull.GetPosition();
    for (let i = 0; i < 10; i++) {
      let frac = 1;
      world.RayCast({ x: p.x, y: p.y }, { x: p.x + Math.sin(1.5 * i / 10) * 160 / S, y: p.y - Math.cos(1.5 * i / 10) * 160 / S }, (f, pt, n, fr) => { if ((f.GetFilterData().categoryBits & 1) === 0) return -1; frac = fr; return fr; });
      sum += frac;
    }
    if (++t >= 500) build();
  }
  return sum;
}
time('@box2d/core lander', lander, 20000);
time('@box2d/core walker', walker, 10000);
