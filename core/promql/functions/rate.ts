/**
 * @module core/promql/functions/rate
 * Counter and gauge rate functions: rate, increase, delta (extrapolated to the window edges as
 * Prometheus does), irate, idelta, deriv, predict_linear (least squares with compensated sums).
 */
import { Labels, METRIC_NAME } from "../../model/labels.ts";
import type { QueryContext } from "../engine/context.ts";
import { newStepSeries, type Grid, type RangeArg, type StepSeries, type VectorValue } from "../engine/types.ts";
import { kahanSumInc } from "../engine/kahan.ts";
import { stepTime } from "../engine/types.ts";
import { counterIncrease, extendedMode, extendedPoints } from "./extended.ts";
import { mapWindows, rangeArg, scalarArg, type FunctionArgs, type FunctionImpl } from "./types.ts";

const COUNTER_SUFFIXES = ["_total", "_sum", "_count", "_bucket"];

/**
 * The counter column with resets folded in (each value plus the values lost at earlier resets), so a
 * window's increase is corr[last] - corr[first]. Null when the column holds NaN (then windows are
 * summed directly). Callers compute it once per series.
 */
function corrected(vs: Float64Array): Float64Array | null {
  // Most counters never reset: then the column itself is its own corrected column.
  let prev = 0, resets = false;
  for (let k = 0; k < vs.length; k++) {
    const v = vs[k]!;
    if (v !== v) return null;
    if (v < prev && k > 0) resets = true;
    prev = v;
  }
  if (!resets) return vs;
  const c = new Float64Array(vs.length);
  let offset = 0;
  prev = 0;
  for (let k = 0; k < vs.length; k++) {
    const v = vs[k]!;
    if (v < prev && k > 0) offset += prev;
    prev = v;
    c[k] = v + offset;
  }
  return c;
}

function extrapolated(isCounter: boolean, isRate: boolean): FunctionImpl {
  return (a: FunctionArgs) => {
    const arg = rangeArg(a, 0);
    const rangeSec = arg.range / 1000;
    const infoNames = new Set<string>();
    const mode = extendedMode(arg);
    const lookback = a.ctx.o.lookbackDelta;
    let lastCol: Float64Array | null = null, lastCorr: Float64Array | null = null;
    const checkedNames = new Set<string>();
    const onSeries = (labels: Labels, nonEmpty: boolean) => {
      if (!isCounter || !nonEmpty) return;
      const name = labels.get(METRIC_NAME);
      if (checkedNames.has(name)) return;
      checkedNames.add(name);
      if (name && !COUNTER_SUFFIXES.some((s) => name.endsWith(s))) infoNames.add(name);
    };
    const report = () => {
      for (const name of infoNames) {
        a.ctx.info(a.call.args[0]!.pos, `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${name}"`);
      }
    };
    if (!mode) {
      const r = extrapolatedLoop(arg, a.grid, a.ctx, isCounter, isRate, onSeries);
      report();
      return r;
    }
    const res = mapWindows(arg, a.grid, a.ctx, (ts, vs, lo, hi, refT) => {
      if (mode) {
        const p = extendedPoints(mode, ts, vs, lo, hi, refT, arg.range, lookback, isCounter);
        if (!p) return undefined;
        const inc = isCounter ? counterIncrease(p.v) : p.v[p.v.length - 1]! - p.v[0]!;
        return isRate ? inc / rangeSec : inc;
      }
      const cnt = hi - lo;
      if (cnt < 2) return undefined;
      const rangeStart = refT - arg.range, rangeEnd = refT;
      const first = vs[lo]!, last = vs[hi - 1]!;
      let result = last - first;
      if (isCounter) {
        if (vs !== lastCol) {
          lastCol = vs;
          lastCorr = corrected(vs);
        }
        const corr = lastCorr;
        if (corr) {
          // Reset-corrected prefix column: the increase is a difference of two entries.
          result = corr[hi - 1]! - corr[lo]!;
        } else {
          let prev = 0;
          for (let k = lo; k < hi; k++) {
            const v = vs[k]!;
            if (v < prev) result += prev;
            prev = v;
          }
        }
      }
      return result * extrapolationFactor(ts[lo]!, ts[hi - 1]!, cnt, rangeStart, rangeEnd, result, first, isCounter, isRate ? rangeSec : 0);
    }, false, onSeries, mode === "smoothed");
    report();
    return res;
  };
}

/**
 * rate/increase/delta without extended modifiers: the window walk and the extrapolation inlined in
 * one loop (the hot path of most dashboards; a shared callback would not be inlined by the JIT).
 */
function extrapolatedLoop(
  arg: RangeArg, g: Grid, ctx: QueryContext, isCounter: boolean, isRate: boolean,
  onSeries: (labels: Labels, nonEmpty: boolean) => void,
): VectorValue {
  const out: StepSeries[] = [];
  const range = arg.range, rangeSec = range / 1000, refTs = arg.refT, n = g.n, sink = arg.sink;
  const scratch = sink ? newStepSeries(Labels.EMPTY, n) : null;
  for (const s of arg.series) {
    ctx.check();
    const ts = s.ts, vs = s.vs, len = ts.length;
    const corr = isCounter ? corrected(vs) : null;
    let r: StepSeries;
    if (scratch) {
      scratch.has.fill(0);
      r = scratch;
    } else r = newStepSeries(s.labels, n, true);
    const vals = r.vals, has = r.has;
    let lo = 0, hi = 0, any = false, nonEmpty = false;
    for (let i = 0; i < n; i++) {
      const t = refTs[i]!, from = t - range;
      while (lo < len && ts[lo]! <= from) lo++;
      if (hi < lo) hi = lo;
      while (hi < len && ts[hi]! <= t) hi++;
      const cnt = hi - lo;
      if (cnt > 0) nonEmpty = true;
      if (cnt < 2) continue;
      const first = vs[lo]!;
      let result: number;
      if (corr) result = corr[hi - 1]! - corr[lo]!;
      else {
        result = vs[hi - 1]! - first;
        if (isCounter) {
          let prev = 0;
          for (let k = lo; k < hi; k++) {
            const v = vs[k]!;
            if (v < prev) result += prev;
            prev = v;
          }
        }
      }
      vals[i] = result * extrapolationFactor(ts[lo]!, ts[hi - 1]!, cnt, from, t, result, first, isCounter, isRate ? rangeSec : 0);
      has[i] = 1;
      any = true;
    }
    onSeries(s.labels, nonEmpty);
    if (!any) continue;
    if (sink) sink(s.labels, vals, has, true);
    else out.push(r);
  }
  return { kind: "vector", series: out };
}

function instant(isRate: boolean): FunctionImpl {
  return (a) => mapWindows(rangeArg(a, 0), a.grid, a.ctx, (ts, vs, lo, hi) => {
    if (hi - lo < 2) return undefined;
    const last = vs[hi - 1]!, prev = vs[hi - 2]!;
    let r = isRate && last < prev ? last : last - prev;
    if (!isRate) return r;
    const dt = ts[hi - 1]! - ts[hi - 2]!;
    if (dt === 0) return undefined;
    r /= dt / 1000;
    return r;
  });
}

/** Least-squares slope and intercept of samples [lo, hi) with x relative to `interceptTime` (ms). */
export function linearRegression(ts: Float64Array, vs: Float64Array, lo: number, hi: number, interceptTime: number): [number, number] {
  let n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let k = lo; k < hi; k++) {
    const y = vs[k]!;
    if (constY && k > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[k]! - interceptTime) / 1000;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

const deriv: FunctionImpl = (a) => mapWindows(rangeArg(a, 0), a.grid, a.ctx, (ts, vs, lo, hi) => {
  if (hi - lo < 2) return undefined;
  return linearRegression(ts, vs, lo, hi, ts[lo]!)[0];
});

const predictLinear: FunctionImpl = (a) => {
  const dur = scalarArg(a, 1);
  return mapWindows(rangeArg(a, 0), a.grid, a.ctx, (ts, vs, lo, hi, _refT, i) => {
    if (hi - lo < 2) return undefined;
    const [slope, intercept] = linearRegression(ts, vs, lo, hi, stepTime(a.grid, i));
    return slope * dur[i]! + intercept;
  });
};

/** Rate-family implementations by name. */
export const RATE_FUNCTIONS: Record<string, FunctionImpl> = {
  rate: extrapolated(true, true),
  increase: extrapolated(true, false),
  delta: extrapolated(false, false),
  irate: instant(true),
  idelta: instant(false),
  deriv,
  predict_linear: predictLinear,
};

/**
 * Prometheus's extrapolation of a window's raw increase (extrapolatedRate): extend to the window edges
 * by at most half an average sample interval (or to where a counter would have been zero), then divide
 * by the range for rate. Times in ms; `perSec` is the range in seconds for rate, 0 for increase/delta.
 */
function extrapolationFactor(
  firstT: number, lastT: number, cnt: number, rangeStart: number, rangeEnd: number,
  result: number, first: number, isCounter: boolean, perSec: number,
): number {
  let durToStart = (firstT - rangeStart) / 1000;
  let durToEnd = (rangeEnd - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const avg = sampled / (cnt - 1);
  const threshold = avg * 1.1;
  if (durToStart >= threshold) durToStart = avg / 2;
  if (isCounter && result > 0 && first >= 0) {
    const durToZero = sampled * (first / result);
    if (durToZero < durToStart) durToStart = durToZero;
  }
  if (durToEnd >= threshold) durToEnd = avg / 2;
  const factor = (sampled + durToStart + durToEnd) / sampled;
  return perSec ? factor / perSec : factor;
}
