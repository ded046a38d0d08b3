/**
 * Core benchmark: forward, Fisher-vector product, CG (10 iterations) and a full TRPO step at
 * N = 4096, obs 17, act 6, hidden 64x64 (HalfCheetah-sized), native (float32, float64) against the
 * pure-JS backend, measured side by side in one run. Prints times and speedups over JS.
 *
 * Each operation alternates between the variants round by round and reports medians (9 rounds,
 * 3 with --quick), with the load average before and after.
 *
 *   npm run bench:core [-- --n 4096 --threads 1]
 *   npm run bench:core -- --variants      # baseline (SSE2) against AVX2+FMA binaries, native only
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GaussianMlpPolicy, nativeInfo, Random, setNativeThreads, type Batch } from '../src/index.js';
import { loadavg } from 'node:os';
import { formatMs } from './timing.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '4096' },
    threads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    variants: { type: 'boolean', default: false },
    'native-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

if (args.variants) {
  // The loader keeps one binary per process: run this script once per variant.
  const self = fileURLToPath(import.meta.url);
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const extra = ['--n', String(args.n), ...(args.threads ? ['--threads', String(args.threads)] : []), ...(args.quick ? ['--quick'] : [])];
  const results: Record<string, { info: { variant: string; simd: string }; rows: { op: string; times: number[] }[] }> = {};
  for (const variant of ['baseline', 'avx2']) {
    const out = execFileSync(process.execPath, [tsx, self, '--native-only', '--json', ...extra], {
      encoding: 'utf8', env: { ...process.env, TRPO_NATIVE_VARIANT: variant, PREBUILDS_ONLY: process.env.PREBUILDS_ONLY },
    });
    results[variant] = JSON.parse(out.trim().split('\n').pop()!);
  }
  const base = results.baseline;
  const avx2 = results.avx2;
  console.log(`x64 binaries side by side (N=${args.n}, obs 17, act 6, 64x64, float32 / float64):`);
  console.log(`baseline: ${base.info.simd}   avx2: ${avx2.info.simd}`);
  console.log(['operation'.padEnd(22), 'baseline f32', 'avx2 f32', 'speedup', 'baseline f64', 'avx2 f64', 'speedup'].join('  '));
  base.rows.forEach((row, i) => {
    const a = avx2.rows[i].times;
    const b = row.times;
    console.log([row.op.padEnd(22), formatMs(b[0]).padStart(12), formatMs(a[0]).padStart(8), `${(b[0] / a[0]).toFixed(2)}x`.padStart(7),
      formatMs(b[1]).padStart(12), formatMs(a[1]).padStart(8), `${(b[1] / a[1]).toFixed(2)}x`.padStart(7)].join('  '));
  });
  process.exit(0);
}
const N = Number(args.n);
const OBS = 17;
const ACT = 6;
const HIDDEN = [64, 64];
const loadBefore = loadavg();
const info = nativeInfo();
if (!info.available) {
  console.error(`native backend unavailable: ${info.reason}`);
  process.exit(1);
}
if (args.threads) setNativeThreads(Number(args.threads));
const threads = nativeInfo().threads;

const rng = new Random(1);
const obs64 = Float64Array.from({ length: N * OBS }, () => rng.normal());
const obs32 = Float32Array.from(obs64);

interface Variant { label: string; policy: GaussianMlpPolicy; batch: Batch }
function variant(label: string, backend: 'native' | 'js', dtype: 'float32' | 'float64'): Variant {
  const policy = new GaussianMlpPolicy({ obsDim: OBS, actDim: ACT, hiddenSizes: HIDDEN, backend, dtype, seed: 7 });
  const obs = dtype === 'float32' && backend === 'native' ? obs32 : obs64;
  const { actions, logProb } = policy.sample(obs, { rng: new Random(3) });
  const advantages = Float64Array.from({ length: N }, () => rng.normal());
  return { label, policy, batch: { obs, actions, advantages, logProbOld: logProb } };
}
const variants = [variant('native float32', 'native', 'float32'), variant('native float64', 'native', 'float64')];
if (!args['native-only']) variants.push(variant('js (float64)', 'js', 'float64'));

const quick = args.quick;
const rounds = quick ? 3 : 9;
const step = { targetKl: 0.01, cgMaxSteps: 10, cgDamping: 0.1, lineSearchMaxIter: 10, lineSearchShrinkingFactor: 0.8 };

/**
 * Times one operation on every variant, alternating between them round by round (one warm-up
 * call each, then `rounds` rounds of one call per variant) and taking each variant's median, so
 * that the load of a shared machine weighs on all of them alike and the ratios stay meaningful.
 */
const rows: { op: string; times: number[] }[] = [];
function measure(op: string, fn: (v: Variant) => () => unknown): void {
  const calls = variants.map(fn);
  for (const call of calls) call();
  const samples = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    calls.forEach((call, i) => {
      const t0 = performance.now();
      call();
      samples[i].push(performance.now() - t0);
    });
  }
  rows.push({ op, times: samples.map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]) });
}

measure('forward', (v) => () => v.policy.forward(v.batch.obs));
measure('fisher-vector product', (v) => {
  const dir = Float64Array.from({ length: v.policy.numParameters }, () => rng.normal());
  return () => v.policy.fisherVectorProduct(v.batch.obs, dir, 0.1);
});
measure('CG, 10 iterations', (v) => {
  const g = v.policy.surrogateGradient(v.batch).gradient;
  return () => v.policy.solveFisher(v.batch.obs, g, { cgMaxSteps: 10, cgTol: 0, cgDamping: 0.1 });
});
measure('TRPO step (CG 10)', (v) => {
  const start = v.policy.getParameters();
  return () => {
    v.policy.setParameters(start);
    return v.policy.trpoStep(v.batch, step);
  };
});

if (args.json) {
  console.log(JSON.stringify({ info, rows }));
  process.exit(0);
}
console.log(`trpo-node core benchmark: N=${N}, obs ${OBS}, act ${ACT}, hidden ${HIDDEN.join('x')}`);
console.log(`native: ${info.variant} (${info.simd}), ${threads} thread(s); node ${process.version}; ${process.arch}`);
const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
console.log(`load average before ${load(loadBefore)}, after ${load(loadavg())}; medians of ${rounds} alternating rounds`);
const withJs = variants.length === 3;
const header = ['operation', ...variants.map((v) => v.label), ...(withJs ? ['f32 vs js', 'f64 vs js'] : [])];
const table = rows.map((r) => [
  r.op, ...r.times.map(formatMs),
  ...(withJs ? [`${(r.times[2] / r.times[0]).toFixed(1)}x`, `${(r.times[2] / r.times[1]).toFixed(1)}x`] : []),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));
