// Run by the Windows Node.js (node.exe under Wine, see scripts/test-windows.sh) from an app folder in
// which the packed trpo-node tarball was installed for win32. Checks that the native backend loads
// from prebuilds/win32-x64 (the variant in TRPO_EXPECT_VARIANT), that it agrees with the pure-JS
// backend to 1e-9 (float64) on forward, FVP and a TRPO step, that a bad argument is a JS error, and
// (with TRPO_CHECK_LEARN=1) that a short `learn` on CartPole-v1 runs. Prints one line per check;
// exits with 1 on the first failure.
import { CategoricalMlpPolicy, GaussianMlpPolicy, Random, TRPO, makeVecEnv, nativeInfo, setNativeThreads } from 'trpo-node';

const TOL = 1e-9;

function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  console.log(`ok   ${what}`);
}

/** Largest error relative to the largest |js| value (as in test/backends-agree.test.ts). */
function relativeError(a, b) {
  const xs = typeof a === 'number' ? [a] : Array.from(a);
  const ys = typeof b === 'number' ? [b] : Array.from(b);
  if (xs.length !== ys.length) return Infinity;
  const scale = Math.max(1e-12, ...ys.map(Math.abs));
  return Math.max(0, ...xs.map((x, i) => Math.abs(x - ys[i]) / scale));
}

function agree(a, b, what) {
  const err = relativeError(a, b);
  check(err <= TOL, `${what}: native and JS agree (relative error ${err.toExponential(2)})`);
}

function pair(kind, obsDim, outDim, hiddenSizes, seed) {
  const make = (backend) =>
    kind === 'gaussian'
      ? new GaussianMlpPolicy({ obsDim, actDim: outDim, hiddenSizes, backend, dtype: 'float64', seed, logStdInit: -0.3 })
      : new CategoricalMlpPolicy({ obsDim, nActions: outDim, hiddenSizes, backend, dtype: 'float64', seed });
  const native = make('native');
  const js = make('js');
  const rng = new Random(seed + 1);
  const theta = Float64Array.from({ length: native.numParameters }, () => 0.5 * rng.normal());
  native.setParameters(theta);
  js.setParameters(theta);
  return { native, js, rng };
}

function agreement(kind, n) {
  const obsDim = 6;
  const outDim = 3;
  const { native, js, rng } = pair(kind, obsDim, outDim, [16, 8], 7);
  const obs = Float64Array.from({ length: n * obsDim }, () => rng.normal());
  agree(native.forward(obs), js.forward(obs), `${kind} forward (n=${n})`);
  const v = Float64Array.from({ length: native.numParameters }, () => rng.normal());
  agree(native.fisherVectorProduct(obs, v, 0.1), js.fisherVectorProduct(obs, v, 0.1), `${kind} FVP (n=${n})`);
  const { actions, logProb } = js.sample(obs, { rng });
  const batch = {
    obs,
    actions: kind === 'gaussian' ? actions : Int32Array.from(actions),
    advantages: Float64Array.from({ length: n }, () => rng.normal()),
    logProbOld: logProb,
  };
  const options = { cgMaxSteps: 4, cgDamping: 0.5, targetKl: 0.02, subSamplingFactor: 1 };
  const a = native.trpoStep(batch, options);
  const b = js.trpoStep(batch, options);
  check(a.accepted === b.accepted && a.backtracks === b.backtracks && a.cgIterations === b.cgIterations,
    `${kind} TRPO step: same accepted/backtracks/cgIterations (${a.accepted}/${a.backtracks}/${a.cgIterations})`);
  for (const key of ['surrogateBefore', 'surrogateAfter', 'kl', 'stepFraction', 'gradNorm', 'sFs']) agree(a[key], b[key], `${kind} TRPO step ${key}`);
  agree(native.getParameters(), js.getParameters(), `${kind} parameters after the TRPO step`);
}

async function learn() {
  const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 1 });
  const model = new TRPO('MlpPolicy', env, { nSteps: 256, batchSize: 128, seed: 1, backend: 'native' });
  const updates = [];
  await model.learn({ totalTimesteps: 2048, callback: (u) => { updates.push(u); } });
  await env.close();
  check(model.policy.backend === 'native', `learn used the native backend (${model.policy.backend})`);
  check(updates.length >= 4 && updates.every((u) => Number.isFinite(u.valueLoss) && Number.isFinite(u.kl)),
    `learn on CartPole-v1: ${updates.length} updates with finite statistics, ${updates.at(-1)?.timesteps} timesteps`);
}

async function main() {
  const info = nativeInfo();
  console.log(`node ${process.version} ${process.platform}-${process.arch}; native: ${JSON.stringify(info)}`);
  check(process.platform === 'win32' && process.arch === 'x64', `running on win32-x64 (${process.platform}-${process.arch})`);
  check(info.available === true, `the native backend loads (${info.reason ?? info.path})`);
  const expectedDir = ['node_modules', 'trpo-node', 'prebuilds', 'win32-x64', ''].join('\\');
  check(info.path.includes(expectedDir), `it was loaded from the win32 prebuild (${info.path})`);
  const expected = process.env.TRPO_EXPECT_VARIANT;
  check(expected === undefined || info.variant === expected, `variant ${info.variant} (expected ${expected ?? 'any'})`);

  agreement('gaussian', 50);
  agreement('categorical', 50);
  setNativeThreads(2);
  agreement('gaussian', 5000);   // several chunks on the native thread pool

  // A C++ exception thrown in the addon (node-addon-api) must reach JavaScript as a JS error.
  const policy = new GaussianMlpPolicy({ obsDim: 3, actDim: 1, backend: 'native', dtype: 'float64' });
  let error;
  try {
    policy.core.forward(new Float64Array(3), 1, new Float64Array(0));
  } catch (e) {
    error = e;
  }
  check((error instanceof RangeError || error instanceof TypeError) && /\bout\b/.test(error.message),
    `a bad argument to the addon is a JS error, not a crash (${error?.constructor.name}: ${error?.message})`);

  if (process.env.TRPO_CHECK_LEARN === '1') await learn();
  console.log('all checks passed');
}

main().catch((error) => {
  console.log(error.stack ?? String(error));
  process.exitCode = 1;
});
