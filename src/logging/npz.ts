/**
 * NumPy .npz files (what SB3's EvalCallback writes as evaluations.npz): a zip archive of .npy
 * arrays. An .npy file (format version 1.0) is the magic "\x93NUMPY", the version bytes 1 0, a
 * little-endian uint16 header length, an ASCII header — a Python dict literal with 'descr',
 * 'fortran_order' and 'shape', padded with spaces and ended by '\n' so that the data starts at a
 * multiple of 64 bytes — then the data in C order.
 */
import { writeFile } from 'node:fs/promises';
import { zipSync } from 'fflate';

/** One array of an .npy/.npz file. */
export interface NpyArray {
  /** '<f8' (float64) or '<i8' (int64), little-endian. */
  dtype: '<f8' | '<i8';
  /** Dimensions, C order (e.g. [nEvaluations, nEpisodes]); their product is data.length. */
  shape: number[];
  /** The values in C (row-major) order; int64 values must be safe integers. */
  data: ArrayLike<number>;
}

/**
 * The .npy (format 1.0) bytes of `a`.
 * @throws RangeError when the shape's size differs from data.length.
 */
export function npyBytes(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((p, d) => p * d, 1);
  if (count !== a.data.length) throw new RangeError(`npyBytes: shape (${a.shape.join(', ')}) holds ${count} values, got ${a.data.length}`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${a.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + count * 8);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const base = 10 + header.length;
  for (let i = 0; i < count; i++) {
    const x = a.data[i];
    if (a.dtype === '<f8') view.setFloat64(base + i * 8, x, true);
    else view.setBigInt64(base + i * 8, BigInt(x), true);
  }
  return out;
}

/** Write `arrays` as an .npz archive (np.load(path)[name] gives each array). */
export async function writeNpz(path: string, arrays: Record<string, NpyArray>): Promise<void> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) files[`${name}.npy`] = npyBytes(a);
  await writeFile(path, zipSync(files, { level: 0 }));
}
