/**
 * checkEnv on the planck landers, then Gymnasium's heuristic controller (test/fixtures/gym-lunar-heuristic.py,
 * as test/envs/box2d-lunar-lander-heuristic.test.ts runs it) flying reset seeds 0..N-1 on the
 * box2d-wasm env and on the planck env, discrete and continuous, side by side.
 *
 *   npx tsx scripts/box2d-engines/planck-lander/heuristic.ts [episodes=30]
 */
import { checkEnv, make } from '../../../src/envs/index.js';
import { startHeuristic } from './heuristic-pipe.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

registerPlanckLanders();
const episodes = Number(process.argv[2] ?? 30);

for (const id of Object.values(PLANCK_IDS)) {
  const r = checkEnv(make(id), { steps: 200 });
  console.log(`checkEnv(${id}): ${r.errors.length} errors, ${r.warnings.length} warnings${r.warnings.length ? `: ${r.warnings.join('; ')}` : ''}`);
}

interface Run { ret: number; steps: number; end: 'rest' | 'crash' | 'time'; legFlips: number; bothLegsAt: number | null }

async function fly(id: string, continuous: boolean): Promise<Run[]> {
  const heuristic = await startHeuristic();
  const env = make(id);
  const out: Run[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let s = env.reset({ seed: ep }).observation as Float64Array;
    let ret = 0;
    let legFlips = 0;
    let bothLegsAt: number | null = null;
    for (let t = 1; ; t++) {
      const a = await heuristic.act(s, continuous);
      const r = env.step(typeof a === 'number' ? a : Float64Array.from(a));
      const o = r.observation as Float64Array;
      // Contact-flag changes after the first touchdown (1 -> 0 or 0 -> 1 of either leg).
      for (const k of [6, 7]) if (o[k] !== s[k] && (s[6] || s[7] || o[6] !== 0 || o[7] !== 0)) legFlips++;
      if (bothLegsAt === null && o[6] === 1 && o[7] === 1) bothLegsAt = t;
      ret += r.reward;
      s = o;
      if (r.terminated || r.truncated) {
        out.push({ ret, steps: t, end: r.truncated ? 'time' : r.reward === 100 ? 'rest' : 'crash', legFlips, bothLegsAt });
        break;
      }
    }
  }
  env.close();
  heuristic.close();
  return out;
}

const f = (x: number): string => x.toFixed(1);
console.log(`\nGymnasium heuristic, reset seeds 0-${episodes - 1}`);
console.log('| engine | mode | mean return | std | min | ≥ 200 | ends rest/crash/time | mean steps | mean steps from both legs down to end (rest) | leg-flag changes per episode |');
console.log('|---|---|---:|---:|---:|---:|---|---:|---:|---:|');
for (const continuous of [false, true]) {
  const base = continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3';
  for (const [engine, id] of [['box2d-wasm', base], ['planck', PLANCK_IDS[base]]] as const) {
    const runs = await fly(id, continuous);
    const rets = runs.map((r) => r.ret);
    const m = rets.reduce((a, b) => a + b, 0) / rets.length;
    const sd = Math.sqrt(rets.reduce((a, b) => a + (b - m) ** 2, 0) / rets.length);
    const cnt = (e: string): number => runs.filter((r) => r.end === e).length;
    const rest = runs.filter((r) => r.end === 'rest' && r.bothLegsAt !== null);
    const settle = rest.length ? rest.reduce((a, r) => a + r.steps - r.bothLegsAt!, 0) / rest.length : NaN;
    console.log(`| ${engine} | ${continuous ? 'continuous' : 'discrete'} | ${f(m)} | ${f(sd)} | ${f(Math.min(...rets))} | ${rets.filter((x) => x >= 200).length}/${runs.length} | ${cnt('rest')}/${cnt('crash')}/${cnt('time')} | ${f(runs.reduce((a, r) => a + r.steps, 0) / runs.length)} | ${f(settle)} | ${f(runs.reduce((a, r) => a + r.legFlips, 0) / runs.length)} |`);
    console.log(`  per seed: ${runs.map((r, i) => `${i}:${f(r.ret)}/${r.end[0]}${r.steps}`).join(' ')}`);
  }
}
