/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 *   uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)
 * with CRC-32C (Castagnoli) masked as ((crc >>> 15) | (crc << 17)) + 0xa282ead8 (mod 2^32).
 */
import { createRequire } from 'node:module';

type Crc32c = (data: Uint8Array) => number;
let crc32cFn: Crc32c | null = null;

/** CRC-32C of @aws-crypto/crc32c (loaded on first use, keeping `import 'trpo-node'` fast). */
function crc32c(data: Uint8Array): number {
  crc32cFn ??= (createRequire(import.meta.url)('@aws-crypto/crc32c') as { crc32c: Crc32c }).crc32c;
  return crc32cFn(data);
}

const MASK_DELTA = 0xa282ead8;

/** TFRecord's masked CRC-32C of `data`. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** One record: the framed bytes of `data`. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Split a TFRecord file into its records' data, checking both CRCs of each; throws naming the bad record. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) throw new RangeError(`TFRecord ${records.length}: truncated header at byte ${pos}`);
    const len = Number(view.getBigUint64(pos, true));
    if (view.getUint32(pos + 8, true) !== maskedCrc32c(bytes.subarray(pos, pos + 8))) throw new RangeError(`TFRecord ${records.length}: length CRC mismatch at byte ${pos}`);
    const start = pos + 12;
    if (start + len + 4 > bytes.length) throw new RangeError(`TFRecord ${records.length}: truncated data at byte ${start}`);
    const data = bytes.subarray(start, start + len);
    if (view.getUint32(start + len, true) !== maskedCrc32c(data)) throw new RangeError(`TFRecord ${records.length}: data CRC mismatch at byte ${start}`);
    records.push(data);
    pos = start + len + 4;
  }
  return records;
}
