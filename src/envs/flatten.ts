/**
 * The two flat forms of an observation.
 *
 * - **Packed** (what vector envs batch, `VecEnv.obsDim` values per env): a Box's values
 *   (row-major), a Discrete's value itself (start included), a MultiDiscrete's or MultiBinary's
 *   components; a Dict's keys one after another in the space's key order (see `Dict`).
 * - **Flattened** (what a policy sees, `flatDim(space)` values; Gymnasium's `spaces.flatten`
 *   and SB3's MultiInputPolicy preprocessing with its flatten extractor): the same, except that
 *   a Discrete becomes a one-hot vector of n entries (index value - start) and a
 *   MultiDiscrete one one-hot vector per component, concatenated.
 *
 * For a Box (and a MultiBinary) both forms are the observation's values.
 */
import { describe } from './space-args.js';
import { Box, isBox, isDict, isDiscrete, isMultiBinary, isMultiDiscrete, type LeafSpace, type ObservationSpace } from './spaces.js';

/** Where one key (or the whole leaf space, key null) lies in the packed and flattened forms. */
export interface SpaceSegment {
  /** The Dict key of this part, or null for a leaf space. */
  key: string | null;
  /** The leaf space of this part. */
  space: LeafSpace;
  /** Offset in the packed form. */
  packedOffset: number;
  /** Length in the packed form (a Discrete value is 1 entry). */
  packedSize: number;
  /** Offset in the flattened form. */
  flatOffset: number;
  /** Length in the flattened form (a Discrete value is n one-hot entries). */
  flatSize: number;
}

function leafPackedSize(s: LeafSpace): number {
  return isDiscrete(s) ? 1 : s.size;
}

function leafFlatSize(s: LeafSpace): number {
  if (isDiscrete(s)) return s.n;
  if (isMultiDiscrete(s)) return s.nvec.reduce((a, b) => a + b, 0);
  return s.size;
}

const segmentCache = new WeakMap<object, readonly SpaceSegment[]>();

/** The segments of a space: one per Dict key in key order, or one (key null) for a leaf space. */
export function spaceSegments(space: ObservationSpace): readonly SpaceSegment[] {
  let segs = segmentCache.get(space);
  if (!segs) segmentCache.set(space, (segs = Object.freeze(computeSegments(space))));
  return segs;
}

function computeSegments(space: ObservationSpace): SpaceSegment[] {
  const leaves: [string | null, LeafSpace][] = isDict(space) ? space.keys.map((k) => [k, space.spaces[k]]) : [[null, space]];
  let p = 0;
  let f = 0;
  return leaves.map(([key, s]) => {
    const seg: SpaceSegment = { key, space: s, packedOffset: p, packedSize: leafPackedSize(s), flatOffset: f, flatSize: leafFlatSize(s) };
    p += seg.packedSize;
    f += seg.flatSize;
    return Object.freeze(seg);
  });
}

/** Values per observation in the packed form (a vector env's `obsDim`). */
export function packedSize(space: ObservationSpace): number {
  return spaceSegments(space).reduce((a, s) => a + s.packedSize, 0);
}

/** Values per observation in the flattened form (Gymnasium's `flatdim`; the policy's input size). */
export function flatDim(space: ObservationSpace): number {
  return spaceSegments(space).reduce((a, s) => a + s.flatSize, 0);
}

/** Whether the packed and flattened forms are the same (Box, MultiBinary, Dicts of them). */
export function packedIsFlat(space: ObservationSpace): boolean {
  return spaceSegments(space).every((s) => isBox(s.space) || isMultiBinary(s.space));
}

function leafValue(space: ObservationSpace, seg: SpaceSegment, obs: unknown): unknown {
  if (seg.key === null) return obs;
  if (typeof obs !== 'object' || obs === null) throw new TypeError(`observation: expected an object with keys ${describeKeys(space)}, got ${describe(obs)}`);
  if (!Object.prototype.hasOwnProperty.call(obs, seg.key)) throw new TypeError(`observation: missing key ${JSON.stringify(seg.key)} (${String(space)})`);
  return (obs as Record<string, unknown>)[seg.key];
}

function describeKeys(space: ObservationSpace): string {
  return isDict(space) ? space.keys.map((k) => JSON.stringify(k)).join(', ') : '';
}

/**
 * Write observation `obs` of `space` in the packed form into `out` at `offset` (a new array when
 * `out` is omitted). Assumes `obs` is a valid element of the space (see `assertValidObservation`).
 */
export function packObservation(space: ObservationSpace, obs: unknown, out?: Float64Array, offset = 0): Float64Array {
  const o = out ?? new Float64Array(packedSize(space));
  for (const seg of spaceSegments(space)) {
    const x = leafValue(space, seg, obs);
    if (isDiscrete(seg.space)) o[offset + seg.packedOffset] = x as number;
    else o.set(x as ArrayLike<number>, offset + seg.packedOffset);
  }
  return o;
}

/** The observation (Float64Array for a Box, number for a Discrete, Int32Array / Int8Array, object for a Dict) of packed values at `offset`. */
export function unpackObservation(space: ObservationSpace, packed: ArrayLike<number>, offset = 0): unknown {
  const segs = spaceSegments(space);
  const leaf = (seg: SpaceSegment): unknown => {
    const at = offset + seg.packedOffset;
    if (isDiscrete(seg.space)) return packed[at];
    const values = Array.prototype.slice.call(packed, at, at + seg.packedSize) as number[];
    if (isMultiDiscrete(seg.space)) return Int32Array.from(values);
    if (isMultiBinary(seg.space)) return Int8Array.from(values);
    return Float64Array.from(values);
  };
  if (!isDict(space)) return leaf(segs[0]);
  const out: Record<string, unknown> = {};
  for (const seg of segs) out[seg.key!] = leaf(seg);
  return out;
}

function oneHot(name: string, v: number, start: number, n: number, out: Float64Array, at: number, what: string): void {
  const i = v - start;
  if (!Number.isInteger(v) || i < 0 || i >= n) throw new RangeError(`${name}: ${what} is ${describe(v)}, expected an integer in [${start}, ${start + n})`);
  out.fill(0, at, at + n);
  out[at + i] = 1;
}

/**
 * Flatten `rows` packed observations (row-major, `packedSize(space)` each) into `out` (row-major,
 * `flatDim(space)` each, written from `outOffset`). Discrete and MultiDiscrete values must be
 * integers in range and MultiBinary values 0 or 1: a RangeError naming `name`, the row and the key otherwise.
 */
export function flattenPacked(space: ObservationSpace, packed: ArrayLike<number>, rows: number, out: Float64Array | Float32Array, name = 'obs', outOffset = 0): void {
  const segs = spaceSegments(space);
  const pd = packedSize(space);
  const fd = flatDim(space);
  if (packed.length < rows * pd) throw new RangeError(`${name}: expected ${rows} x ${pd} packed values, got ${packed.length}`);
  const scratch = new Float64Array(fd);
  for (let r = 0; r < rows; r++) {
    const p0 = r * pd;
    for (const seg of segs) {
      const s = seg.space;
      const where = seg.key === null ? `row ${r}` : `row ${r} key ${JSON.stringify(seg.key)}`;
      if (isDiscrete(s)) {
        oneHot(name, packed[p0 + seg.packedOffset], s.start, s.n, scratch, seg.flatOffset, `${where} (${String(s)})`);
      } else if (isMultiDiscrete(s)) {
        let f = seg.flatOffset;
        for (let i = 0; i < s.size; i++) {
          oneHot(name, packed[p0 + seg.packedOffset + i], s.start[i], s.nvec[i], scratch, f, `${where} component ${i} (${String(s)})`);
          f += s.nvec[i];
        }
      } else {
        for (let i = 0; i < seg.packedSize; i++) {
          const x = packed[p0 + seg.packedOffset + i];
          if (isMultiBinary(s) && x !== 0 && x !== 1) throw new RangeError(`${name}: ${where} bit ${i} is ${describe(x)}, expected 0 or 1 (${String(s)})`);
          scratch[seg.flatOffset + i] = x;
        }
      }
    }
    out.set(scratch, outOffset + r * fd);
  }
}

/**
 * The flattened form of one observation of `space` (Gymnasium's `spaces.flatten`): Box values
 * row-major, Discrete and MultiDiscrete one-hot, MultiBinary bits, Dict keys in key order.
 */
export function flattenObservation(space: ObservationSpace, obs: unknown): Float64Array {
  const packed = packObservation(space, obs);
  const out = new Float64Array(flatDim(space));
  flattenPacked(space, packed, 1, out, 'observation');
  return out;
}

/** The Box of flattened observations (Gymnasium's `flatten_space`): one-hot and bit entries in [0, 1]. */
export function flattenSpace(space: ObservationSpace): Box {
  const low: number[] = [];
  const high: number[] = [];
  for (const seg of spaceSegments(space)) {
    if (isBox(seg.space)) {
      low.push(...seg.space.low);
      high.push(...seg.space.high);
    } else {
      for (let i = 0; i < seg.flatSize; i++) {
        low.push(0);
        high.push(1);
      }
    }
  }
  return new Box(low, high, [low.length]);
}
