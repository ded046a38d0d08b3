/**
 * How the lander comes to rest on each engine: Gymnasium's heuristic flies reset seeds 0..N-1
 * (as heuristic.ts), and for the episodes ending at rest this prints the final pose (lander height
 * above the helipad, tilt, the legs' joint angles = leg angle − lander angle, Gymnasium's limits
 * [0.4, 0.9] and [−0.9, −0.4]) and how long the lander stayed on both legs before falling asleep.
 *
 *   npx tsx scripts/box2d-engines/planck-lander/rest.ts [episodes=30]
 */
import { make } from '../../../src/envs/index.js';
import { startHeuristic } from './heuristic-pipe.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

registerPlanckLanders();
const episodes = Number(process.argv[2] ?? 30);
type Pose = { x: number; y: number; angle: number; vx: number; vy: number; omega: number; awake: boolean };
interface Unwrapped { bodies(): Pose[]; helipad?: { y: number } }

async function fly(id: string, continuous: boolean): Promise<void> {
  const heuristic = await startHeuristic();
  const env = make(id);
  const u = (env as unknown as { unwrapped: Unwrapped }).unwrapped;
  const rows: number[][] = [];
  const speeds: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let s = env.reset({ seed: ep }).observation as Float64Array;
    let both = 0;
    let last: Pose[] = [];
    let maxLegSpeedOnGround = 0;
    for (let t = 1; ; t++) {
      const a = await heuristic.act(s, continuous);
      const r = env.step(typeof a === 'number' ? a : Float64Array.from(a));
      s = r.observation as Float64Array;
      last = u.bodies();
      if (s[6] === 1 && s[7] === 1) {
        both++;
        maxLegSpeedOnGround = Math.max(maxLegSpeedOnGround, Math.hypot(last[0].vx, last[0].vy));
      }
      if (r.terminated || r.truncated) {
        if (r.terminated && r.reward === 100) {
          const [l, g0, g1] = last;
          rows.push([s[1], l.angle, g0.angle - l.angle, g1.angle - l.angle, both, t]);
          speeds.push(maxLegSpeedOnGround);
        }
        break;
      }
    }
  }
  env.close();
  heuristic.close();
  const mean = (k: number): string => (rows.reduce((a, r) => a + r[k], 0) / rows.length).toFixed(4);
  const range = (k: number): string => `${Math.min(...rows.map((r) => r[k])).toFixed(4)}..${Math.max(...rows.map((r) => r[k])).toFixed(4)}`;
  console.log(`| ${id} | ${rows.length} | ${mean(0)} (${range(0)}) | ${mean(1)} (${range(1)}) | ${mean(2)} (${range(2)}) | ${mean(3)} (${range(3)}) | ${Number(mean(4)).toFixed(1)} | ${Number(mean(5)).toFixed(1)} |`);
}

console.log(`Heuristic landings ending at rest, reset seeds 0-${episodes - 1}: final observation y (0 = legs' reach on the pad), lander angle, joint angles leg0/leg1 (rad), steps with both leg flags set, episode steps`);
console.log('| env | at rest | obs y | angle | leg0 joint | leg1 joint | steps on both legs | steps |');
console.log('|---|---:|---|---|---|---|---:|---:|');
for (const continuous of [false, true]) {
  const base = continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
  await fly(base, continuous);
  await fly(PLANCK_IDS[base], continuous);
}
