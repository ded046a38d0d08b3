/**
 * The same uniformly random action sequences (a fixed generator, independent of the env) on both
 * engines, reset seeds 0..N-1: how episodes end, how often the leg-contact flags change, how long
 * a leg stays in contact per touchdown, and the largest speeds (a check for solver blow-ups).
 *
 *   npx tsx scripts/box2d-engines/planck-lander/random-policy.ts [episodes=300]
 */
import { make } from '../../../src/envs/index.js';
import { makeRandom } from '../../../src/envs/seeding.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

registerPlanckLanders();
const episodes = Number(process.argv[2] ?? 300);
type Pose = { vx: number; vy: number; omega: number };

console.log(`Uniform random actions (the generator seeded 1000000 + episode index), reset seeds 0-${episodes - 1}`);
console.log('| env | mean return | ends rest/crash/time | mean steps | leg-flag changes/episode | mean touchdown length (steps) | touchdowns of 1 step | max |v| lander, m/s | max |ω| lander, rad/s |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const continuous of [false, true]) {
  const base = continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
  for (const id of [base, PLANCK_IDS[base]]) {
    const env = make(id);
    const u = (env as unknown as { unwrapped: { bodies(): Pose[] } }).unwrapped;
    let ret = 0, steps = 0, flips = 0, touch = 0, touchSteps = 0, oneStep = 0, vmax = 0, wmax = 0;
    const ends = { rest: 0, crash: 0, time: 0 };
    for (let ep = 0; ep < episodes; ep++) {
      const rng = makeRandom();
      rng.seed(1_000_000 + ep);
      let s = env.reset({ seed: ep }).observation as Float64Array;
      const run = [0, 0];
      for (;;) {
        const a = continuous ? Float64Array.from([rng.uniformRange(-1, 1), rng.uniformRange(-1, 1)]) : rng.integer(4);
        const r = env.step(a);
        const o = r.observation as Float64Array;
        steps++;
        ret += r.reward;
        const b = u.bodies()[0];
        vmax = Math.max(vmax, Math.hypot(b.vx, b.vy));
        wmax = Math.max(wmax, Math.abs(b.omega));
        for (const k of [0, 1]) {
          if (o[6 + k] !== s[6 + k]) flips++;
          if (o[6 + k] === 1) run[k]++;
          else if (run[k] > 0) {
            touch++;
            touchSteps += run[k];
            if (run[k] === 1) oneStep++;
            run[k] = 0;
          }
        }
        s = o;
        if (r.terminated || r.truncated) {
          ends[r.truncated ? 'time' : r.reward === 100 ? 'rest' : 'crash']++;
          break;
        }
      }
    }
    env.close();
    console.log(`| ${id} | ${(ret / episodes).toFixed(1)} | ${ends.rest}/${ends.crash}/${ends.time} | ${(steps / episodes).toFixed(1)} | ${(flips / episodes).toFixed(2)} | ${touch ? (touchSteps / touch).toFixed(1) : '-'} | ${oneStep}/${touch} | ${vmax.toFixed(2)} | ${wmax.toFixed(2)} |`);
  }
}
