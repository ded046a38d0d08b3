/**
 * exportPolicy: a trained policy for deployment without the trainer — an ONNX model (raw float32
 * observations in, deterministic actions out; onnx.ts) or a dependency-free ES module (float64,
 * the JS backend's arithmetic; esm.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TRPO } from '../trpo/trpo.js';
import { readModelFile, writeFileAtomic } from '../trpo/serialize.js';
import * as v from '../validate.js';
import { esmSourceOf } from './esm.js';
import { onnxModelOf } from './onnx.js';
import { policySpecOf, type ExportMetadata } from './policy-spec.js';

/** An export format: 'onnx' (an ONNX model, opset 13) or 'esm' (a dependency-free ES module). */
export type ExportFormat = 'onnx' | 'esm';

/** Options of exportPolicy. */
export interface ExportPolicyOptions {
  /** 'onnx' (an .onnx file, opset 13) or 'esm' (an .mjs ES module). */
  format: ExportFormat;
  /** The env id recorded in the metadata (default: the model's env's id, or the model file's). */
  envId?: string | null;
}

/** What exportPolicy wrote. */
export interface ExportResult {
  /** The file written. */
  path: string;
  /** Its format. */
  format: ExportFormat;
  /** Its size in bytes. */
  bytes: number;
  /** The metadata embedded in it. */
  metadata: ExportMetadata;
}

/**
 * Write the deterministic policy of `model` (a TRPO model, or the path of a model file) to `path`.
 * Both formats take raw observations (a model trained with VecNormalize has its observation
 * normalization and clipping built in) and give TRPO.predict(obs, { deterministic: true })'s
 * actions: Box actions clipped to the space, Discrete actions as elements of the space.
 * The file is written atomically (a temporary file, then a rename); its directory is created.
 * @throws TypeError (as a rejection) for a bad path, model or option; RangeError for an unknown format.
 * @example
 * ```ts
 * await exportPolicy('runs/cartpole/best_model.trpo.json', 'policy.onnx', { format: 'onnx' });
 * const { bytes, metadata } = await exportPolicy(model, 'policy.mjs', { format: 'esm' });
 * ```
 */
export async function exportPolicy(model: TRPO | string, path: string, options: ExportPolicyOptions): Promise<ExportResult> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`exportPolicy: path: expected a file path, got ${v.describe(path)}`);
  const o = v.object(options, 'exportPolicy: options');
  v.knownKeys(o, ['format', 'envId'], 'exportPolicy: options');
  if (o.format !== 'onnx' && o.format !== 'esm') throw new RangeError(`exportPolicy: options.format: expected 'onnx' or 'esm', got ${v.describe(o.format)}`);
  if (o.envId !== undefined && o.envId !== null && typeof o.envId !== 'string') throw new TypeError(`exportPolicy: options.envId: expected a string or null, got ${v.describe(o.envId)}`);
  let m: TRPO;
  let envId = o.envId as string | null | undefined;
  if (typeof model === 'string') {
    m = await TRPO.load(model, { backend: 'js' });
    if (envId === undefined) {
      const env = (await readModelFile(model)).env as { id?: unknown } | undefined;
      envId = typeof env?.id === 'string' ? env.id : null;
    }
  } else if (model instanceof TRPO) {
    m = model;
  } else {
    throw new TypeError(`exportPolicy: model: expected a TRPO model or a model file path, got ${v.describe(model)}`);
  }
  const spec = envId === undefined ? policySpecOf(m) : policySpecOf(m, envId);
  const data = o.format === 'onnx' ? onnxModelOf(spec) : esmSourceOf(spec);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, data);
  return { path, format: o.format, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, metadata: spec.metadata };
}

export { policySpecOf } from './policy-spec.js';
export type { ActionHead, Activation, DenseLayer, ExportMetadata, ObservationNormalization, ObservationPiece, PolicySpec } from './policy-spec.js';
export { onnxModelOf, ONNX_IR_VERSION, ONNX_OPSET } from './onnx.js';
export { esmSourceOf } from './esm.js';
