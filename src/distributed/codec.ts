/**
 * The binary frame of rollout jobs and results: a JSON header (plain metadata) and typed arrays
 * as their raw little-endian bytes, so that floats cross the wire exactly and compactly (not as
 * JSON numbers). BullMQ stores job data and results as JSON strings, so the frame travels as one
 * base64 string.
 *
 * Layout: "TRPOFRM1" (8 bytes), header length (uint32 LE), the header JSON (UTF-8), zero padding
 * to a multiple of 8, then each array's bytes at the offset the header gives (8-aligned).
 */
import { endianness } from 'node:os';

const MAGIC = 'TRPOFRM1';

/** The typed arrays a frame carries (their bytes exactly, little-endian). */
export type FrameArray = Float64Array | Float32Array | Int32Array | Uint8Array;
const TYPES = { Float64Array, Float32Array, Int32Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

interface ArrayEntry {
  name: string;
  type: TypeName;
  length: number;
  offset: number;
}

/** A decoded frame. */
export interface Frame {
  /** The JSON header's metadata. */
  meta: unknown;
  /** The arrays by name (copies, aligned). */
  arrays: Record<string, FrameArray>;
}

function checkEndianness(): void {
  if (endianness() !== 'LE') throw new Error('trpo-node distributed rollouts: frames are little-endian; this machine is big-endian');
}

function typeName(a: FrameArray): TypeName {
  for (const [k, C] of Object.entries(TYPES)) if (a instanceof C) return k as TypeName;
  throw new TypeError(`encodeFrame: unsupported array type ${Object.prototype.toString.call(a)}`);
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encode metadata and named typed arrays into one base64 frame. */
export function encodeFrame(meta: unknown, arrays: Record<string, FrameArray>): string {
  checkEndianness();
  const entries: ArrayEntry[] = [];
  let data = 0;
  for (const [name, a] of Object.entries(arrays)) {
    entries.push({ name, type: typeName(a), length: a.length, offset: data });
    data = align8(data + a.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries }), 'utf8');
  const start = align8(12 + header.length);
  const out = Buffer.alloc(start + data);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  for (const e of entries) {
    const a = arrays[e.name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + e.offset);
  }
  return out.toString('base64');
}

/** Decode a frame written by encodeFrame; throws a clear error for anything else. */
export function decodeFrame(text: unknown, what: string): Frame {
  checkEndianness();
  if (typeof text !== 'string') throw new TypeError(`${what}: expected a base64 frame string, got ${typeof text}`);
  const buf = Buffer.from(text, 'base64');
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new TypeError(`${what}: not a trpo-node rollout frame`);
  const hl = buf.readUInt32LE(8);
  if (12 + hl > buf.length) throw new TypeError(`${what}: truncated frame header`);
  let header: { meta: unknown; arrays: ArrayEntry[] };
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + hl)) as typeof header;
  } catch (e) {
    throw new TypeError(`${what}: corrupt frame header (${(e as Error).message})`);
  }
  const start = align8(12 + hl);
  const arrays: Record<string, FrameArray> = {};
  for (const e of header.arrays) {
    const C = TYPES[e.type];
    if (!C) throw new TypeError(`${what}: unknown array type ${String(e.type)} in the frame`);
    const bytes = e.length * C.BYTES_PER_ELEMENT;
    if (start + e.offset + bytes > buf.length) throw new TypeError(`${what}: truncated frame (array ${e.name})`);
    // Copy into a fresh, aligned buffer (the decoded Buffer may be pooled and unaligned).
    const ab = new ArrayBuffer(bytes);
    buf.copy(Buffer.from(ab), 0, start + e.offset, start + e.offset + bytes);
    arrays[e.name] = new C(ab);
  }
  return { meta: header.meta, arrays };
}
