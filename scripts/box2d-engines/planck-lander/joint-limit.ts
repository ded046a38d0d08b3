/**
 * Where free flight separates the engines: reset seed 0, a constant action (0 = no-op, 2 = main
 * engine) on both; per step the observation difference box2d-wasm − planck and the legs' joint
 * angles (leg angle − lander angle; limits [0.4, 0.9] and [−0.9, −0.4]) on each engine.
 *
 *   npx tsx scripts/box2d-engines/planck-lander/joint-limit.ts
 */
import { make } from '../../../src/envs/index.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';
registerPlanckLanders();
type U = { bodies(): { angle: number }[] };
const a = make('LunarLander-v3'); const b = make(PLANCK_IDS['LunarLander-v3']);
for (const act of [0, 2]) {
let oa = a.reset({ seed: 0 }).observation as Float64Array; let ob = b.reset({ seed: 0 }).observation as Float64Array;
const ua = (a as unknown as { unwrapped: U }).unwrapped, ub = (b as unknown as { unwrapped: U }).unwrapped;
const rel = (u: U): string => { const [l, g0, g1] = u.bodies(); return [g0.angle - l.angle, g1.angle - l.angle].map((x) => x.toFixed(4)).join(','); };
console.log('action', act, 'reset diff', Array.from(oa.map((x, i) => x - ob[i])).map((x) => x.toExponential(1)).join(' '), 'joints', rel(ua), rel(ub));
for (let t = 1; t <= 60; t++) {
  const ra = a.step(act); const rb = b.step(act);
  oa = ra.observation as Float64Array; ob = rb.observation as Float64Array;
  if ([1, 2, 3, 5, 10, 20, 30, 40, 50, 60].includes(t)) console.log(t, Array.from(oa.map((x, i) => x - ob[i])).map((x) => x.toExponential(1)).join(' '), 'joints', rel(ua), rel(ub), 'omega', oa[5].toFixed(4), ob[5].toFixed(4));
  if (ra.terminated || rb.terminated || oa[6] || ob[6] || oa[7] || ob[7]) break;
}
}
