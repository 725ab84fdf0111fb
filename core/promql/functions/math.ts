/**
 * @module core/promql/functions/math
 * Element-wise math on instant vectors (abs, ceil, exp, ln, trigonometry, round, clamp, sgn, …) and
 * the scalar/vector conversions (scalar, vector, pi). All drop the metric name.
 */
import { Labels } from "../../model/labels.ts";
import { newStepSeries, type StepSeries } from "../engine/types.ts";
import { constantVector, mapValues, scalarArg, vectorArg, type FunctionImpl } from "./types.ts";

function simple(fn: (x: number) => number): FunctionImpl {
  return (a) => mapValues(vectorArg(a, 0), fn);
}

const round: FunctionImpl = (a) => {
  const to = a.args.length > 1 ? scalarArg(a, 1) : null;
  return mapValues(vectorArg(a, 0), (x, i) => {
    const inv = 1 / (to ? to[i]! : 1);
    return Math.floor(x * inv + 0.5) / inv;
  });
};

const clamp: FunctionImpl = (a) => {
  const mn = scalarArg(a, 1), mx = scalarArg(a, 2);
  const v = vectorArg(a, 0);
  const res = mapValues(v, (x, i) => Math.max(mn[i]!, Math.min(mx[i]!, x)));
  for (const s of res.series) for (let i = 0; i < s.has.length; i++) if (mx[i]! < mn[i]!) s.has[i] = 0;
  return res;
};

function sgn(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

const scalar: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const n = a.grid.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let cnt = 0, val = NaN;
    for (const s of v.series) {
      if (s.has[i]) {
        cnt++;
        val = s.vals[i]!;
        if (cnt > 1) break;
      }
    }
    out[i] = cnt === 1 ? val : NaN;
  }
  return { kind: "scalar", vals: out };
};

const vector: FunctionImpl = (a) => constantVector(Labels.EMPTY, scalarArg(a, 0));

/** Math implementations by name. */
export const MATH_FUNCTIONS: Record<string, FunctionImpl> = {
  abs: simple(Math.abs), ceil: simple(Math.ceil), floor: simple(Math.floor), exp: simple(Math.exp),
  sqrt: simple(Math.sqrt), ln: simple(Math.log), log2: simple(Math.log2), log10: simple(Math.log10),
  sin: simple(Math.sin), cos: simple(Math.cos), tan: simple(Math.tan), asin: simple(Math.asin),
  acos: simple(Math.acos), atan: simple(Math.atan), sinh: simple(Math.sinh), cosh: simple(Math.cosh),
  tanh: simple(Math.tanh), asinh: simple(Math.asinh), acosh: simple(Math.acosh), atanh: simple(Math.atanh),
  deg: simple((x) => (x * 180) / Math.PI), rad: simple((x) => (x * Math.PI) / 180), sgn: simple(sgn),
  round, clamp,
  clamp_min: (a) => { const mn = scalarArg(a, 1); return mapValues(vectorArg(a, 0), (x, i) => Math.max(mn[i]!, x)); },
  clamp_max: (a) => { const mx = scalarArg(a, 1); return mapValues(vectorArg(a, 0), (x, i) => Math.min(mx[i]!, x)); },
  scalar, vector,
  pi: (a) => ({ kind: "scalar", vals: new Float64Array(a.grid.n).fill(Math.PI) }),
};

/** Helper for other modules: an empty vector. */
export function emptyVector(): { kind: "vector"; series: StepSeries[] } {
  return { kind: "vector", series: [] };
}
void newStepSeries;
