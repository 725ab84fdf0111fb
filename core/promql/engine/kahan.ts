/**
 * @module core/promql/engine/kahan
 * Neumaier-compensated summation, bit-compatible with Prometheus's kahanSumInc, plus the quantile
 * helper shared by `quantile` and `quantile_over_time`.
 */

/** One step of compensated summation; returns [sum, compensation]. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += (sum - t) + inc;
  else c += (inc - t) + sum;
  return [t, c];
}

/** Sorts ascending with NaN first (Prometheus's vectorByValueHeap order). */
export function sortNaNFirst(a: number[] | Float64Array): void {
  const arr = a as number[];
  arr.sort((x, y) => (x !== x ? (y !== y ? 0 : -1) : y !== y ? 1 : x - y));
}

/** The φ-quantile of `values` (sorted in place) with linear interpolation; NaN for an empty set. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  sortNaNFirst(values);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const w = rank - Math.floor(rank);
  return values[lower]! * (1 - w) + values[upper]! * w;
}
