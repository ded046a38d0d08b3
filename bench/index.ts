/**
 * The benchmark suite: `npm run bench` prints the tables and writes bench/results.json.
 *
 *   npm run bench [-- --quick] [--out results.json] [--skip micro|peers|e2e|learn|mujoco|mujoco-learn|box2d|scaling|distributed ...]
 *                 [--mujoco-steps N]
 *
 * Micro benchmarks (native float32/float64 at 1 and 2 threads against the pure-JS backend), the
 * peers (TensorFlow.js cpu/wasm, PyTorch at 1 and 2 threads) on the same TRPO step, end to end
 * (rollout throughput, TRPO.learn wall time), scaling with N and width, and the FVP's GFLOP/s
 * against an Eigen GEMM of the same shapes, and MuJoCo (bench/mujoco.ts): env steps/s of every MuJoCo env
 * against Python Gymnasium, and learn() of HalfCheetah-v5 / Hopper-v5 with RL-Zoo's settings for
 * --mujoco-steps steps each (default 1M; --quick: 2048) with the learner's share of the wall time,
 * and Box2D (bench/box2d.ts): env steps/s of the four Box2D ids, 1 env and 2 worker threads.
 * `--quick` is a smoke test (< 1 minute).
 * PyTorch: $TRPO_BENCH_PYTHON, bench/.venv/bin/python or python3 with torch; otherwise skipped.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nativeInfo } from '../src/index.js';
import { runBox2DSteps } from './box2d.js';
import { runDistributedBench, type DistributedBench } from './distributed.js';
import { runLearn, runRollouts } from './e2e.js';
import { machineInfo } from './machine.js';
import { QUOTED, runMujocoLearn, runMujocoSteps } from './mujoco.js';
import { runMicro, type MicroPlan } from './micro.js';
import { runPeers, type PeerPlan } from './peers/index.js';
import { SHAPES } from './problems.js';
import { formatReport, type Results } from './report.js';
import { runFvpRate, runScaling } from './scaling.js';
import { computeTargets, measureTargetStep } from './targets.js';

const SECTIONS = ['micro', 'peers', 'e2e', 'learn', 'mujoco', 'mujoco-learn', 'box2d', 'scaling', 'distributed'] as const;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
    skip: { type: 'string', multiple: true, default: [] },
    'mujoco-steps': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- [--quick] [--out path] [--mujoco-steps N] [--skip ${SECTIONS.join('|')}]...`);
  process.exit(0);
}
for (const s of args.skip) {
  if (!(SECTIONS as readonly string[]).includes(s)) {
    console.error(`--skip: unknown section ${JSON.stringify(s)} (expected one of ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
}
const quick = args.quick;
const mujocoSteps = args['mujoco-steps'] === undefined ? (quick ? 2048 : 1_000_000) : Number(args['mujoco-steps']);
if (!Number.isSafeInteger(mujocoSteps) || mujocoSteps < 1) {
  console.error(`--mujoco-steps: expected a positive integer, got ${JSON.stringify(args['mujoco-steps'])}`);
  process.exit(2);
}
const skip = new Set(args.skip);
const log = (msg: string): void => { process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`); };
const t0 = performance.now();

const native = nativeInfo();
if (!native.available) {
  console.error(`trpo-node bench: the native backend is unavailable: ${native.reason}`);
  process.exit(1);
}
const THREADS = [1, 2];
const machine = machineInfo();

const microPlan: MicroPlan = quick
  ? { shapes: [SHAPES.HalfCheetah, SHAPES.CartPole], nets: [[64, 64]], ns: [1024], threads: THREADS, budgetNative: 40, budgetJs: 1, jsSkip: () => null, log }
  : {
    shapes: [SHAPES.CartPole, SHAPES.HalfCheetah], nets: [[64, 64], [256, 256]], ns: [1024, 4096, 16384], threads: THREADS,
    budgetNative: 1500, budgetJs: 6000, log,
    jsSkip: (net, n) => (n >= 16384 && net[0] >= 256 ? 'pure JS at N=16384 with 256x256 (minutes per TRPO step); not measured, not extrapolated' : null),
  };
const peerPlan: PeerPlan = quick
  ? { problems: [[1024, [64, 64]]], tfjs: { cpu: () => null, wasm: () => null }, torch: { threads: [1] }, budgetMs: 1, log }
  : {
    problems: [[1024, [64, 64]], [4096, [64, 64]], [16384, [64, 64]], [4096, [256, 256]]],
    tfjs: {
      cpu: (n, h) => (n > 4096 || h[0] > 64 ? 'tfjs cpu beyond N=4096 64x64 (a TRPO step takes over 30 s); not measured' : null),
      wasm: (_n, h) => (h[0] > 64 ? 'tfjs wasm at 256x256 (a TRPO step takes over 30 s); not measured' : null),
    },
    torch: { threads: THREADS }, budgetMs: 3000, log,
  };

const results: Results = {
  schema: 1, quick, machine,
  settings: {
    step: 'CG 10 iterations, damping 0.1, max KL 0.01, line search 10 x 0.8',
    valueFit: '10 epochs of Adam, minibatch 128, lr 1e-3',
    data: 'standard-normal observations, actions sampled from the policy, standardized normal advantages; seeded',
    timing: 'median of repeats after a timed warm-up call; when one call takes half the budget or more it is the only sample (repeats = 1)',
    micro: { shapes: microPlan.shapes.map((s) => s.name), nets: microPlan.nets, ns: microPlan.ns, threads: THREADS, budgetNativeMs: microPlan.budgetNative, budgetJsMs: microPlan.budgetJs },
  },
  micro: [], peers: { results: [], notes: {} }, e2e: { rollouts: [], learn: [] },
  scaling: { byN: [], byWidth: [], fvpRate: [], gemm: {} }, targets: [], wallSeconds: 0,
};

async function section(name: (typeof SECTIONS)[number], fn: () => Promise<void> | void): Promise<void> {
  if (skip.has(name)) return;
  try {
    await fn();
  } catch (e) {
    log(`${name} failed: ${(e as Error).stack ?? String(e)}`);
    (results.settings.errors ??= {} as Record<string, string>);
    (results.settings.errors as Record<string, string>)[name] = (e as Error).message;
  }
}

await section('micro', () => { results.micro = runMicro(microPlan); });
await section('peers', async () => { results.peers = await runPeers(peerPlan); });
await section('e2e', async () => { results.e2e.rollouts = await runRollouts({ envSteps: quick ? 400 : 30_000, workers: !quick, log }); });
await section('learn', async () => {
  results.e2e.learn = await runLearn({
    totalTimesteps: quick ? 2048 : 100_000, log,
    runs: [{ impl: 'native-f32', threads: 1 }, { impl: 'native-f32', threads: 2 }, { impl: 'js', threads: 1 }],
  });
});
await section('mujoco', async () => {
  const r = await runMujocoSteps({ envSteps: quick ? 300 : 20_000, workers: true, ids: quick ? ['Hopper-v5', 'HalfCheetah-v5'] : undefined, log });
  results.mujoco = { ...r, learn: results.mujoco?.learn ?? [], quoted: QUOTED };
});
await section('mujoco-learn', async () => {
  const learn = await runMujocoLearn({ totalTimesteps: mujocoSteps, ids: ['HalfCheetah-v5', 'Hopper-v5'], log });
  results.mujoco = { steps: [], python: { skipped: 'not run (--skip mujoco)' }, quoted: QUOTED, ...results.mujoco, learn };
});
await section('box2d', async () => { results.box2d = await runBox2DSteps({ envSteps: quick ? 300 : 20_000, log }); });
if (quick) {
  results.scaling.skipped = 'scaling and the GEMM reference are not run with --quick';
} else {
  await section('scaling', () => {
    const s = runScaling({ ns: [1024, 2048, 4096, 8192, 16384], widths: [32, 64, 128, 256], widthN: 4096, threads: THREADS, budget: 1500, log });
    const f = runFvpRate({ configs: [[1024, [64, 64]], [4096, [64, 64]], [16384, [64, 64]], [4096, [256, 256]]], threads: THREADS, budget: 1500, log });
    results.scaling = { ...s, fvpRate: f.rows, gemm: f.gemm };
  });
}

// Distributed rollouts (bench/distributed.ts): a redis-server and 2 worker processes on loopback.
let distributed: DistributedBench | null = null;
await section('distributed', async () => {
  distributed = await runDistributedBench({ updates: quick ? 3 : 20, mujocoEnv: 'Hopper-v5', log });
  (results as Results & { distributed?: unknown }).distributed = { cartpole: distributed.cartpole, mujoco: distributed.mujoco };
});

if (!skip.has('micro')) {
  log('target step, alternating 1T/2T rounds');
  results.targetStep = measureTargetStep(quick ? 2 : 10, quick ? 50 : 1000);
}
results.targets = computeTargets(results);
results.machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
results.wallSeconds = (performance.now() - t0) / 1000;
const out = resolve(args.out);
writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
console.log(formatReport(results));
if (distributed) console.log(`\nDistributed rollouts (Redis + BullMQ, loopback)\n${(distributed as DistributedBench).lines.join('\n')}`);
console.log(`results: ${out}`);
