/**
 * Learning benchmark: trains TRPO with `zooHyperparams` (RL-Zoo's tuned settings) on each env over
 * several seeds, evaluates the final policy deterministically on 20 episodes (a separate env seeded
 * 10000 + seed, frozen VecNormalize statistics when the model normalizes observations), and prints
 * how many seeds reach the target (published sb3-contrib / RL-Zoo results at the same budgets), the
 * mean ± std over seeds of the evaluation, the timesteps and the wall time of `learn`. Then it times
 * `learn` for 100k CartPole-v1 steps with the zoo settings, native against pure JS (sb3-contrib:
 * about 27 s on this machine).
 *
 *   npm run bench:learning [-- --envs CartPole-v1,Pendulum-v1 --seeds 0,1,2,3,4 --quick --no-js --json out.json]
 *
 * --quick: one seed per env and the JS timing on 20k steps (extrapolated).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluatePolicy, makeEvalEnv, makeZooModel, nativeInfo, type TRPOUpdateInfo } from '../src/index.js';

interface Target {
  /** Minimum final mean evaluation return (inclusive unless strict). */
  min: number;
  strict?: boolean;
  /** Published reference, for the table. */
  reference: string;
}

const TARGETS: Record<string, Target> = {
  'CartPole-v1': { min: 475, reference: 'zoo 500 @100k' },
  'Acrobot-v1': { min: -100, reference: 'zoo -83 @100k' },
  'MountainCar-v0': { min: -120, reference: 'zoo -107 @100k' },
  'Pendulum-v1': { min: -200, reference: 'zoo -175 @100k (gSDE)' },
  'PointMass1D-v0': { min: -60, strict: true, reference: 'notebook: > -60 @25x1024' },
};

const { values: args } = parseArgs({
  options: {
    envs: { type: 'string', default: Object.keys(TARGETS).join(',') },
    seeds: { type: 'string', default: '0,1,2,3,4' },
    quick: { type: 'boolean', default: false },
    'no-js': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const envIds = args.envs.split(',').filter(Boolean);
const seeds = args.quick ? [0] : args.seeds.split(',').map(Number);
for (const id of envIds) if (!TARGETS[id]) throw new Error(`no target for ${id}; known: ${Object.keys(TARGETS).join(', ')}`);
const info = nativeInfo();
const backend = info.available ? 'native' : 'js';
console.log(`trpo-node learning benchmark — backend ${backend}${info.available ? ` (${info.variant}, ${info.threads} threads)` : ` (native unavailable: ${info.reason})`}, node ${process.version}`);
console.log(`envs ${envIds.join(', ')}; seeds ${seeds.join(', ')}; metric: mean return of 20 deterministic evaluation episodes of the final policy\n`);

interface SeedResult { seed: number; meanReward: number; stdReward: number; timesteps: number; learnSeconds: number; reached: boolean }
const results: Record<string, SeedResult[]> = {};

const fmt = (x: number, d = 1): string => x.toFixed(d);
const meanStd = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
};

for (const envId of envIds) {
  const target = TARGETS[envId];
  results[envId] = [];
  for (const seed of seeds) {
    const { model, env, hyperparams } = await makeZooModel(envId, { seed, backend });
    const t0 = performance.now();
    await model.learn({ totalTimesteps: hyperparams.nTimesteps });
    const learnSeconds = (performance.now() - t0) / 1000;
    const evalEnv = await makeEvalEnv(envId, model, { seed: 10_000 + seed });
    const r = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 20, deterministic: true });
    await env.close();
    await evalEnv.close();
    const reached = target.strict ? r.meanReward > target.min : r.meanReward >= target.min;
    results[envId].push({ seed, meanReward: r.meanReward, stdReward: r.stdReward, timesteps: model.numTimesteps, learnSeconds, reached });
    console.log(`  ${envId.padEnd(15)} seed ${seed}: ${fmt(r.meanReward).padStart(7)} ± ${fmt(r.stdReward).padEnd(6)} ${reached ? 'ok  ' : 'MISS'} ${model.numTimesteps} steps, learn ${fmt(learnSeconds, 2)} s`);
  }
}

console.log('\n| env | target | seeds reaching it | final eval, mean ± std over seeds | timesteps | learn wall time per seed |');
console.log('|---|---|---|---|---|---|');
for (const envId of envIds) {
  const rs = results[envId];
  const t = TARGETS[envId];
  const [m, s] = meanStd(rs.map((r) => r.meanReward));
  const [ws] = meanStd(rs.map((r) => r.learnSeconds));
  const ok = rs.filter((r) => r.reached).length;
  console.log(`| ${envId} | ${t.strict ? '>' : '>='} ${t.min} (${t.reference}) | ${ok}/${rs.length}${ok * 5 >= rs.length * 4 ? '' : ' ✗'} | ${fmt(m)} ± ${fmt(s)} | ${rs[0].timesteps} | ${fmt(ws, 2)} s |`);
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

console.log('\nSpeed: learn() on CartPole-v1, zoo settings (2 envs x 512 steps, 20 critic epochs), 100k steps (sb3-contrib: ~27 s, 3.7k steps/s)');
const speed: Record<string, unknown> = {};
const backends: ('native' | 'js')[] = [...(info.available ? ['native' as const] : []), ...(args['no-js'] ? [] : ['js' as const])];
for (const b of backends) {
  const steps = b === 'js' && args.quick ? 20_000 : 100_000;
  const r = await timeCartPole(b, steps);
  const scale = 100_000 / r.timesteps;
  const est = r.seconds * scale;
  speed[b] = { ...r, secondsPer100k: est };
  console.log(`  ${b.padEnd(6)}: ${fmt(est, 2)} s per 100k steps${scale !== 1 ? ` (extrapolated from ${r.timesteps})` : ''} = ${Math.round(r.timesteps / r.seconds)} steps/s; rollouts ${fmt(r.rollout * scale, 2)} s, updates ${fmt(r.update * scale, 2)} s`);
}

if (args.json) writeFileSync(args.json, JSON.stringify({ backend, seeds, results, speed }, null, 2));
