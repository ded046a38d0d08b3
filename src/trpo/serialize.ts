/**
 * The saved-model file format of `TRPO.save` / `TRPO.load` (format "trpo-node/model", version 1).
 *
 * One UTF-8 JSON document:
 *
 *   {
 *     "format": "trpo-node/model",      // identifies the file
 *     "formatVersion": 1,                // bumped on incompatible changes; load rejects newer versions
 *     "packageVersion": "0.1.0",         // trpo-node version that wrote it (informational)
 *     "checksum": "sha256:<hex>",        // SHA-256 of JSON.stringify(payload), in the file's key order
 *     "payload": {
 *       "algorithm": "TRPO", "policy": "MlpPolicy",
 *       "policyKind": "gaussian" | "categorical" | "multi-categorical" | "bernoulli" (Box, Discrete, MultiDiscrete, MultiBinary actions),
 *       "options": { ...every hyperparameter after defaults (ResolvedTRPOOptions) },
 *       "backend": "native" | "js",      // backend that trained the model
 *       "env": { "id": string | null, "numEnvs", "observationSpace": SpaceJSON, "actionSpace": SpaceJSON },
 *                                        // SpaceJSON: Box, Discrete, MultiDiscrete, MultiBinary or
 *                                        // { "type": "Dict", "spaces": [[key, SpaceJSON], ...] } (key order kept)
 *       "tensors": {                     // each { "dtype": "float64", "byteOrder": "little", "length", "base64" }
 *         "policy":   flat policy parameters in the core's PyTorch nn.Linear layout
 *                     (per layer W (out x in, row-major) then b; Gaussian log_std last),
 *         "value":    flat value-network parameters (same layout),
 *         "valueAdam": Adam state [t, m..., v...] of the critic
 *       },
 *       "rng": { "sample", "value", "predict" }: Random.getState() arrays (a missing spare normal as null),
 *       "seeds": { "base": integer, "pendingEnvSeed": integer | null },
 *       "progress": { "numTimesteps", "numUpdates", "targetKl" (adaptive trust region), "episodeReturns": [...], "episodeLengths": [...] },
 *       "vecNormalize": VecNormalize.getState() (statistics, settings, running "returns") | null,
 *       "envState": null | { "type": "SyncVectorEnv", "envs": [per-env getState()], "returns", "lengths",
 *                            "lastObs": tensor }   // for an exact resume of training; lastObs in the
 *                                                  // vector env's packed layout (numEnvs x packedSize)
 *     }
 *   }
 *
 * Float64 tensors are stored as base64 of little-endian IEEE-754 doubles, so the round trip is exact;
 * other numbers are JSON numbers (exact for doubles). Saving writes a temporary file in the same
 * directory, fsyncs it and renames it over the target (atomic on POSIX filesystems). Loading checks
 * the JSON syntax (a truncated file fails here), the format name and version, the checksum (any
 * altered byte of the payload fails here), then every field's type and length (model-file.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `format` field of every model file written by `TRPO.save`. */
export const MODEL_FORMAT = 'trpo-node/model';
/** The model-file format version this package writes; newer versions are refused with a ModelFileError. */
export const MODEL_FORMAT_VERSION = 1;

export interface EncodedTensor {
  dtype: 'float64';
  byteOrder: 'little';
  length: number;
  base64: string;
}

export function encodeF64(a: ArrayLike<number>): EncodedTensor {
  const bytes = new Uint8Array(a.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i], true);
  return { dtype: 'float64', byteOrder: 'little', length: a.length, base64: Buffer.from(bytes).toString('base64') };
}

/** A model-file error: names the file and what is wrong. */
export class ModelFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelFileError';
  }
}

export function decodeF64(t: unknown, name: string, expectedLength?: number): Float64Array {
  const e = t as EncodedTensor;
  if (typeof e !== 'object' || e === null || e.dtype !== 'float64' || e.byteOrder !== 'little' || typeof e.base64 !== 'string' || !Number.isInteger(e.length)) {
    throw new ModelFileError(`${name}: expected a float64 tensor { dtype: 'float64', byteOrder: 'little', length, base64 }`);
  }
  if (expectedLength !== undefined && e.length !== expectedLength) {
    throw new ModelFileError(`${name}: expected ${expectedLength} values, the file has ${e.length} (a model of another architecture?)`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(e.base64)) throw new ModelFileError(`${name}: invalid base64 data`);
  const buf = Buffer.from(e.base64, 'base64');
  if (buf.length !== e.length * 8) throw new ModelFileError(`${name}: expected ${e.length * 8} bytes of data, got ${buf.length}`);
  const out = new Float64Array(e.length);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < e.length; i++) {
    const x = view.getFloat64(i * 8, true);
    if (!Number.isFinite(x)) throw new ModelFileError(`${name}: value ${i} is ${x}`);
    out[i] = x;
  }
  return out;
}

/** Random.getState() as JSON (NaN, meaning "no spare normal", becomes null). */
export function encodeRng(state: number[]): (number | null)[] {
  return state.map((x) => (Number.isNaN(x) ? null : x));
}

export function decodeRng(s: unknown, name: string): number[] {
  if (!Array.isArray(s) || s.length !== 5 || !s.slice(0, 4).every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff) ||
    !(s[4] === null || (typeof s[4] === 'number' && Number.isFinite(s[4])))) {
    throw new ModelFileError(`${name}: expected a generator state of 4 uint32 and a number or null`);
  }
  return s.map((x) => (x === null ? Number.NaN : x)) as number[];
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

let packageVersionCache: string | undefined;

/** The version field of this package's package.json (found by walking up from this module). */
export function packageVersion(): string {
  if (packageVersionCache !== undefined) return packageVersionCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'trpo-node' && typeof pkg.version === 'string') return (packageVersionCache = pkg.version);
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return (packageVersionCache = 'unknown');
}

/** The whole file text for a payload. */
export function serializeModel(payload: Record<string, unknown>): string {
  const body = JSON.stringify(payload);
  // The payload is spliced in verbatim, so the checksum covers exactly the bytes written.
  const head = JSON.stringify({ format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, packageVersion: packageVersion(), checksum: sha256(body) });
  return `${head.slice(0, -1)},"payload":${body}}\n`;
}

/** Parse and check a model file's text; returns the payload. */
export function parseModel(text: string, path: string): Record<string, unknown> {
  const where = `TRPO.load(${JSON.stringify(path)})`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`${where}: the file is truncated or corrupted (not valid JSON: ${(e as Error).message})`, { cause: e });
  }
  const d = doc as Record<string, unknown>;
  if (typeof d !== 'object' || d === null || d.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${where}: not a trpo-node model file (expected format "${MODEL_FORMAT}", got ${JSON.stringify(d?.format)})`);
  }
  if (!Number.isInteger(d.formatVersion) || (d.formatVersion as number) < 1) {
    throw new ModelFileError(`${where}: invalid formatVersion ${JSON.stringify(d.formatVersion)}`);
  }
  if ((d.formatVersion as number) > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`${where}: format version ${String(d.formatVersion)} was written by trpo-node ${String(d.packageVersion)}; this version (${packageVersion()}) reads up to version ${MODEL_FORMAT_VERSION}`);
  }
  if (typeof d.payload !== 'object' || d.payload === null) throw new ModelFileError(`${where}: the file has no payload`);
  if (typeof d.checksum !== 'string') throw new ModelFileError(`${where}: the file has no checksum`);
  if (sha256(JSON.stringify(d.payload)) !== d.checksum) {
    throw new ModelFileError(`${where}: checksum mismatch: the file is corrupted (its content does not match the checksum written with it)`);
  }
  return d.payload as Record<string, unknown>;
}

/** Write text (UTF-8) or bytes to path atomically: a temporary file beside it, fsync, rename. */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'w', 0o644);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    if (fh) await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export async function readModelFile(path: string): Promise<Record<string, unknown>> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`TRPO.load: path: expected a file path, got ${String(path)}`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ModelFileError(`TRPO.load(${JSON.stringify(path)}): cannot read the file: ${(e as Error).message}`, { cause: e });
  }
  return parseModel(text, path);
}
