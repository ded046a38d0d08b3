/** The reference data's deterministic action formula: a_t[j] = low + (high − low) · (((37t + 11j) mod 101) / 100). */
export function formulaAction(t: number, low: ArrayLike<number>, high: ArrayLike<number>): Float64Array {
  const a = new Float64Array(low.length);
  for (let j = 0; j < a.length; j++) a[j] = low[j] + (high[j] - low[j]) * (((37 * t + 11 * j) % 101) / 100);
  return a;
}
