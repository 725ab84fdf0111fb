/**
 * @module core/promql/functions/over-time
 * The `*_over_time` family plus changes, resets and double_exponential_smoothing: one value per
 * (series, step) computed from the samples in the window (refT - range, refT].
 */
import { kahanSumInc, quantile } from "../engine/kahan.ts";
import { ExecutionError } from "../engine/errors.ts";
import { formatG } from "../engine/eval-aggregate.ts";
import { extendedMode } from "./extended.ts";
import { mapWindows, rangeArg, scalarArg, type FunctionImpl, type WindowFn } from "./types.ts";

function overTime(fn: WindowFn, keepName = false): FunctionImpl {
  return (a) => mapWindows(rangeArg(a, 0), a.grid, a.ctx, fn, keepName);
}

/** Like overTime, but an `anchored` window also includes the sample before its start. */
function anchorable(fn: WindowFn): FunctionImpl {
  return (a) => {
    const arg = rangeArg(a, 0);
    const anchored = extendedMode(arg) === "anchored";
    const lb = a.ctx.o.lookbackDelta;
    return mapWindows(arg, a.grid, a.ctx, (ts, vs, lo, hi, t, i) => {
      const l = anchored && lo > 0 && ts[lo - 1]! > t - arg.range - lb ? lo - 1 : lo;
      return fn(ts, vs, l, hi, t, i);
    });
  };
}

function avg(vs: Float64Array, lo: number, hi: number): number {
  let sum = vs[lo]!, c = 0, mean = 0, incremental = false, count = 1;
  for (let k = lo + 1; k < hi; k++) {
    count = k - lo + 1;
    const f = vs[k]!;
    if (!incremental) {
      const [ns, nc] = kahanSumInc(f, sum, c);
      if (ns !== Infinity && ns !== -Infinity) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(f / count, q * mean, q * c);
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
}

function variance(vs: Float64Array, lo: number, hi: number): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let k = lo; k < hi; k++) {
    const f = vs[k]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function slice(vs: Float64Array, lo: number, hi: number): number[] {
  return Array.from(vs.subarray(lo, hi));
}

const quantileOverTime: FunctionImpl = (a) => {
  const q = scalarArg(a, 0);
  const warned = new Set<number>();
  return mapWindows(rangeArg(a, 1), a.grid, a.ctx, (_ts, vs, lo, hi, _r, i) => {
    const qv = q[i]!;
    if (!(qv >= 0 && qv <= 1) && !warned.has(qv)) {
      warned.add(qv);
      a.ctx.warn(a.call.args[0]!.pos, `quantile value should be between 0 and 1, got ${formatG(qv)}`);
    }
    return quantile(qv, slice(vs, lo, hi));
  });
};

const madOverTime: FunctionImpl = overTime((_ts, vs, lo, hi) => {
  const vals = slice(vs, lo, hi);
  if (vals.some((v) => Number.isNaN(v))) return NaN;
  const med = quantile(0.5, vals);
  return quantile(0.5, vals.map((v) => Math.abs(v - med)));
});

const doubleExponentialSmoothing: FunctionImpl = (a) => {
  const sfs = scalarArg(a, 1), tfs = scalarArg(a, 2);
  return mapWindows(rangeArg(a, 0), a.grid, a.ctx, (_ts, vs, lo, hi, _r, i) => {
    const sf = sfs[i]!, tf = tfs[i]!;
    if (!(sf > 0 && sf < 1)) throw new ExecutionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
    if (!(tf > 0 && tf < 1)) throw new ExecutionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
    const l = hi - lo;
    if (l < 2) return undefined;
    let s0 = 0, s1 = vs[lo]!, b = vs[lo + 1]! - vs[lo]!;
    for (let k = 1; k < l; k++) {
      const x = sf * vs[lo + k]!;
      if (k - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  });
};

function tsOf(pick: (vs: Float64Array, lo: number, hi: number) => number): WindowFn {
  return (ts, vs, lo, hi) => ts[pick(vs, lo, hi)]! / 1000;
}

function argExtreme(max: boolean) {
  return (vs: Float64Array, lo: number, hi: number): number => {
    let best = lo;
    for (let k = lo + 1; k < hi; k++) {
      const v = vs[k]!, b = vs[best]!;
      if (Number.isNaN(b) || (max ? v >= b : v <= b)) best = k;
    }
    return best;
  };
}

/** Over-time implementations by name. */
export const OVER_TIME_FUNCTIONS: Record<string, FunctionImpl> = {
  avg_over_time: overTime((_t, vs, lo, hi) => avg(vs, lo, hi)),
  sum_over_time: overTime((_t, vs, lo, hi) => {
    let s = 0, c = 0;
    for (let k = lo; k < hi; k++) [s, c] = kahanSumInc(vs[k]!, s, c);
    return s + c;
  }),
  count_over_time: overTime((_t, _vs, lo, hi) => hi - lo),
  min_over_time: overTime((_t, vs, lo, hi) => {
    let m = vs[lo]!;
    for (let k = lo + 1; k < hi; k++) if (vs[k]! < m || Number.isNaN(m)) m = vs[k]!;
    return m;
  }),
  max_over_time: overTime((_t, vs, lo, hi) => {
    let m = vs[lo]!;
    for (let k = lo + 1; k < hi; k++) if (vs[k]! > m || Number.isNaN(m)) m = vs[k]!;
    return m;
  }),
  stddev_over_time: overTime((_t, vs, lo, hi) => Math.sqrt(variance(vs, lo, hi))),
  stdvar_over_time: overTime((_t, vs, lo, hi) => variance(vs, lo, hi)),
  last_over_time: overTime((_t, vs, _lo, hi) => vs[hi - 1]!, true),
  first_over_time: overTime((_t, vs, lo) => vs[lo]!, true),
  present_over_time: overTime(() => 1),
  quantile_over_time: quantileOverTime,
  mad_over_time: madOverTime,
  ts_of_first_over_time: overTime((ts, _vs, lo) => ts[lo]! / 1000),
  ts_of_last_over_time: overTime((ts, _vs, _lo, hi) => ts[hi - 1]! / 1000),
  ts_of_max_over_time: overTime(tsOf(argExtreme(true))),
  ts_of_min_over_time: overTime(tsOf(argExtreme(false))),
  changes: anchorable((_t, vs, lo, hi) => {
    let c = 0;
    for (let k = lo + 1; k < hi; k++) {
      const p = vs[k - 1]!, v = vs[k]!;
      if (v !== p && !(Number.isNaN(v) && Number.isNaN(p))) c++;
    }
    return c;
  }),
  resets: anchorable((_t, vs, lo, hi) => {
    let c = 0;
    for (let k = lo + 1; k < hi; k++) if (vs[k]! < vs[k - 1]!) c++;
    return c;
  }),
  double_exponential_smoothing: doubleExponentialSmoothing,
};
