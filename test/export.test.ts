/**
 * exportPolicy: the ONNX model run by onnxruntime (onnxruntime-node) against TRPO.predict on the
 * same (normalized) observations, to 1e-5; the ES module against the JS backend's deterministic
 * predict bit for bit, in Node and in headless Chromium (Debian's chromium via playwright-core).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../src/export/onnx-proto.js';
import {
  type AnyEnv, Box, ONNX_OPSET, Random, type Env, type ObservationSpace, isDiscrete, isMultiBinary, isMultiDiscrete, packedSize, spaceSegments, type ResetArgs, type ResetResult, type StepResult, TRPO, VecNormalize, exportPolicy, makeVecEnv, type TRPOOptions, type VecNormalizeOptions,
} from '../src/index.js';
import { backendPredict, type BackendModel } from './fixtures/js-backend-predict.js';
import { CueEnv, CueMultiBinaryEnv, CueMultiDiscreteEnv, MultiBinaryActionEnv, MultiDiscreteActionEnv, TargetEnv } from './fixtures/space-envs.js';
import { FlakyEnv } from './trpo-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-export-'));
const CHROMIUM = process.env.TRPO_CHROMIUM ?? '/usr/bin/chromium';

/** Box(4) observations, Box(3) actions with different bounds per dimension (one unbounded above), reward -|a - target|. */
class ReachEnv implements Env<Float64Array, Float64Array> {
  readonly id = 'Reach-v0';
  readonly observationSpace = new Box(-5, 5, [4]);
  readonly actionSpace = new Box(Float64Array.of(-1, -0.05, -3), Float64Array.of(1, 0.05, Infinity));
  private rng = new Random(3);
  private x = new Float64Array(4);
  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    if (args.seed !== undefined) this.rng.seed(args.seed);
    this.x = Float64Array.from({ length: 4 }, () => this.rng.normal());
    return { observation: Float64Array.from(this.x), info: {} };
  }
  step(a: Float64Array): StepResult<Float64Array> {
    const reward = -Math.abs(a[0] - this.x[0]) - Math.abs(a[1] - this.x[1]) - Math.abs(a[2] - 2 * this.x[2]);
    this.x = Float64Array.from({ length: 4 }, () => this.rng.normal());
    return { observation: Float64Array.from(this.x), reward, terminated: false, truncated: false, info: {} };
  }
  close(): void {}
}

interface Case {
  name: string;
  env: string | (() => AnyEnv & { readonly id: string });
  normalize: false | VecNormalizeOptions;
  options: TRPOOptions;
  /** Raw observation scale (some rows are scaled up to hit the normalization's clipping). */
  scale: number;
  /** After training, add N(0, perturb²) to every policy parameter (so that a saturated head gives varied actions). */
  perturb?: number;
}

const CASES: Case[] = [
  { name: 'Pendulum-v1 (Box actions, VecNormalize)', env: 'Pendulum-v1', normalize: { normObs: true, normReward: true }, options: {}, scale: 1 },
  { name: 'CartPole-v1 (Discrete, net [32, 16])', env: 'CartPole-v1', normalize: false, options: { policyKwargs: { netArch: [32, 16] } }, scale: 1 },
  { name: 'Box(3) actions with per-dimension bounds, net [16]', env: () => new ReachEnv(), normalize: false, options: { policyKwargs: { netArch: [16], logStdInit: 1 } }, scale: 2 },
  { name: 'Pendulum-v1, ReLU hidden layers, PyTorch init', env: 'Pendulum-v1', normalize: { normObs: true }, options: { policyKwargs: { activationFn: 'relu', orthoInit: false } }, scale: 1 },
  { name: 'Discrete(3, start -1), VecNormalize, no hidden layer', env: () => new FlakyEnv(), normalize: { normObs: true }, options: { policyKwargs: { netArch: { pi: [], vf: [8] } } }, scale: 3 },
  { name: 'MultiDiscrete([3, 2], start [0, 1]), VecNormalize, net [8]', env: () => new MultiDiscreteActionEnv(), normalize: { normObs: true }, options: { policyKwargs: { netArch: [8] } }, scale: 3 },
  { name: 'Dict observation { cue: Discrete(3, start 1), position: Box(2) }, per-key VecNormalize', env: () => new CueEnv(), normalize: { normObs: true }, options: { policyKwargs: { netArch: [8] } }, scale: 2 },
  { name: 'Discrete(3) observations, Box(1) actions', env: () => new TargetEnv(), normalize: false, options: { policyKwargs: { netArch: [8] } }, scale: 1 },
  { name: 'MultiDiscrete observations and actions (one-hot folded in)', env: () => new CueMultiDiscreteEnv(), normalize: { normObs: true, normReward: true }, options: { policyKwargs: { netArch: [8] } }, scale: 1, perturb: 1 },
  { name: 'MultiBinary observations and actions, VecNormalize(normObs: false)', env: () => new CueMultiBinaryEnv(), normalize: { normObs: false, normReward: true }, options: { policyKwargs: { netArch: [8] } }, scale: 1, perturb: 1 },
  { name: 'MultiBinary(3), ReLU, net [8, 8], perturbed', env: () => new MultiBinaryActionEnv(), normalize: false, options: { policyKwargs: { netArch: [8, 8], activationFn: 'relu' } }, scale: 3, perturb: 1 },
];

interface Trained {
  c: Case;
  model: TRPO;
  raw: Float64Array;
  /** TRPO.predict(normalized raw, deterministic) of the JS backend. */
  expected: Float64Array;
}

const trained: Trained[] = [];

/** Whether the model's VecNormalize changes observations (it does not for normObs: false, or a space without Box entries). */
function normalizesObservations(model: TRPO, raw: Float64Array): boolean {
  if (!model.normalized) return false;
  const z = (model.env as VecNormalize).normalizeObs(raw);
  return z.some((x, k) => x !== raw[k]);
}

/**
 * n raw packed observations of `space`, float32-representable (so ONNX and predict see the same
 * numbers): Box entries normal x scale (every 7th row x 200, to hit the normalization's clipping),
 * Discrete/MultiDiscrete values and MultiBinary bits uniform over the space.
 */
function rawObservations(space: ObservationSpace | number, n: number, scale: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const sp = typeof space === 'number' ? new Box(-Infinity, Infinity, [space]) : space;
  const d = packedSize(sp);
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (const seg of spaceSegments(sp)) {
      const s = seg.space;
      for (let j = 0; j < seg.packedSize; j++) {
        const k = r * d + seg.packedOffset + j;
        if (isDiscrete(s)) out[k] = s.start + rng.integer(s.n);
        else if (isMultiDiscrete(s)) out[k] = s.start[j] + rng.integer(s.nvec[j]);
        else if (isMultiBinary(s)) out[k] = rng.integer(2);
        else out[k] = rng.normal() * scale * (r % 7 === 0 ? 200 : 1);
      }
    }
  }
  return Float64Array.from(out);
}

beforeAll(async () => {
  for (const [i, c] of CASES.entries()) {
    const env = await makeVecEnv(c.env, { nEnvs: 2, seed: i, normalize: c.normalize });
    const model = new TRPO('MlpPolicy', env, { nSteps: 64, batchSize: 64, nCriticUpdates: 2, seed: 10 + i, backend: 'js', ...c.options });
    await model.learn({ totalTimesteps: 3 * 128 });
    if (c.perturb) {
      const rng = new Random(50 + i);
      model.policy.setParameters(Array.from(model.policy.getParameters(), (p) => p + c.perturb! * rng.normal()));
    }
    const raw = rawObservations(model.observationSpace, 64, c.scale, 100 + i);
    const obs = model.normalized ? (env as VecNormalize).normalizeObs(raw) : raw;
    trained.push({ c, model, raw, expected: model.predict(obs, { deterministic: true }) });
  }
}, 120_000);

describe('ONNX export', () => {
  for (const [i, c] of CASES.entries()) {
    it(`${c.name}: onnxruntime gives predict()'s deterministic actions from raw observations (to 1e-5)`, async () => {
      const { model, raw, expected } = trained[i];
      const path = join(dir, `policy-${i}.onnx`);
      const res = await exportPolicy(model, path, { format: 'onnx' });
      expect(res.bytes).toBe(readFileSync(path).length);
      const session = await ort.InferenceSession.create(path);
      expect(session.inputNames).toEqual(['obs']);
      expect(session.outputNames).toEqual(['action']);
      const n = raw.length / model.envObsDim;
      const out = await session.run({ obs: new ort.Tensor('float32', Float32Array.from(raw), [n, model.envObsDim]) });
      const action = out.action;
      const actionType = model.actionSpace.toJSON().type;
      if (actionType === 'Discrete') {
        expect(action.type).toBe('int64');
        expect(action.dims).toEqual([n]);
        expect(Array.from(action.data as BigInt64Array, Number)).toEqual(Array.from(expected));
      } else if (actionType === 'MultiDiscrete' || actionType === 'MultiBinary') {
        expect(action.type).toBe('int64');
        expect(action.dims).toEqual([n, model.actDim]);
        expect(Array.from(action.data as BigInt64Array, Number)).toEqual(Array.from(expected));
        // the rows are not all one action: the test sees the per-component argmax / per-bit threshold at work
        const rows = new Set(Array.from({ length: n }, (_, r) => Array.from(expected.subarray(r * model.actDim, (r + 1) * model.actDim)).join(',')));
        expect(rows.size).toBeGreaterThan(1);
      } else {
        expect(action.type).toBe('float32');
        expect(action.dims).toEqual([n, model.actDim]);
        const got = action.data as Float32Array;
        for (let k = 0; k < expected.length; k++) expect(Math.abs(got[k] - expected[k]), `action ${k}`).toBeLessThanOrEqual(1e-5);
      }
      // some raw rows are far outside the normalization's clip range, and the clipping is in the graph
      if (normalizesObservations(model, raw)) expect(Math.max(...Array.from((model.env as VecNormalize).normalizeObs(raw), Math.abs))).toBe(10);
    });
  }

  it('is an opset-13 model with a float32 [batch, obsDim] input named obs and the metadata', async () => {
    const { model } = trained[0];
    const path = join(dir, 'policy-meta.onnx');
    await exportPolicy(model, path, { format: 'onnx' });
    const m = decodeModel(readFileSync(path)) as { opset_import: { version: number }[]; ir_version: number; graph: { input: { name: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[]; node: { op_type: string }[] }; metadata_props: { key: string; value: string }[] };
    expect(m.opset_import[0].version).toBe(ONNX_OPSET);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    const input = m.graph.input[0];
    expect(input.name).toBe('obs');
    expect(input.type.tensor_type.elem_type).toBe(1); // FLOAT
    expect(input.type.tensor_type.shape.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 3 }]);
    expect(m.graph.node.map((nd) => nd.op_type).slice(0, 3)).toEqual(['Sub', 'Div', 'Clip']);
    const meta = Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]));
    expect(meta.envId).toBe('Pendulum-v1');
    expect(Number(meta.numTimesteps)).toBe(model.numTimesteps);
  });

  const pyOnnx = spawnSync('python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  const noOnnx = pyOnnx.status !== 0 ? `Python's onnx cannot be imported (${(pyOnnx.error?.message ?? pyOnnx.stderr.trim().split('\n').pop()) || 'python3 failed'})` : null;
  if (noOnnx) console.warn(`export.test.ts: skipping onnx.checker: ${noOnnx}`);
  it.skipIf(noOnnx !== null)(`passes onnx.checker.check_model with full_check (shape inference)${noOnnx ? ` (skipped: ${noOnnx})` : ''}`, async () => {
    for (const [i] of CASES.entries()) {
      const path = join(dir, `policy-check-${i}.onnx`);
      await exportPolicy(trained[i].model, path, { format: 'onnx' });
      const out = execFileSync('python3', ['-c', 'import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint("ok", m.opset_import[0].version)', path], { encoding: 'utf8' });
      expect(out.trim()).toBe(`ok ${ONNX_OPSET}`);
    }
  });
});

describe('ES module export', () => {
  for (const [i, c] of CASES.entries()) {
    it(`${c.name}: predict(raw obs) equals the JS backend's deterministic predict bit for bit, in Node`, async () => {
      const { model, raw, expected } = trained[i];
      const path = join(dir, `policy-${i}.mjs`);
      await exportPolicy(model, path, { format: 'esm' });
      const src = readFileSync(path, 'utf8');
      expect(src).not.toMatch(/\bimport\b|\brequire\s*\(/);
      const mod = (await import(pathToFileURL(path).href)) as { predict: (o: ArrayLike<number>) => Float64Array; metadata: Record<string, unknown> };
      const got = mod.predict(raw);
      expect(got).toBeInstanceOf(Float64Array);
      expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(expected.buffer));
      expect(mod.metadata).toMatchObject({
        envId: typeof c.env === 'string' ? c.env : c.env().id, numTimesteps: model.numTimesteps, packageVersion: expect.any(String),
        observationSpace: model.observationSpace.toJSON(), actionSpace: model.actionSpace.toJSON(), normalizesObservations: normalizesObservations(model, raw),
      });
      expect(() => mod.predict(model.envObsDim > 1 ? raw.subarray(1) : raw.subarray(0, 0))).toThrow(RangeError);
      expect(() => mod.predict(Float64Array.of(...raw.subarray(0, model.envObsDim - 1), Number.NaN))).toThrow(/element \d+ is NaN/);
      // a Discrete / MultiDiscrete value outside the space: a RangeError, as predict() gives
      const seg = spaceSegments(model.observationSpace).find((g) => isDiscrete(g.space) || isMultiDiscrete(g.space));
      if (seg) {
        const bad = Float64Array.from(raw.subarray(0, model.envObsDim));
        bad[seg.packedOffset] = isDiscrete(seg.space) ? seg.space.start + seg.space.n : (seg.space as { start: readonly number[] }).start[0] - 1;
        expect(() => model.predict(bad, { deterministic: true })).toThrow(RangeError);
        expect(() => mod.predict(bad)).toThrow(/predict: obs: row 0 entry \d+ is -?\d+, expected an integer in/);
      }
    });
  }

  it('a native-trained model (float32) exports the weights exactly: the module equals the model loaded into the JS backend', async () => {
    const env = await makeVecEnv('Acrobot-v1', { nEnvs: 2, normalize: true });
    const model = new TRPO('MlpPolicy', env, { nSteps: 64, batchSize: 64, nCriticUpdates: 2, seed: 4 });
    await model.learn({ totalTimesteps: 256 });
    const file = join(dir, 'acrobot.trpo.json');
    await model.save(file);
    const path = join(dir, 'acrobot.mjs');
    const res = await exportPolicy(file, path, { format: 'esm' });
    expect(res.metadata.envId).toBe('Acrobot-v1');
    const js = await TRPO.load(file, { backend: 'js', env: await makeVecEnv('Acrobot-v1', { nEnvs: 1, normalize: true }) });
    expect(js.backend).toBe('js');
    const raw = rawObservations(6, 32, 1, 7);
    const obs = (js.env as VecNormalize).normalizeObs(raw);
    const mod = (await import(pathToFileURL(path).href)) as { predict: (o: ArrayLike<number>) => Float64Array };
    expect(Array.from(mod.predict(raw))).toEqual(Array.from(js.predict(obs, { deterministic: true })));
  });

  it('rejects bad arguments naming them', async () => {
    const { model } = trained[0];
    await expect(exportPolicy(model, join(dir, 'x'), { format: 'tflite' as never })).rejects.toThrow(/options\.format: expected 'onnx' or 'esm'/);
    await expect(exportPolicy({} as never, join(dir, 'x'), { format: 'esm' })).rejects.toThrow(/exportPolicy: model: expected a TRPO model or a model file path/);
    await expect(exportPolicy(model, '', { format: 'esm' })).rejects.toThrow(/exportPolicy: path/);
  });
});

/** Run in the page (a string, so that the test transform leaves its dynamic imports alone): import both modules from blob URLs, predict with each. */
const IN_PAGE = `async ({ policySrc, backendSrc, model, obs }) => {
  const load = (src) => import(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  const policy = await load(policySrc);
  const backend = await load(backendSrc);
  const bits = (a) => Array.from(new Uint32Array(a.buffer));
  const esm = policy.predict(obs);
  return { esm: Array.from(esm), esmBits: bits(esm), backendBits: bits(backend.backendPredict(model, obs)), envId: policy.metadata.envId, ua: navigator.userAgent };
}`;

/** The JS backend's predict (test/fixtures/js-backend-predict.ts) bundled for the browser; node:fs (VecNormalize's save/load) stubbed. */
async function backendBundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(__dirname, 'fixtures', 'js-backend-predict.ts')], bundle: true, format: 'esm', platform: 'browser', write: false,
    plugins: [{
      name: 'stub-node-fs',
      setup(b) {
        b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const readFile = undefined; export const writeFile = undefined;' }));
      },
    }],
  });
  return out.outputFiles[0].text;
}

function backendModelOf(model: TRPO): BackendModel {
  const space = model.actionSpace.toJSON() as { type: string; low?: number[]; high?: number[]; n?: number; start?: number | number[]; nvec?: number[] };
  const gaussian = space.type === 'Box';
  const b = gaussian ? (model.actionSpace as unknown as { low: Float64Array; high: Float64Array }) : null;
  const kind = ({ Box: 'gaussian', Discrete: 'categorical', MultiDiscrete: 'multiCategorical', MultiBinary: 'bernoulli' } as const)[space.type as 'Box'];
  const outDim = gaussian ? model.actDim : space.type === 'MultiDiscrete' ? space.nvec!.reduce((a, c) => a + c, 0) : space.n!;
  return {
    kind, observationSpace: model.observationSpace.toJSON(), outDim, nvec: space.nvec ?? [],
    hiddenSizes: model.options.policyKwargs.netArch.pi, activationFn: model.policy.activationFn, params: Array.from(model.policy.getParameters()),
    normalization: model.normalized ? model.normalizationState() : null,
    low: b && Array.from(b.low, String), high: b && Array.from(b.high, String), start: space.start ?? 0,
  };
}

describe('ES module export in headless Chromium', () => {
  let browser: Browser | null = null;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: the export browser test needs Debian's Chromium; install it with \`apt-get install -y chromium\`, or set TRPO_CHROMIUM`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('in the browser the module computes the same bits as the JS backend in the same engine, and agrees with Node to the engines\' Math.tanh', async () => {
    const backendSrc = await backendBundle();
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.setContent('<!doctype html><title>policy</title>');
      for (const [i, c] of CASES.entries()) {
        const { raw, expected, model } = trained[i];
        // the bundled backend is TRPO.predict: check it in Node first
        const bm = backendModelOf(model);
        expect(new Uint32Array(backendPredict(bm, raw).buffer)).toEqual(new Uint32Array(expected.buffer));
        const path = join(dir, `policy-browser-${i}.mjs`);
        await exportPolicy(model, path, { format: 'esm' });
        const arg = { policySrc: readFileSync(path, 'utf8'), backendSrc, model: bm, obs: Array.from(raw) };
        const res = await page.evaluate<{ esm: number[]; esmBits: number[]; backendBits: number[]; envId: string | null; ua: string }>(`(${IN_PAGE})(${JSON.stringify(arg)})`);
        expect(res.ua).toMatch(/Chrome/);
        expect(res.envId).toBe(typeof c.env === 'string' ? c.env : c.env().id);
        expect(res.esmBits).toEqual(res.backendBits);
        // Across engines only the transcendental functions differ (ECMAScript leaves their last bit to the engine)
        res.esm.forEach((a, k) => expect(Math.abs(a - expected[k]), `action ${k}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[k]))));
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
