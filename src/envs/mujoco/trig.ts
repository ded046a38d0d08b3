/**
 * sin and cos rounded correctly to float64 (up to rare hard cases), for observations that must
 * match Gymnasium's numpy values to the last bit.
 *
 * numpy's float64 sin/cos give the C library's results (glibc: correctly rounded except about
 * 0.15% of arguments), while V8's Math.sin/Math.cos (fdlibm) differ from them in the last bit for
 * about 3% of arguments. Here the argument is reduced by π/2 and the Taylor series summed in
 * double-double arithmetic (about 106 bits), then rounded once.
 */

/** A double-double number hi + lo with |lo| <= ulp(hi)/2. */
type DD = [number, number];

/** π/2 as the sum of three doubles (≈ 160 bits). */
const PIO2_A = 1.5707963267948966;
const PIO2_B = 6.123233995736766e-17;
const PIO2_C = -1.4973849048591698e-33;
/** Past this |x| the double-double reduction loses accuracy: fall back to Math.sin/cos. */
const MAX_REDUCED = 1e6;

/** Knuth's error-free sum: a + b = s + e exactly. */
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** Error-free sum for |a| >= |b|. */
function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

/** Dekker's error-free product without FMA: a·b = p + e exactly. */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = 134217729 * a; // 2^27 + 1 splits a into two 26-bit halves
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return quickTwoSum(s, e + a[1] + b[1]);
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function ddDivNumber(a: DD, b: number): DD {
  const q = a[0] / b;
  const [p, e] = twoProd(q, b);
  return quickTwoSum(q, (a[0] - p - e + a[1]) / b);
}

/** Taylor coefficients (−1)^n/n! as double-double, n = 0..28 (their tails are summed in plain doubles). */
const INV_FACT: DD[] = [[1, 0]];
for (let n = 1; n <= 28; n++) INV_FACT.push(ddDivNumber(INV_FACT[n - 1], n));
const coef = (n: number): DD => (Math.floor(n / 2) % 2 === 0 ? INV_FACT[n] : [-INV_FACT[n][0], -INV_FACT[n][1]]);
/** Plain-double coefficients of the tails, highest power first. */
const SIN_TAIL = [27, 25, 23, 21, 19, 17, 15, 13, 11, 9].map((n) => coef(n)[0]);
const COS_TAIL = [28, 26, 24, 22, 20, 18, 16, 14, 12, 10].map((n) => coef(n)[0]);
const SIN_HEAD = [coef(7), coef(5), coef(3)];
const COS_HEAD = [coef(8), coef(6), coef(4), coef(2)];

/**
 * sin(r) for |r| <= π/4 (r double-double): r·(1 + r²·(c3 + r²·(c5 + r²·(c7 + tail)))) with the
 * head in double-double and the tail r²·(c9 + ...) (below 3e-6 of the result) in doubles.
 */
function sinKernel(r: DD, r2: DD): DD {
  const z = r2[0];
  let t = 0;
  for (const c of SIN_TAIL) t = t * z + c;
  let p: DD = [t, 0];
  for (const c of SIN_HEAD) p = ddAdd(ddMul(p, r2), c);
  return ddAdd(r, ddMul(ddMul(p, r2), r));
}

/** cos(r) for |r| <= π/4: 1 + r²·(c2 + r²·(c4 + ...)), head in double-double, tail in doubles. */
function cosKernel(r2: DD): DD {
  const z = r2[0];
  let t = 0;
  for (const c of COS_TAIL) t = t * z + c;
  let p: DD = [t, 0];
  for (const c of COS_HEAD) p = ddAdd(ddMul(p, r2), c);
  return ddAdd([1, 0], ddMul(p, r2));
}

/** x − k·π/2 in double-double, with k the nearest integer to x·2/π (k mod 4 picks the quadrant). */
function reduce(x: number): { r: DD; quadrant: number } {
  const k = Math.round(x / PIO2_A);
  if (k === 0) return { r: [x, 0], quadrant: 0 };
  let r: DD = twoSum(x, -twoProd(k, PIO2_A)[0]);
  r = ddAdd(r, [-twoProd(k, PIO2_A)[1], 0]);
  r = ddAdd(r, twoProd(-k, PIO2_B));
  r = ddAdd(r, [-k * PIO2_C, 0]);
  return { r, quadrant: ((k % 4) + 4) % 4 };
}

/** sin(x), correctly rounded except in rare hard cases (Math.sin for non-finite or |x| > 1e6). */
export function sin(x: number): number {
  if (x === 0 || !(Math.abs(x) <= MAX_REDUCED)) return Math.sin(x);
  const { r, quadrant } = reduce(x);
  const r2 = ddMul(r, r);
  const v = quadrant % 2 === 0 ? sinKernel(r, r2) : cosKernel(r2);
  const s = v[0] + v[1];
  return quadrant >= 2 ? -s : s;
}

/** cos(x), correctly rounded except in rare hard cases (Math.cos for non-finite or |x| > 1e6). */
export function cos(x: number): number {
  if (x === 0 || !(Math.abs(x) <= MAX_REDUCED)) return Math.cos(x);
  const { r, quadrant } = reduce(x);
  const r2 = ddMul(r, r);
  const v = quadrant % 2 === 0 ? cosKernel(r2) : sinKernel(r, r2);
  const c = v[0] + v[1];
  return quadrant === 1 || quadrant === 2 ? -c : c;
}

/** Both sin(x) and cos(x) (as `sin` and `cos` give them) into out[0], out[1], sharing the reduction. */
export function sinCos(x: number, out: Float64Array | number[]): void {
  if (x === 0 || !(Math.abs(x) <= MAX_REDUCED)) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  const { r, quadrant } = reduce(x);
  const r2 = ddMul(r, r);
  const s = sinKernel(r, r2);
  const c = cosKernel(r2);
  const sr = s[0] + s[1];
  const cr = c[0] + c[1];
  // x = kπ/2 + r: rotate (sin r, cos r) by the quadrant k mod 4
  out[0] = quadrant === 0 ? sr : quadrant === 1 ? cr : quadrant === 2 ? -sr : -cr;
  out[1] = quadrant === 0 ? cr : quadrant === 1 ? -sr : quadrant === 2 ? -cr : sr;
}
