/**
 * The float helpers that make MuJoCo observations and rewards match numpy's last bits:
 * correctly rounded sin/cos (numpy's libm values; V8's Math.sin/cos differ now and then) and the
 * fused-multiply-add dot product behind np.linalg.norm in the reference recordings.
 * Reference values: mpmath at 200 bits and exact fractions (test/fixtures/mujoco-float-reference.json).
 */
import { describe, expect, it } from 'vitest';
import { cos, sin, sinCos } from '../../src/envs/mujoco/trig.js';
import { fusedMultiplyAdd, norm } from '../../src/envs/mujoco/numpy-sum.js';
import { fixture } from './mujoco-helpers.js';

const ref = fixture('mujoco-float-reference.json') as { trig_values: [number, number, number][]; fma_dot_values: [number[], number][] };

describe('correctly rounded sin/cos', () => {
  it('match the correctly rounded values of the reference arguments exactly', () => {
    const out = new Float64Array(2);
    let mathDiffers = 0;
    for (const [x, s, c] of ref.trig_values) {
      expect(sin(x), `sin(${x})`).toBe(s);
      expect(cos(x), `cos(${x})`).toBe(c);
      sinCos(x, out);
      expect([out[0], out[1]]).toEqual([s, c]);
      if (Math.sin(x) !== s || Math.cos(x) !== c) mathDiffers++;
    }
    // the reason for the helpers: the engine's Math.sin/cos miss some of them
    expect(ref.trig_values.length).toBeGreaterThan(400);
    console.log(`Math.sin/cos differ from the correctly rounded values at ${mathDiffers} of ${ref.trig_values.length} arguments`);
  });

  it('keep signed zeros and NaN, and fall back to Math for huge arguments', () => {
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(sin(Number.NaN)).toBeNaN();
    expect(cos(Infinity)).toBeNaN();
    expect(sin(1e9)).toBe(Math.sin(1e9));
  });
});

describe('norm (BLAS fused-multiply-add dot)', () => {
  it('reproduces the exact fma chain of the reference vectors', () => {
    let plainDiffers = 0;
    for (const [v, d] of ref.fma_dot_values) {
      expect(norm(v)).toBe(Math.sqrt(d));
      let acc = v[0] * v[0];
      for (let i = 1; i < v.length; i++) acc = fusedMultiplyAdd(v[i], v[i], acc);
      expect(acc).toBe(d);
      if (v.reduce((s, x) => s + x * x, 0) !== d) plainDiffers++;
    }
    expect(plainDiffers).toBeGreaterThan(0); // a plain sum would not do
  });

  it('rounds a·b + c once', () => {
    // 1 + 2^-52 squared = 1 + 2^-51 + 2^-104: only a fused operation keeps the 2^-104 term
    const a = 1 + 2 ** -52;
    expect(fusedMultiplyAdd(a, a, -(1 + 2 ** -51))).toBe(2 ** -104);
    expect(a * a - (1 + 2 ** -51)).toBe(0);
    expect(norm([])).toBe(0);
    expect(norm([3, 4])).toBe(5);
  });
});
