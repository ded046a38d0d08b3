import * as pl from 'planck';
import { S, rng, LANDER_POLY, HULL_POLY, landerTerrain, walkerTerrain, time } from './scene.mjs';
const V = (x, y) => pl.Vec2(x, y);
function lander(steps) {
  const r = rng(1); let world, lander, t = 0;
  const build = () => {
    world = new pl.World({ gravity: V(0, -10) });
    const moon = world.createBody();
    moon.createFixture(new pl.Edge(V(0, 0), V(20, 0)));
    for (const [a, b] of landerTerrain(r)) moon.createFixture(new pl.Edge(V(...a), V(...b)), { density: 0, friction: 0.1 });
    lander = world.createDynamicBody({ position: V(10, 400 / S) });
    lander.createFixture(new pl.Polygon(LANDER_POLY.map((p) => V(...p))), { density: 5, friction: 0.1, filterCategoryBits: 0x10, filterMaskBits: 1 });
    lander.applyForceToCenter(V((r() * 2 - 1) * 1000, (r() * 2 - 1) * 1000), true);
    for (const i of [-1, 1]) {
      const leg = world.createDynamicBody({ position: V(10 - i * 20 / S, 400 / S), angle: i * 0.05 });
      leg.createFixture(new pl.Box(2 / S, 8 / S), { density: 1, filterCategoryBits: 0x20, filterMaskBits: 1 });
      world.createJoint(new pl.RevoluteJoint({ bodyA: lander, bodyB: leg, localAnchorA: V(0, 0), localAnchorB: V(i * 20 / S, 18 / S), referenceAngle: 0, enableMotor: true, enableLimit: true, maxMotorTorque: 40, motorSpeed: 0.3 * i, lowerAngle: i < 0 ? 0.4 : -0.9, upperAngle: i < 0 ? 0.9 : -0.4 }));
    }
    t = 0;
  };
  build();
  for (let k = 0; k < steps; k++) {
    const a = Math.floor(r() * 4); const ang = lander.getAngle(); const tip = [Math.sin(ang), Math.cos(ang)];
    if (a === 2) { const ox = tip[0] * 4 / S, oy = -tip[1] * 4 / S; const p = lander.getPosition(); lander.applyLinearImpulse(V(-ox * 13, -oy * 13), V(p.x + ox, p.y + oy), true); }
    if (a === 1 || a === 3) { const d = a - 2; const ox = -tip[1] * d * 12 / S, oy = -tip[0] * d * 12 / S; const p = lander.getPosition(); lander.applyLinearImpulse(V(-ox * 0.6, -oy * 0.6), V(p.x + ox - tip[0] * 17 / S, p.y + oy + tip[1] * 14 / S), true); }
    world.step(1 / 50, 180, 60);
    if (++t >= 400 || !lander.isAwake()) build();
  }
}
function walker(steps) {
  const r = rng(2); let world, hull, joints, t = 0;
  const build = () => {
    world = new pl.World({ gravity: V(0, -10) });
    for (const [a, b] of walkerTerrain(r)) world.createBody().createFixture(new pl.Edge(V(...a), V(...b)), { friction: 2.5 });
    const x0 = 14 / S * 10, y0 = 400 / S / 4 + 2 * 34 / S;
    hull = world.createDynamicBody({ position: V(x0, y0) });
    hull.createFixture(new pl.Polygon(HULL_POLY.map((p) => V(...p))), { density: 5, friction: 0.1, filterCategoryBits: 0x20, filterMaskBits: 1 });
    joints = [];
    for (const i of [-1, 1]) {
      const leg = world.createDynamicBody({ position: V(x0, y0 - 17 / S + 8 / S), angle: i * 0.05 });
      leg.createFixture(new pl.Box(4 / S, 17 / S), { density: 1, filterCategoryBits: 0x20, filterMaskBits: 1 });
      joints.push(world.createJoint(new pl.RevoluteJoint({ bodyA: hull, bodyB: leg, localAnchorA: V(0, -8 / S), localAnchorB: V(0, 17 / S), referenceAngle: 0, enableMotor: true, enableLimit: true, maxMotorTorque: 80, motorSpeed: i, lowerAngle: -0.8, upperAngle: 1.1 })));
      const low = world.createDynamicBody({ position: V(x0, y0 - 51 / S + 8 / S), angle: i * 0.05 });
      low.createFixture(new pl.Box(3.2 / S, 17 / S), { density: 1, filterCategoryBits: 0x20, filterMaskBits: 1 });
      joints.push(world.createJoint(new pl.RevoluteJoint({ bodyA: leg, bodyB: low, localAnchorA: V(0, -17 / S), localAnchorB: V(0, 17 / S), referenceAngle: 0, enableMotor: true, enableLimit: true, maxMotorTorque: 80, motorSpeed: 1, lowerAngle: -1.6, upperAngle: -0.1 })));
    }
    t = 0;
  };
  build();
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    joints.forEach((j, n) => { const a = r() * 2 - 1; j.setMotorSpeed((n % 2 ? 6 : 4) * Math.sign(a)); j.setMaxMotorTorque(80 * Math.abs(a)); });
    world.step(1 / 50, 180, 60);
    const p = hull.getPosition();
    for (let i = 0; i < 10; i++) {
      let frac = 1;
      world.rayCast(V(p.x, p.y), V(p.x + Math.sin(1.5 * i / 10) * 160 / S, p.y - Math.cos(1.5 * i / 10) * 160 / S), (f, pt, n, fr) => { if ((f.getFilterCategoryBits() & 1) === 0) return -1; frac = fr; return fr; });
      sum += frac;
    }
    if (++t >= 500) build();
  }
  return sum;
}
time('planck lander', lander, 20000);
time('planck walker', walker, 10000);
