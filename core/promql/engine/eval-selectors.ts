/**
 * @module core/promql/engine/eval-selectors
 * Vector selectors, matrix selectors and subqueries. Each selector is fetched from storage ONCE for the
 * whole query range; values per step are then found by walking the sample columns with a moving index
 * (reference times never decrease across steps, so the walk is linear). Lookback windows and range
 * windows are left-open: (t - d, t]. Stale markers end a series for the lookback and are removed
 * from range windows.
 */
import { isStaleAt } from "../../model/value.ts";
import type { Series } from "../../storage/interface.ts";
import type { AtModifier, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from "../parser/ast.ts";
import { constDurationSeconds } from "../parser/parser.ts";
import type { QueryContext } from "./context.ts";
import { ExecutionError } from "./errors.ts";
import { stepTime, type Grid, type RangeArg, type RawSeries, type SeriesSink, type StepSeries, type VectorValue } from "./types.ts";

/** Evaluator callback (to evaluate subquery bodies without an import cycle). */
export type EvalFn = (e: Expr, g: Grid, ctx: QueryContext) => Promise<import("./types.ts").EvalValue>;

/** Resolves an `@` modifier to ms, or null. */
export function atTime(at: AtModifier | null, ctx: QueryContext): number | null {
  if (!at) return null;
  if (at.kind === "time") return at.ms;
  return at.kind === "start" ? ctx.o.start : ctx.o.end;
}

/** Evaluates an experimental duration expression to ms (step() is the query step, range() its length). */
export function durationMs(ms: number, expr: Expr | undefined, ctx: QueryContext, g: Grid): number {
  if (!expr) return ms;
  void g;
  const v = constDurationSeconds(expr, ctx.topStep / 1000, (ctx.o.end - ctx.o.start) / 1000);
  if (v === null || !Number.isFinite(v)) throw new ExecutionError("invalid duration expression");
  return Math.round(v * 1000);
}

/** Reference times per step: (at ?? t) - offset. */
export function refTimes(g: Grid, at: number | null, offset: number): Float64Array {
  const r = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) r[i] = (at ?? stepTime(g, i)) - offset;
  return r;
}

function minMax(a: Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Evaluates an instant vector selector over the grid. With `timestamps`, each value is the selected
 * sample's timestamp in seconds (for `timestamp()`).
 */
export async function evalVectorSelector(
  vs: VectorSelector, g: Grid, ctx: QueryContext, timestamps = false, sink?: SeriesSink, refOverride?: Float64Array,
): Promise<VectorValue> {
  const offset = durationMs(vs.offset, vs.offsetExpr, ctx, g);
  const refT = refOverride ?? refTimes(g, atTime(vs.at, ctx), offset);
  const [lo, hi] = minMax(refT);
  const lookback = ctx.o.lookbackDelta;
  const raw = await ctx.select(vs.matchers, lo - lookback + 1, hi + (vs.smoothed ? lookback : 0), undefined, g.step);
  const out: StepSeries[] = [];
  let points = 0;
  if (vs.smoothed) return smoothedSelector(raw, refT, g, ctx, lookback);
  const scratchVals = sink ? new Float64Array(g.n) : null, scratchHas = sink ? new Uint8Array(g.n) : null;
  for (const s of raw) {
    ctx.check();
    const ts = s.timestamps, vsv = s.values, len = ts.length;
    let vals: Float64Array, has: Uint8Array;
    if (scratchVals && scratchHas) {
      vals = scratchVals;
      has = scratchHas;
      has.fill(0);
    } else {
      vals = new Float64Array(g.n);
      has = new Uint8Array(g.n);
    }
    let j = 0, any = false;
    for (let i = 0; i < g.n; i++) {
      const t = refT[i]!;
      while (j < len && ts[j]! <= t) j++;
      // Sample j-1 is the newest at or before t.
      if (j === 0) continue;
      const st = ts[j - 1]!;
      if (st <= t - lookback) continue;
      const v = vsv[j - 1]!;
      if (v !== v && isStaleAt(vsv, j - 1)) continue;
      vals[i] = timestamps ? st / 1000 : v;
      has[i] = 1;
      any = true;
      points++;
    }
    if (!any) continue;
    // Account as we go, so an oversized selection fails before it is all in memory.
    ctx.addSamples(points);
    points = 0;
    if (sink) sink(s.labels, vals, has, false);
    else out.push({ labels: s.labels, vals, has, dropName: false });
  }
  ctx.addSamples(points);
  return { kind: "vector", series: out };
}

/** Removes stale markers from a sample column pair (returns the inputs when there are none). */
export function dropStale(ts: Float64Array, vs: Float64Array): [Float64Array, Float64Array] {
  let stale = 0;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    if (v !== v && isStaleAt(vs, i)) stale++;
  }
  if (stale === 0) return [ts, vs];
  const t2 = new Float64Array(ts.length - stale), v2 = new Float64Array(ts.length - stale);
  let k = 0;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    if (v !== v && isStaleAt(vs, i)) continue;
    t2[k] = ts[i]!;
    v2[k++] = v;
  }
  return [t2, v2];
}

/** Evaluates a matrix selector into a range argument (raw samples plus per-step windows). */
export async function evalMatrixSelector(ms: MatrixSelector, g: Grid, ctx: QueryContext, func?: string): Promise<RangeArg> {
  const vs = ms.vs;
  const offset = durationMs(vs.offset, vs.offsetExpr, ctx, g);
  const range = durationMs(ms.range, ms.rangeExpr, ctx, g);
  const refT = refTimes(g, atTime(vs.at, ctx), offset);
  const [lo, hi] = minMax(refT);
  // Extended range modifiers look one lookback further back for the sample before the window.
  const extra = vs.anchored || vs.smoothed ? ctx.o.lookbackDelta : 0;
  const raw = await ctx.select(vs.matchers, lo - range + 1 - extra, hi + (vs.smoothed ? ctx.o.lookbackDelta : 0), func, g.step);
  const series: RawSeries[] = [];
  for (const s of raw) {
    const [ts, v] = dropStale(s.timestamps, s.values);
    if (ts.length === 0) continue;
    ctx.addSamples(ts.length);
    series.push({ labels: s.labels, ts, vs: v, dropName: false });
  }
  return { kind: "range", series, range, refT, node: ms };
}

/** The subquery's inner grid for an outer grid (Prometheus's step alignment: multiples of the step). */
export function subqueryGrid(sq: SubqueryExpr, g: Grid, ctx: QueryContext): { inner: Grid; refT: Float64Array; range: number } {
  const offset = durationMs(sq.offset, sq.offsetExpr, ctx, g);
  const range = durationMs(sq.range, sq.rangeExpr, ctx, g);
  let step = sq.step || sq.stepExpr ? durationMs(sq.step, sq.stepExpr, ctx, g) : ctx.o.defaultSubqueryStep;
  if (step <= 0) throw new ExecutionError("subquery step must be positive");
  step = Math.round(step);
  const at = atTime(sq.at, ctx);
  const outerStart = at ?? g.start, outerEnd = at ?? stepTime(g, g.n - 1);
  const from = outerStart - offset - range;
  let start = step * Math.trunc(from / step);
  if (start <= from) start += step;
  const end = outerEnd - offset;
  const n = end >= start ? Math.floor((end - start) / step) + 1 : 0;
  return { inner: { start, end, step, n }, refT: refTimes(g, at, offset), range };
}

/** Evaluates a subquery into a range argument: the inner expression over the aligned inner grid. */
export async function evalSubquery(sq: SubqueryExpr, g: Grid, ctx: QueryContext, evalFn: EvalFn): Promise<RangeArg> {
  const { inner, refT, range } = subqueryGrid(sq, g, ctx);
  const series: RawSeries[] = [];
  if (inner.n > 0) {
    const v = await evalFn(sq.expr, inner, ctx);
    if (v.kind !== "vector") throw new ExecutionError("subquery is only allowed on instant vector");
    for (const s of v.series) {
      let cnt = 0;
      for (let i = 0; i < inner.n; i++) cnt += s.has[i]!;
      if (cnt === 0) continue;
      const ts = new Float64Array(cnt), vs = new Float64Array(cnt);
      let k = 0;
      for (let i = 0; i < inner.n; i++) {
        if (!s.has[i]) continue;
        ts[k] = stepTime(inner, i);
        vs[k++] = s.vals[i]!;
      }
      series.push({ labels: s.labels, ts, vs, dropName: s.dropName });
    }
  }
  return { kind: "range", series, range, refT, node: sq };
}

/** Instant `x smoothed`: the value at each step interpolated between its neighbouring samples. */
function smoothedSelector(raw: Series[], refT: Float64Array, g: Grid, ctx: QueryContext, lookback: number): VectorValue {
  const out: StepSeries[] = [];
  let points = 0;
  for (const s of raw) {
    const [ts, vs] = dropStale(s.timestamps, s.values);
    const vals = new Float64Array(g.n), has = new Uint8Array(g.n);
    let j = 0, any = false;
    for (let i = 0; i < g.n; i++) {
      const t = refT[i]!;
      while (j < ts.length && ts[j]! <= t) j++;
      if (j === 0 || ts[j - 1]! <= t - lookback) continue;
      const pt = ts[j - 1]!, pv = vs[j - 1]!;
      let v = pv;
      if (pt !== t && j < ts.length && ts[j]! <= t + lookback) v = pv + ((vs[j]! - pv) * (t - pt)) / (ts[j]! - pt);
      vals[i] = v;
      has[i] = 1;
      any = true;
      points++;
    }
    if (any) out.push({ labels: s.labels, vals, has, dropName: false });
  }
  ctx.addSamples(points);
  return { kind: "vector", series: out };
}
