/**
 * Learning benchmark: trains TRPO with `zooHyperparams` (RL-Zoo's tuned settings) on each env over
 * several seeds, evaluates the final policy deterministically (20 episodes by default, a separate
 * env seeded 10000 + seed, frozen VecNormalize statistics when the model normalizes observations),
 * and prints every seed, how many seeds reach the target (published sb3-contrib / RL-Zoo results at
 * the same budgets, or issue 10's floors for the MuJoCo envs), the mean ± std over seeds, the
 * timesteps, the wall time of `learn` per seed and the machine. Then it times `learn` for 100k
 * CartPole-v1 steps with the zoo settings, native against pure JS (sb3-contrib: about 27 s on this
 * machine).
 *
 *   npm run bench:learning [-- --envs CartPole-v1,Pendulum-v1 --seeds 0,1,2,3,4 --quick --no-js --json out.json]
 *   npm run bench:learning -- --envs mujoco --seeds 0,1,2 --no-speed      # every MuJoCo env, 3 seeds
 *   npm run bench:learning -- --envs box2d --no-speed                     # the landers and BipedalWalker, 3 seeds
 *   npm run bench:learning -- --envs Hopper-v5 --seeds 0 --timesteps 200000 --eval-episodes 5
 *   npm run bench:learning -- --envs CartPole-v1,Pendulum-v1 --seeds 0,1,2 --no-speed --overrides '{"algo":"npg"}'
 *
 * --envs takes ids and the groups "classic" (the default), "mujoco" and "box2d"; without --seeds,
 * classic envs use seeds 0-4, MuJoCo and Box2D envs 0-2. --timesteps overrides every env's budget. --quick: one
 * seed per env and the JS timing on 20k steps (extrapolated). --no-speed skips the CartPole timing.
 * --overrides takes TRPO options as JSON that replace the zoo's (e.g. the algorithm variants
 * {"algo":"npg"}, {"cgWarmStart":true}, {"adaptiveKl":true}). Every seed's line also gives the
 * mean number of CG Fisher products per update and the share of updates that took the full step.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluatePolicy, makeEvalEnv, makeZooModel, nativeInfo, zooHyperparams, type TRPOOptions, type TRPOUpdateInfo } from '../src/index.js';
import { machineInfo } from './machine.js';

interface Target {
  /** Minimum final mean evaluation return (inclusive unless strict); null: reported only. */
  min: number | null;
  strict?: boolean;
  /** Seeds (out of n) that must reach it. */
  required: (n: number) => number;
  /** Published reference, for the table. */
  reference: string;
}

const FOUR_OF_FIVE = (n: number): number => Math.ceil((4 * n) / 5);
const TWO_OF_THREE = (n: number): number => Math.ceil((2 * n) / 3);

const CLASSIC: Record<string, Target> = {
  'CartPole-v1': { min: 475, required: FOUR_OF_FIVE, reference: 'zoo 500 @100k' },
  'Acrobot-v1': { min: -100, required: FOUR_OF_FIVE, reference: 'zoo -83 @100k' },
  'MountainCar-v0': { min: -120, required: FOUR_OF_FIVE, reference: 'zoo -107 @100k' },
  // Issue 11: every seed >= -200 with the zoo's gSDE settings (and a mean of -175 or better).
  'Pendulum-v1': { min: -200, required: (n) => n, reference: 'zoo -175 @100k (gSDE)' },
  'MountainCarContinuous-v0': { min: 90, required: (n) => n, reference: 'zoo 92.5 @50k (gSDE)' },
  'PointMass1D-v0': { min: -60, strict: true, required: FOUR_OF_FIVE, reference: 'notebook: > -60 @25x1024' },
};

/** Issue 10's floors at 1M steps (2 of 3 seeds); references: RL-Zoo's TRPO on the v3 envs, OpenAI baselines' TRPO at 1M. */
const MUJOCO: Record<string, Target> = {
  'HalfCheetah-v5': { min: 1500, required: TWO_OF_THREE, reference: 'zoo v3 1785 @1M' },
  'Hopper-v5': { min: 2500, required: TWO_OF_THREE, reference: 'zoo v3 3618 @1M' },
  'Walker2d-v5': { min: 3000, required: TWO_OF_THREE, reference: 'zoo v3 4933 @1M' },
  'Ant-v5': { min: 3000, required: TWO_OF_THREE, reference: 'zoo v3 4982 @1M' },
  'Swimmer-v5': { min: 300, required: TWO_OF_THREE, reference: 'zoo v3 366 @1M' },
  'InvertedPendulum-v5': { min: 1000, required: TWO_OF_THREE, reference: 'baselines TRPO 905 (training episodes) @1M' },
  'InvertedDoublePendulum-v5': { min: 9000, required: TWO_OF_THREE, reference: 'baselines TRPO 6732 (training episodes) @1M' },
  'Reacher-v5': { min: -6, required: TWO_OF_THREE, reference: 'baselines TRPO -4.8 (training episodes) @1M' },
  'Humanoid-v5': { min: null, required: TWO_OF_THREE, reference: 'none (zoo entry untuned, no benchmark row)' },
  'Pusher-v5': { min: null, required: TWO_OF_THREE, reference: 'none published for TRPO' },
};

/** Issue 15's floors (2 of 3 seeds); references: RL-Zoo's TRPO benchmark rows, measured on the v2 landers. */
const BOX2D: Record<string, Target> = {
  'LunarLander-v3': { min: 100, required: TWO_OF_THREE, reference: 'zoo v2 133 ± 112 @200k' },
  'LunarLanderContinuous-v3': { min: 200, required: TWO_OF_THREE, reference: 'zoo v2 262 ± 21 @200k' },
  'BipedalWalker-v3': { min: 150, required: TWO_OF_THREE, reference: 'zoo v3 182 ± 146 @1M' },
};

const TARGETS: Record<string, Target> = { ...CLASSIC, ...MUJOCO, ...BOX2D };
const GROUPS: Record<string, string[]> = { classic: Object.keys(CLASSIC), mujoco: Object.keys(MUJOCO), box2d: Object.keys(BOX2D) };

const { values: args } = parseArgs({
  options: {
    envs: { type: 'string', default: 'classic' },
    seeds: { type: 'string' },
    timesteps: { type: 'string' },
    'eval-episodes': { type: 'string', default: '20' },
    quick: { type: 'boolean', default: false },
    'no-js': { type: 'boolean', default: false },
    'no-speed': { type: 'boolean', default: false },
    json: { type: 'string' },
    overrides: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: npm run bench:learning -- [--envs classic|mujoco|box2d|id,...] [--seeds 0,1,2] [--timesteps N] [--eval-episodes 20] [--quick] [--no-js] [--no-speed] [--json out.json]');
  console.log(`env ids: ${Object.keys(TARGETS).join(', ')}`);
  process.exit(0);
}
function fail(msg: string): never {
  console.error(`bench:learning: ${msg}`);
  process.exit(2);
}
const positive = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) fail(`--${name}: expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
};
const envIds = [...new Set(args.envs.split(',').filter(Boolean).flatMap((e) => GROUPS[e] ?? [e]))];
for (const id of envIds) {
  if (!TARGETS[id] || !zooHyperparams[id]) fail(`no target or zoo settings for ${JSON.stringify(id)}; known: ${Object.keys(TARGETS).join(', ')} (groups: ${Object.keys(GROUPS).join(', ')})`);
}
const seedsFor = (id: string): number[] => {
  if (args.quick) return [0];
  if (args.seeds !== undefined) {
    const seeds = args.seeds.split(',').map((x) => x.trim());
    if (seeds.some((x) => !/^\d+$/.test(x))) fail(`--seeds: expected comma-separated non-negative integers, got ${JSON.stringify(args.seeds)}`);
    return seeds.map(Number);
  }
  return MUJOCO[id] || BOX2D[id] ? [0, 1, 2] : [0, 1, 2, 3, 4];
};
const timesteps = positive('timesteps', args.timesteps);
let overrides: TRPOOptions | undefined;
if (args.overrides !== undefined) {
  try {
    overrides = JSON.parse(args.overrides) as TRPOOptions;
  } catch (e) {
    fail(`--overrides: expected TRPO options as JSON, got ${JSON.stringify(args.overrides)} (${(e as Error).message})`);
  }
}
const evalEpisodes = positive('eval-episodes', args['eval-episodes'])!;
const info = nativeInfo();
const backend = info.available ? 'native' : 'js';
const machine = machineInfo();
const machineLine = `${machine.cpuModel}, ${machine.logicalCpus} logical CPUs, ${machine.memoryGiB} GiB, ${machine.os}, node ${machine.node}`;
console.log(`trpo-node learning benchmark — backend ${backend}${info.available ? ` (${info.variant}, ${info.threads} threads)` : ` (native unavailable: ${info.reason})`}, commit ${machine.gitCommit ?? '?'}, ${machine.date}`);
console.log(`machine: ${machineLine}; load average ${machine.loadAverageAtStart.join(' ')}`);
if (overrides) console.log(`overrides of the zoo settings: ${JSON.stringify(overrides)}`);
console.log(`envs ${envIds.join(', ')}; metric: mean return of ${evalEpisodes} deterministic evaluation episodes of the final policy\n`);

interface SeedResult {
  seed: number; meanReward: number; stdReward: number; timesteps: number; learnSeconds: number; reached: boolean | null;
  /** Mean CG Fisher products per update, and the share of updates that took the full step. */
  cgProductsPerUpdate: number; fullStepShare: number;
}
const results: Record<string, SeedResult[]> = {};

const fmt = (x: number, d = 1): string => x.toFixed(d);
const meanStd = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
};
const duration = (s: number): string => (s >= 120 ? `${fmt(s / 60, 1)} min` : `${fmt(s, s < 10 ? 2 : 0)} s`);

for (const envId of envIds) {
  const target = TARGETS[envId];
  results[envId] = [];
  for (const seed of seedsFor(envId)) {
    const { model, env, hyperparams } = await makeZooModel(envId, { seed, backend, overrides });
    let cgProducts = 0;
    let updates = 0;
    let fullSteps = 0;
    const t0 = performance.now();
    await model.learn({ totalTimesteps: timesteps ?? hyperparams.nTimesteps, callback: (i: TRPOUpdateInfo) => { cgProducts += i.cgIterations; updates++; if (i.accepted && i.backtracks === 0) fullSteps++; } });
    const learnSeconds = (performance.now() - t0) / 1000;
    const evalEnv = await makeEvalEnv(envId, model, { seed: 10_000 + seed });
    const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: evalEpisodes, deterministic: true });
    await env.close();
    await evalEnv.close();
    const reached = target.min === null ? null : target.strict ? r.meanReward > target.min : r.meanReward >= target.min;
    const cgProductsPerUpdate = updates > 0 ? cgProducts / updates : 0;
    const fullStepShare = updates > 0 ? fullSteps / updates : 0;
    results[envId].push({ seed, meanReward: r.meanReward, stdReward: r.stdReward, timesteps: model.numTimesteps, learnSeconds, reached, cgProductsPerUpdate, fullStepShare });
    console.log(`  ${envId.padEnd(25)} seed ${seed}: ${fmt(r.meanReward).padStart(8)} ± ${fmt(r.stdReward).padEnd(7)} ${reached === null ? '    ' : reached ? 'ok  ' : 'MISS'} ${model.numTimesteps} steps, learn ${fmt(learnSeconds, 2)} s, CG ${fmt(cgProductsPerUpdate, 2)} products/update, full step ${fmt(100 * fullStepShare, 0)}%`);
  }
}

console.log(`\nmachine: ${machineLine}; backend ${backend}${info.available ? ` (${info.variant})` : ''}; commit ${machine.gitCommit ?? '?'}`);
console.log('\n| env | timesteps | target | seeds reaching it | final eval per seed (mean ± std over episodes) | mean ± std over seeds | learn wall time per seed |');
console.log('|---|---:|---|---:|---|---:|---|');
for (const envId of envIds) {
  const rs = results[envId];
  const t = TARGETS[envId];
  const [m, s] = meanStd(rs.map((r) => r.meanReward));
  const ok = rs.filter((r) => r.reached).length;
  const need = t.required(rs.length);
  const targetText = t.min === null ? `none (${t.reference})` : `${t.strict ? '>' : '>='} ${t.min} (${t.reference})`;
  const reachedText = t.min === null ? '-' : `${ok}/${rs.length}${ok >= need ? '' : ` ✗ (needs ${need})`}`;
  const perSeed = rs.map((r) => `s${r.seed}: ${fmt(r.meanReward)} ± ${fmt(r.stdReward)}`).join('; ');
  const walls = rs.map((r) => duration(r.learnSeconds)).join(', ');
  console.log(`| ${envId} | ${rs[0].timesteps.toLocaleString('en-US')} | ${targetText} | ${reachedText} | ${perSeed} | ${fmt(m)} ± ${fmt(s)} | ${walls} |`);
}

// Speed: 100k CartPole-v1 steps with the zoo settings, learn() only.
async function timeCartPole(b: 'native' | 'js', steps: number): Promise<{ seconds: number; rollout: number; update: number; timesteps: number }> {
  const { model } = await makeZooModel('CartPole-v1', { seed: 0, backend: b });
  let rollout = 0;
  let update = 0;
  const t0 = performance.now();
  await model.learn({ totalTimesteps: steps, callback: (i: TRPOUpdateInfo) => { rollout += i.rolloutSeconds; update += i.updateSeconds; } });
  return { seconds: (performance.now() - t0) / 1000, rollout, update, timesteps: model.numTimesteps };
}

if (!args['no-speed']) console.log('\nSpeed: learn() on CartPole-v1, zoo settings (2 envs x 512 steps, 20 critic epochs), 100k steps (sb3-contrib: ~27 s, 3.7k steps/s)');
const speed: Record<string, unknown> = {};
const backends: ('native' | 'js')[] = args['no-speed'] ? [] : [...(info.available ? ['native' as const] : []), ...(args['no-js'] ? [] : ['js' as const])];
for (const b of backends) {
  const steps = b === 'js' && args.quick ? 20_000 : 100_000;
  const r = await timeCartPole(b, steps);
  const scale = 100_000 / r.timesteps;
  const est = r.seconds * scale;
  speed[b] = { ...r, secondsPer100k: est };
  console.log(`  ${b.padEnd(6)}: ${fmt(est, 2)} s per 100k steps${scale !== 1 ? ` (extrapolated from ${r.timesteps})` : ''} = ${Math.round(r.timesteps / r.seconds)} steps/s; rollouts ${fmt(r.rollout * scale, 2)} s, updates ${fmt(r.update * scale, 2)} s`);
}

if (args.json) writeFileSync(args.json, JSON.stringify({ backend, machine, evalEpisodes, timestepsOverride: timesteps ?? null, overrides: overrides ?? null, results, speed }, null, 2));
