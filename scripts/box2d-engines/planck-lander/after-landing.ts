/**
 * Leg-contact flicker on the ground: Gymnasium's heuristic lands the lander (reset seeds 0..N-1);
 * from the first step with both leg flags set, the same random actions (a generator seeded
 * 1000000 + episode, independent of the env) are applied for up to 200 steps on both engines.
 * Counts leg-flag changes per step on the ground, one-step contact breaks (1 -> 0 -> 1), and how
 * those 200 steps end. The random phase uses only main-engine throttles in [0, 0.5]·1 and no side
 * engine ('low') or the full random action set ('full').
 *
 *   npx tsx scripts/box2d-engines/planck-lander/after-landing.ts [episodes=30]
 */
import { make } from '../../../src/envs/index.js';
import { makeRandom } from '../../../src/envs/seeding.js';
import { startHeuristic } from './heuristic-pipe.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

registerPlanckLanders();
const episodes = Number(process.argv[2] ?? 30);

async function run(id: string, mode: 'low' | 'full'): Promise<void> {
  const heuristic = await startHeuristic();
  const env = make(id);
  let groundSteps = 0, flips = 0, breaks = 0, rest = 0, crash = 0, running = 0, landed = 0;
  for (let ep = 0; ep < episodes; ep++) {
    let s = env.reset({ seed: ep }).observation as Float64Array;
    const rng = makeRandom();
    rng.seed(1_000_000 + ep);
    let phase = 0;
    const hist: number[][] = [];
    for (;;) {
      let a: Float64Array;
      if (phase === 0) {
        a = Float64Array.from((await heuristic.act(s, true)) as number[]);
      } else {
        a = mode === 'low' ? Float64Array.from([rng.uniformRange(-1, 0), 0]) : Float64Array.from([rng.uniformRange(-1, 1), rng.uniformRange(-1, 1)]);
        if (mode === 'low' && rng.uniform() < 0.5) a[0] = 0.0 + rng.uniformRange(0, 0.5); // throttle (a0+1)/2 in [0.5, 0.75]
      }
      const r = env.step(a);
      const o = r.observation as Float64Array;
      if (phase > 0) {
        groundSteps++;
        for (const k of [6, 7]) if (o[k] !== s[k]) flips++;
        hist.push([o[6], o[7]]);
        const n = hist.length;
        if (n >= 3) for (const k of [0, 1]) if (hist[n - 3][k] === 1 && hist[n - 2][k] === 0 && hist[n - 1][k] === 1) breaks++;
      }
      s = o;
      if (phase === 0 && o[6] === 1 && o[7] === 1) {
        phase = 1;
        landed++;
      } else if (phase > 0) phase++;
      if (r.terminated || r.truncated || phase > 200) {
        if (phase > 0) {
          if (r.terminated && r.reward === 100) rest++;
          else if (r.terminated) crash++;
          else running++;
        }
        break;
      }
    }
  }
  env.close();
  heuristic.close();
  console.log(`| ${id} | ${mode} | ${landed} | ${groundSteps} | ${(flips / Math.max(1, groundSteps) * 100).toFixed(2)} | ${breaks} | ${rest}/${crash}/${running} |`);
}

console.log(`Heuristic landing (continuous), then random actions on the ground, reset seeds 0-${episodes - 1}`);
console.log('| env | random actions | landed | steps on the ground | leg-flag changes per 100 steps | one-step breaks | ended rest/crash/still running after 200 |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const mode of ['low', 'full'] as const) {
  await run('LunarLanderContinuous-v3', mode);
  await run(PLANCK_IDS['LunarLanderContinuous-v3'], mode);
}
