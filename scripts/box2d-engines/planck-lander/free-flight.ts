/**
 * Port check in free flight: the same random actions (a generator seeded 1000000 + episode) on
 * both engines from the same reset seed; before any contact only the number format (float32
 * against float64) and Box2D version differences in integration can separate the observations,
 * so they must agree closely. Prints the largest |observation difference| over the steps before
 * the first contact in either engine, and at which step contact came in each.
 *
 *   npx tsx scripts/box2d-engines/planck-lander/free-flight.ts [episodes=50]
 */
import { make } from '../../../src/envs/index.js';
import { makeRandom } from '../../../src/envs/seeding.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

registerPlanckLanders();
const episodes = Number(process.argv[2] ?? 50);
for (const continuous of [false, true]) {
  const base = continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
  const a = make(base);
  const b = make(PLANCK_IDS[base]);
  let worst = 0, worstReward = 0, firstDiffer = 0, steps = 0;
  for (let ep = 0; ep < episodes; ep++) {
    const rng = makeRandom();
    rng.seed(1_000_000 + ep);
    let oa = a.reset({ seed: ep }).observation as Float64Array;
    let ob = b.reset({ seed: ep }).observation as Float64Array;
    let d = Math.max(...oa.map((x, i) => Math.abs(x - ob[i])));
    worst = Math.max(worst, d);
    for (let t = 1; t <= 1000; t++) {
      const act = continuous ? Float64Array.from([rng.uniformRange(-1, 1), rng.uniformRange(-1, 1)]) : rng.integer(4);
      const ra = a.step(act);
      const rb = b.step(act);
      oa = ra.observation as Float64Array;
      ob = rb.observation as Float64Array;
      if (oa[6] || oa[7] || ob[6] || ob[7] || ra.terminated || rb.terminated) break;
      steps++;
      d = Math.max(...oa.map((x, i) => Math.abs(x - ob[i])));
      worst = Math.max(worst, d);
      worstReward = Math.max(worstReward, Math.abs(ra.reward - rb.reward));
      if (d > 1e-3 && firstDiffer === 0) firstDiffer = t;
    }
  }
  console.log(`${base} vs ${PLANCK_IDS[base]}: ${episodes} episodes, ${steps} contact-free steps; largest |obs difference| ${worst.toExponential(2)}, largest |reward difference| ${worstReward.toExponential(2)}`);
}
