/**
 * The policy as a dependency-free ES module: the weights inlined as float64 literals (exact:
 * JavaScript prints the shortest decimal that reads back to the same double), `predict(obs)` and
 * `metadata` exported. Its float64 arithmetic is the JS backend's, operation for operation
 * (VecNormalize.normalizeObs, Mlp.forward, the deterministic Gaussian/categorical action of
 * JsPolicyCore.sample, TRPO.predict's clipping / shift), so its actions equal the JS backend's
 * deterministic predict bit for bit in the same JavaScript engine (tested in Node and in
 * Chromium). Across engines, ECMAScript leaves the last bit of Math.tanh/exp/log to the engine:
 * Node 20 (V8 11.3) and Chromium 156 differ by one ulp on about 0.02% of tanh inputs, so the same
 * module may differ in the last bits between them (by ~1e-16 relative).
 */
import type { Activation, ActionHead, PolicySpec } from './policy-spec.js';

/** The JS expression of each hidden activation applied to `s`, as the JS backend's (src/core/js/mlp.ts). */
const ACTIVATION_SOURCE: Record<Activation, string> = { tanh: 'Math.tanh(s)', relu: '(s > 0 ? s : 0)' };

/** A double as a JS literal that reads back to the same value (-0 and ±Infinity included). */
function literal(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (Number.isNaN(x)) throw new RangeError('ESM export: a parameter is NaN');
  return x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : String(x);
}

function f64(values: ArrayLike<number>): string {
  return `new Float64Array([${Array.from(values, literal).join(', ')}])`;
}

/** The head's constants and the body that turns the net output row `y` (at `yo`) of sample i into its actions in `out`. */
function headSource(head: ActionHead): { constants: string; width: number; body: string } {
  switch (head.kind) {
    case 'box':
      return {
        width: head.size,
        constants: `const LOG_STD = ${f64(head.logStd)};\nconst LOW = ${f64(head.low)};\nconst HIGH = ${f64(head.high)};`,
        // JsPolicyCore.sample with eps = 0, then TRPO.predict's clip
        body: `    for (let j = 0; j < ${head.size}; j++) {
      const a = y[yo + j] + Math.exp(LOG_STD[j]) * 0;
      out[i * ${head.size} + j] = Math.min(Math.max(a, LOW[j]), HIGH[j]);
    }`,
      };
    case 'discrete':
      return {
        width: 1,
        constants: `const START = ${head.start};\nconst ROW = new Float64Array(${head.n});`,
        // logSoftmax of JsPolicyCore, then the first maximum
        body: `    let max = -Infinity;
    for (let k = 0; k < ${head.n}; k++) if (y[yo + k] > max) max = y[yo + k];
    let sum = 0;
    for (let k = 0; k < ${head.n}; k++) sum += Math.exp(y[yo + k] - max);
    const logSum = Math.log(sum);
    for (let k = 0; k < ${head.n}; k++) ROW[k] = y[yo + k] - max - logSum;
    let pick = 0;
    for (let k = 1; k < ${head.n}; k++) if (ROW[k] > ROW[pick]) pick = k;
    out[i] = START !== 0 ? pick + START : pick;`,
      };
    case 'multiDiscrete': {
      const K = head.nvec.length;
      const offsets: number[] = [];
      head.nvec.reduce((o, k) => (offsets.push(o), o + k), 0);
      return {
        width: K,
        constants: `const NVEC = [${head.nvec.join(', ')}];\nconst OFFSETS = [${offsets.join(', ')}];\nconst STARTS = [${head.start.join(', ')}];\nconst ROW = new Float64Array(${Math.max(...head.nvec)});`,
        // per component: logSoftmax of JsPolicyCore, the first maximum, then TRPO.predict's + start
        body: `    for (let c = 0; c < ${K}; c++) {
      const k0 = yo + OFFSETS[c];
      const m = NVEC[c];
      let max = -Infinity;
      for (let k = 0; k < m; k++) if (y[k0 + k] > max) max = y[k0 + k];
      let sum = 0;
      for (let k = 0; k < m; k++) sum += Math.exp(y[k0 + k] - max);
      const logSum = Math.log(sum);
      for (let k = 0; k < m; k++) ROW[k] = y[k0 + k] - max - logSum;
      let pick = 0;
      for (let k = 1; k < m; k++) if (ROW[k] > ROW[pick]) pick = k;
      out[i * ${K} + c] = pick + STARTS[c];
    }`,
      };
    }
    case 'multiBinary':
      return {
        width: head.n,
        constants: '',
        // Bernoulli.mode: bit j is 1 when its logit is > 0
        body: `    for (let j = 0; j < ${head.n}; j++) out[i * ${head.n} + j] = y[yo + j] > 0 ? 1 : 0;`,
      };
  }
}

/** The module's source text. */
/** The flattening of the packed rows `x` into the policy's input rows (flattenPacked, with its range checks). */
function flattenSource(spec: PolicySpec): { constants: string; body: string } {
  if (!spec.flatten) return { constants: '', body: '' };
  const flatDim = spec.layers[0].inDim;
  return {
    constants: `const FLAT_DIM = ${flatDim};\nconst PIECES = ${JSON.stringify(spec.flatten)};`,
    body: `  const flat = new Float64Array(n * FLAT_DIM);
  for (let i = 0; i < n; i++) {
    const p0 = i * OBS_DIM;
    let f = i * FLAT_DIM;
    for (const p of PIECES) {
      if (p.kind === 'copy') {
        for (let j = 0; j < p.size; j++) {
          const v = x[p0 + p.packedOffset + j];
          if (p.binary && v !== 0 && v !== 1) throw new RangeError('predict: obs: row ' + i + ' entry ' + (p.packedOffset + j) + ' is ' + v + ', expected 0 or 1');
          flat[f++] = v;
        }
      } else {
        const v = x[p0 + p.packedOffset];
        const k = v - p.start;
        if (!Number.isInteger(v) || k < 0 || k >= p.n) throw new RangeError('predict: obs: row ' + i + ' entry ' + p.packedOffset + ' is ' + v + ', expected an integer in [' + p.start + ', ' + (p.start + p.n) + ')');
        flat[f + k] = 1;
        f += p.n;
      }
    }
  }
  x = flat;
`,
  };
}

/**
 * The source of the dependency-free ES module of a policy: exports `predict(obs)` (flat n × obsDim
 * packed values in, a Float64Array of actions out) and `metadata`; the weights inlined as float64.
 */
export function esmSourceOf(spec: PolicySpec): string {
  const norm = spec.normalization;
  const flatten = flattenSource(spec);
  const head = headSource(spec.head);
  const layers = spec.layers.map((l) => `  { inDim: ${l.inDim}, outDim: ${l.outDim}, weight: ${f64(l.weight)}, bias: ${f64(l.bias)} },`).join('\n');
  const d = spec.obsDim;
  return `// A TRPO policy exported by trpo-node ${spec.metadata.packageVersion}. Generated file: no imports, weights inlined.
// predict(obs): obs is a flat array of n x ${d} raw (packed) observations; returns a Float64Array of n x ${head.width} deterministic actions.

export const metadata = Object.freeze(${JSON.stringify(spec.metadata, null, 2)});

const OBS_DIM = ${d};
const ACT_WIDTH = ${head.width};
${norm ? `const OBS_MEAN = ${f64(norm.mean)};\nconst OBS_VAR = ${f64(norm.var)};\nconst OBS_EPSILON = ${literal(norm.epsilon)};\nconst OBS_CLIP = ${literal(norm.clip)};${norm.mask ? `\nconst OBS_NORM_MASK = ${JSON.stringify(norm.mask)};` : ''}` : '// (no observation normalization)'}
${flatten.constants}
const LAYERS = [
${layers}
];
${head.constants}

function dense(layer, x, n, hidden) {
  const { inDim, outDim, weight, bias } = layer;
  const z = new Float64Array(n * outDim);
  for (let i = 0; i < n; i++) {
    const xi = i * inDim;
    const zi = i * outDim;
    for (let o = 0; o < outDim; o++) {
      const wRow = o * inDim;
      let s = 0;
      for (let k = 0; k < inDim; k++) s += weight[wRow + k] * x[xi + k];
      s += bias[o];
      z[zi + o] = hidden ? ${ACTIVATION_SOURCE[spec.activation]} : s;
    }
  }
  return z;
}

export function predict(obs) {
  if (obs === null || typeof obs !== 'object' || typeof obs.length !== 'number') {
    throw new TypeError('predict: obs: expected a flat array of n x ' + OBS_DIM + ' numbers, got ' + (obs === null ? 'null' : typeof obs));
  }
  if (obs.length === 0 || obs.length % OBS_DIM !== 0) {
    throw new RangeError('predict: obs: length ' + obs.length + ' is not a positive multiple of the observation size ' + OBS_DIM);
  }
  const n = obs.length / OBS_DIM;
  let x = Float64Array.from(obs);
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k])) throw new RangeError('predict: obs: element ' + k + ' is ' + x[k] + ' (expected a finite number)');
  }
${norm ? `  for (let k = 0; k < x.length; k++) {
    const j = k % OBS_DIM;
${norm.mask ? '    if (!OBS_NORM_MASK[j]) continue;\n' : ''}    const z = (x[k] - OBS_MEAN[j]) / Math.sqrt(OBS_VAR[j] + OBS_EPSILON);
    x[k] = Math.min(Math.max(z, -OBS_CLIP), OBS_CLIP);
  }
` : ''}${flatten.body}  for (let l = 0; l < LAYERS.length; l++) x = dense(LAYERS[l], x, n, l < LAYERS.length - 1);
  const y = x;
  const outDim = LAYERS[LAYERS.length - 1].outDim;
  const out = new Float64Array(n * ACT_WIDTH);
  for (let i = 0; i < n; i++) {
    const yo = i * outDim;
${head.body}
  }
  return out;
}
`;
}
