/**
 * @module core/promql/functions/extended
 * The experimental extended range selectors (`x[5m] anchored`, `x[5m] smoothed`).
 * - anchored: the window (t-range, t] is extended by the last sample at or before t-range (within the
 *   lookback delta); increase/delta are last minus first with no extrapolation; changes/resets count
 *   over the anchored samples.
 * - smoothed: values at both window edges are interpolated linearly between the neighbouring samples
 *   (flat beyond the first/last sample; across a counter reset from zero), so increase/rate/delta are
 *   computed over exactly the window.
 */
import type { MatrixSelector } from "../parser/ast.ts";
import { ExecutionError } from "../engine/errors.ts";
import type { RangeArg } from "../engine/types.ts";

/** The extended modifier of a range argument, if any. */
export function extendedMode(a: RangeArg): "anchored" | "smoothed" | null {
  if (a.node.type !== "MatrixSelector") return null;
  const vs = (a.node as MatrixSelector).vs;
  return vs.anchored ? "anchored" : vs.smoothed ? "smoothed" : null;
}

const ANCHORED_OK = ["changes", "delta", "increase", "rate", "resets"];
const SMOOTHED_OK = ["delta", "increase", "rate"];

/** Throws Prometheus's error when a function does not support the argument's modifier. */
export function checkExtendedAllowed(func: string, a: RangeArg): void {
  const mode = extendedMode(a);
  if (mode === "anchored" && !ANCHORED_OK.includes(func)) {
    throw new ExecutionError(`anchored modifier can only be used with: ${ANCHORED_OK.join(", ")} - not with ${func}`);
  }
  if (mode === "smoothed" && !SMOOTHED_OK.includes(func)) {
    throw new ExecutionError(`smoothed modifier can only be used with: ${SMOOTHED_OK.join(", ")} - not with ${func}`);
  }
}

function interp(t1: number, v1: number, t2: number, v2: number, t: number, counter: boolean): number {
  if (counter && v2 < v1) return (v2 * (t - t1)) / (t2 - t1);
  return v1 + ((v2 - v1) * (t - t1)) / (t2 - t1);
}

/**
 * The (timestamp, value) points a window stands for under the modifier, or null when there are none.
 * `lo..hi` are the indices of the samples inside (t-range, t]; the arrays may hold samples beyond both
 * edges (fetched one lookback delta wider).
 */
export function extendedPoints(
  mode: "anchored" | "smoothed", ts: Float64Array, vs: Float64Array, lo: number, hi: number,
  t: number, range: number, lookback: number, counter: boolean,
): { t: number[]; v: number[] } | null {
  const from = t - range;
  const outT: number[] = [], outV: number[] = [];
  if (mode === "anchored") {
    if (hi <= lo) return null;
    if (lo > 0 && ts[lo - 1]! > from - lookback) {
      outT.push(ts[lo - 1]!);
      outV.push(vs[lo - 1]!);
    }
    for (let k = lo; k < hi; k++) {
      outT.push(ts[k]!);
      outV.push(vs[k]!);
    }
    return outT.length ? { t: outT, v: outV } : null;
  }
  // Smoothed: needs a sample at or before t (within range + lookback).
  const before = lo > 0 && ts[lo - 1]! > from - lookback ? lo - 1 : -1;
  const after = hi < ts.length && ts[hi]! <= t + lookback ? hi : -1;
  if (hi <= lo && (before < 0 || after < 0)) return null;
  const firstIdx = before >= 0 ? before : lo;
  const lastIdx = hi - 1 >= lo ? hi - 1 : before;
  // Left edge.
  let startV: number;
  if (before >= 0 && lo < ts.length && lo <= lastIdx + 1 && lo < hi) {
    startV = ts[before] === from ? vs[before]! : interp(ts[before]!, vs[before]!, ts[lo]!, vs[lo]!, from, counter);
  } else if (before >= 0 && hi < ts.length && hi <= lo && ts[hi]! <= t + lookback) {
    startV = interp(ts[before]!, vs[before]!, ts[hi]!, vs[hi]!, from, counter);
  } else {
    startV = vs[firstIdx]!;
  }
  outT.push(from);
  outV.push(startV);
  for (let k = lo; k < hi; k++) {
    if (ts[k] === t) continue;
    outT.push(ts[k]!);
    outV.push(vs[k]!);
  }
  // Right edge.
  let endV: number;
  if (hi - 1 >= lo && ts[hi - 1] === t) endV = vs[hi - 1]!;
  else if (hi < ts.length && ts[hi]! <= t + lookback && lastIdx >= 0) endV = interp(ts[lastIdx]!, vs[lastIdx]!, ts[hi]!, vs[hi]!, t, counter);
  else endV = vs[lastIdx]!;
  outT.push(t);
  outV.push(endV);
  return { t: outT, v: outV };
}

/** Counter increase over points (resets count from zero). */
export function counterIncrease(v: number[]): number {
  let r = 0;
  for (let k = 1; k < v.length; k++) r += v[k]! < v[k - 1]! ? v[k]! : v[k]! - v[k - 1]!;
  return r;
}
