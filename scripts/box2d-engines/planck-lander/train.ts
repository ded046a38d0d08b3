/**
 * TRPO with RL-Zoo's settings (zooHyperparams['LunarLander-v3'] / ['LunarLanderContinuous-v3'])
 * on the box2d-wasm lander or the planck lander, built as makeZooModel / makeEvalEnv and
 * bench/learning.ts build them: nEnvs envs, VecNormalize (gamma = the algorithm's) where the
 * entry normalizes, the model seeded `seed`, the entry's nTimesteps, then deterministic evaluation
 * episodes on an env seeded 10000 + seed with frozen normalization statistics.
 *
 *   TRPO_NUM_THREADS=1 nice -n 5 npx tsx scripts/box2d-engines/planck-lander/train.ts \
 *     --env LunarLander-v3 --engine planck --seeds 0,1,2,3,4 [--count] [--eval-episodes 20]
 *
 * --engine wasm trains on the registered ids themselves (LunarLander-v3, ...); --engine planck on
 * PlanckLunarLander-v3 / PlanckLunarLanderContinuous-v3. --count instruments the envs (a wrapper
 * around the registered factory that only reads step results) to count how training and
 * evaluation episodes end (at rest = not awake, crash/out, time limit), the leg-contact flag
 * changes and the steps from both legs down to the end of episodes ending at rest.
 */
import { parseArgs } from 'node:util';
import { getEnvSpec, makeVecEnv, register, type AnyEnv, type StepResult } from '../../../src/envs/index.js';
import { instantiate } from '../../../src/envs/factory.js';
import { evaluatePolicy, makeEvalEnv, nativeInfo, TRPO, zooHyperparams, zooTrpoOptions, type TRPOOptions, type TRPOUpdateInfo } from '../../../src/index.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

const { values: args } = parseArgs({
  options: {
    env: { type: 'string' },
    engine: { type: 'string', default: 'planck' },
    seeds: { type: 'string', default: '0' },
    'eval-episodes': { type: 'string', default: '20' },
    count: { type: 'boolean', default: false },
  },
});
const key = args.env as keyof typeof PLANCK_IDS;
if (!(key in PLANCK_IDS)) throw new RangeError(`--env: expected LunarLander-v3 or LunarLanderContinuous-v3, got ${String(args.env)}`);
if (args.engine !== 'planck' && args.engine !== 'wasm') throw new RangeError(`--engine: expected planck or wasm, got ${args.engine}`);
registerPlanckLanders();
const baseId = args.engine === 'planck' ? PLANCK_IDS[key] : key;

/** Episode-end counters of the instrumented envs. */
const counts = { resets: 0, steps: 0, rest: 0, crash: 0, legFlips: 0, settleSteps: 0, settled: 0 };
type Counts = typeof counts;
function snapshot(): Counts {
  return { ...counts };
}
function diff(a: Counts, b: Counts): Counts {
  return Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof Counts] - a[k as keyof Counts]])) as Counts;
}

/** Wrap the env's reset/step to count (reads results only; the env's state and generator are untouched). */
function instrument(env: AnyEnv): AnyEnv {
  const e = env as unknown as { reset: (a?: unknown) => { observation: Float64Array }; step: (a: unknown) => StepResult<Float64Array> };
  const reset = e.reset.bind(e);
  const step = e.step.bind(e);
  let prev: Float64Array | null = null;
  let t = 0;
  let bothAt: number | null = null;
  e.reset = (a?: unknown) => {
    const r = reset(a);
    counts.resets++;
    prev = r.observation;
    t = 0;
    bothAt = null;
    return r;
  };
  e.step = (a: unknown) => {
    const r = step(a);
    const o = r.observation;
    t++;
    counts.steps++;
    if (prev) for (const k of [6, 7]) if (o[k] !== prev[k]) counts.legFlips++;
    if (bothAt === null && o[6] === 1 && o[7] === 1) bothAt = t;
    prev = o;
    if (r.terminated) {
      if (r.reward === 100) {
        counts.rest++;
        if (bothAt !== null) {
          counts.settleSteps += t - bothAt;
          counts.settled++;
        }
      } else counts.crash++;
    }
    return r;
  };
  return env;
}

let envId: string = baseId;
if (args.count) {
  const spec = getEnvSpec(baseId)!;
  envId = `Counted-${baseId}`;
  register(envId, (o: Record<string, unknown> | undefined) => instrument(instantiate(spec.factory, o, baseId)), { maxEpisodeSteps: spec.maxEpisodeSteps, overwrite: true });
}

const h = zooHyperparams[key];
const info = nativeInfo();
const backend = info.available ? 'native' : 'js';
const evalEpisodes = Number(args['eval-episodes']);
console.log(`${new Date().toISOString()} env ${envId} (zoo entry ${key}: ${JSON.stringify(zooTrpoOptions(h))}, nEnvs ${h.nEnvs}, normalize ${JSON.stringify(h.normalize)}, ${h.nTimesteps} steps), backend ${backend}${info.available ? ` (${info.variant}, ${info.threads} threads)` : ''}`);

const fmt = (x: number): string => x.toFixed(1);
const describeCounts = (c: Counts, running: number): string => {
  const ended = c.resets - running;
  const time = ended - c.rest - c.crash;
  return `${ended} episodes: ${c.rest} at rest (not awake), ${c.crash} crash/out, ${time} time limit; ${fmt(c.legFlips / Math.max(1, c.resets))} leg-flag changes/episode; ${c.settled ? fmt(c.settleSteps / c.settled) : '-'} steps from both legs down to rest`;
};
const results: number[] = [];
for (const seed of args.seeds.split(',').map(Number)) {
  // makeZooModel's construction, for any registered id.
  const trpoOptions: TRPOOptions = { ...zooTrpoOptions(h), seed, backend };
  const normalize = h.normalize === false ? false : { ...h.normalize, gamma: trpoOptions.gamma ?? 0.99 };
  const c0 = snapshot();
  const env = await makeVecEnv(envId, { nEnvs: h.nEnvs, normalize });
  const model = new TRPO('MlpPolicy', env, trpoOptions);
  let last: TRPOUpdateInfo | null = null;
  const t0 = performance.now();
  await model.learn({ totalTimesteps: h.nTimesteps, callback: (i: TRPOUpdateInfo) => { last = i; } });
  const learnSeconds = (performance.now() - t0) / 1000;
  const c1 = snapshot();
  const evalEnv = await makeEvalEnv(envId, model, { seed: 10_000 + seed });
  const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: evalEpisodes, deterministic: true });
  const c2 = snapshot();
  await env.close();
  await evalEnv.close();
  results.push(r.meanReward);
  const l = last as TRPOUpdateInfo | null;
  console.log(`${envId} seed ${seed}: eval ${fmt(r.meanReward)} ± ${fmt(r.stdReward)} over ${r.episodeRewards.length} episodes (lengths mean ${fmt(r.episodeLengths.reduce((a, b) => a + b, 0) / r.episodeLengths.length)}, ${r.episodeLengths.filter((n) => n === 1000).length} at 1000), ${model.numTimesteps} steps, learn ${learnSeconds.toFixed(1)} s, last training window mean ${l?.epReturnMean == null ? '-' : fmt(l.epReturnMean)} (length ${l?.epLengthMean == null ? '-' : fmt(l.epLengthMean)})`);
  console.log(`  eval returns: ${r.episodeRewards.map(fmt).join(' ')}`);
  if (args.count) {
    console.log(`  training: ${describeCounts(diff(c0, c1), h.nEnvs)}`);
    console.log(`  eval:     ${describeCounts(diff(c1, c2), 1)}`);
  }
}
const m = results.reduce((a, b) => a + b, 0) / results.length;
const sd = Math.sqrt(results.reduce((a, b) => a + (b - m) ** 2, 0) / results.length);
console.log(`${envId} seeds ${args.seeds}: ${results.map(fmt).join(', ')}; mean ${fmt(m)} ± ${fmt(sd)} (population std over seeds)`);
