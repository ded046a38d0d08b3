// Weight initialization (src/core/init.ts): SB3's orthogonal scheme and PyTorch's default.
import { describe, expect, it } from 'vitest';
import { orthogonalInit, pytorchDefaultInit, SB3_GAINS } from '../src/core/init.js';
import { Random } from '../src/random.js';
import { expectClose, sameBits } from './core-math-helpers.js';

describe('orthogonalInit', () => {
  const layers = [
    { in: 4, out: 8, gain: SB3_GAINS.hidden },
    { in: 8, out: 8, gain: SB3_GAINS.hidden },
    { in: 8, out: 2, gain: SB3_GAINS.policyHead },
    { in: 3, out: 3, gain: -1.5 },
  ];

  it('makes orthogonal weights scaled by gain, zero biases, in nn.Linear layout', () => {
    const p = orthogonalInit(layers, new Random(3));
    expect(p.length).toBe(4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2 + 9 + 3);
    let offset = 0;
    for (const { in: cols, out: rows, gain } of layers) {
      const W = p.subarray(offset, offset + rows * cols);
      const b = p.subarray(offset + rows * cols, offset + rows * cols + rows);
      expect(Array.from(b)).toEqual(new Array(rows).fill(0));
      // rows >= cols: W^T W = gain^2 I (cols x cols); rows < cols: W W^T = gain^2 I (rows x rows).
      const k = Math.min(rows, cols);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          if (rows >= cols) for (let r = 0; r < rows; r++) s += W[r * cols + i] * W[r * cols + j];
          else for (let c = 0; c < cols; c++) s += W[i * cols + c] * W[j * cols + c];
          expect(s).toBeCloseTo(i === j ? gain * gain : 0, 12);
        }
      }
      offset += rows * cols + rows;
    }
  });

  it('is deterministic in the seed', () => {
    expect(sameBits(orthogonalInit(layers, new Random(3)), orthogonalInit(layers, new Random(3)))).toBe(true);
    expect(sameBits(orthogonalInit(layers, new Random(3)), orthogonalInit(layers, new Random(4)))).toBe(false);
  });

  it('is PyTorch orthogonal_ for a 1x1 and a column matrix (Q sign fixed by diag R > 0)', () => {
    // For an m x 1 matrix A, orthogonal_ gives A / |A| (R = |A| > 0 after the sign fix).
    const rng = new Random(9);
    const z = [rng.normal(), rng.normal(), rng.normal()];
    const p = orthogonalInit([{ in: 1, out: 3, gain: 2 }], new Random(9));
    const nz = Math.hypot(...z);
    expectClose(p.subarray(0, 3), z.map((x) => (2 * x) / nz), 1e-15);
    // a 1 x 3 row is transposed first: same result as a row
    const q = orthogonalInit([{ in: 3, out: 1, gain: 2 }], new Random(9));
    expectClose(q.subarray(0, 3), z.map((x) => (2 * x) / nz), 1e-15);
  });

  it('validates layers', () => {
    expect(() => orthogonalInit([{ in: 0, out: 2, gain: 1 }], new Random(1))).toThrow(/layers\[0\]\.in/);
    expect(() => orthogonalInit([{ in: 2, out: 2, gain: Number.NaN }], new Random(1))).toThrow(/gain/);
  });
});

describe('pytorchDefaultInit', () => {
  it("is nn.Linear's default: every weight and bias of a layer in [-1/sqrt(fan_in), 1/sqrt(fan_in)], seeded", () => {
    const widths = [5, 16, 3];
    const p = pytorchDefaultInit(widths, new Random(3));
    expect(p.length).toBe(5 * 16 + 16 + 16 * 3 + 3);
    const layer1 = p.subarray(0, 5 * 16 + 16);
    const layer2 = p.subarray(5 * 16 + 16);
    const b1 = 1 / Math.sqrt(5);
    const b2 = 1 / Math.sqrt(16);
    expect(Math.max(...Array.from(layer1, Math.abs))).toBeLessThanOrEqual(b1);
    expect(Math.max(...Array.from(layer2, Math.abs))).toBeLessThanOrEqual(b2);
    // uniform: the spread fills the bound (not the orthogonal scheme's zero biases)
    expect(Math.max(...Array.from(layer1, Math.abs))).toBeGreaterThan(0.8 * b1);
    expect(Array.from(p.subarray(5 * 16, 5 * 16 + 16)).some((x) => x !== 0)).toBe(true);
    const mean = Array.from(layer1).reduce((a, x) => a + x, 0) / layer1.length;
    const variance = Array.from(layer1).reduce((a, x) => a + (x - mean) ** 2, 0) / layer1.length;
    expect(variance).toBeGreaterThan(0.6 * (b1 * b1) / 3);
    expect(variance).toBeLessThan(1.4 * (b1 * b1) / 3);
    expect(Array.from(pytorchDefaultInit(widths, new Random(3)))).toEqual(Array.from(p));
    expect(Array.from(pytorchDefaultInit(widths, new Random(4)))).not.toEqual(Array.from(p));
  });
});
