/**
 * @module core/promql/engine/eval
 * The evaluator's dispatcher: evaluates an AST node over a grid and returns an {@link EvalValue}.
 * Selectors live in eval-selectors.ts, operators in eval-binary.ts, aggregations in eval-aggregate.ts,
 * functions in core/promql/functions. Without delayed name removal, names are dropped right after the
 * node that drops them (and equal label sets merged or rejected), as Prometheus does by default.
 */
import { newMatcher } from "../../model/matcher.ts";
import { walk, type Call, type Expr, type VectorSelector } from "../parser/ast.ts";
import { INFO_IDENTIFYING_LABELS } from "../functions/info.ts";
import { FUNCTION_IMPLS } from "../functions/index.ts";
import { checkExtendedAllowed } from "../functions/extended.ts";
import type { QueryContext } from "./context.ts";
import { ExecutionError } from "./errors.ts";
import { evalAggregate } from "./eval-aggregate.ts";
import { scalarScalar, vectorScalar, vectorVector } from "./eval-binary.ts";
import { atTime, evalMatrixSelector, evalSubquery, evalVectorSelector } from "./eval-selectors.ts";
import { dropMetricName, mergeSameLabels } from "./labels-util.ts";
import { STREAMABLE_AGGREGATIONS, StreamAggregator, StreamTopK } from "./eval-aggregate-stream.ts";
import { kParam } from "./eval-aggregate.ts";
import { newStepSeries, type EvalValue, type Grid, type SeriesSink, type StepSeries } from "./types.ts";

const SORT_FUNCTIONS = new Set(["sort", "sort_desc", "sort_by_label", "sort_by_label_desc"]);

function unwrapParens(e: Expr): Expr {
  while (e.type === "ParenExpr") e = e.expr;
  return e;
}

/** Evaluates `e` over grid `g`. */
export async function evalExpr(e: Expr, g: Grid, ctx: QueryContext, sink?: SeriesSink): Promise<EvalValue> {
  const v = await evalNode(e, g, ctx, sink);
  if (!ctx.o.features.delayedNameRemoval && v.kind === "vector" && v.series.some((s) => s.dropName)) {
    return { kind: "vector", series: dropNamesNow(v.series) };
  }
  return v;
}

/** Whether every series of `e` has the same metric name (a selector or window function over one with `__name__="x"`). */
function singleMetricName(e: Expr): boolean {
  const u = unwrapParens(e);
  const vs = u.type === "VectorSelector" ? u : u.type === "MatrixSelector" ? u.vs
    : u.type === "Call" && STREAMING_FUNCTIONS.has(u.func) ? (() => {
      const a = u.args.map(unwrapParens).find((x) => x.type === "MatrixSelector");
      return a && a.type === "MatrixSelector" ? a.vs : null;
    })() : null;
  return !!vs && vs.matchers.some((m) => m.name === "__name__" && m.type === "=");
}

/** Drops `__name__` from series marked for it, merging series that become equal. */
export function dropNamesNow(series: StepSeries[]): StepSeries[] {
  const out = series.map((s) => (s.dropName ? { ...s, labels: dropMetricName(s.labels), dropName: false } : s));
  return mergeSameLabels(out);
}

/** Functions whose output is exactly their window results (safe to stream into an aggregation). */
const STREAMING_FUNCTIONS = new Set(["rate", "increase", "delta", "irate", "idelta", "deriv", "predict_linear",
  "avg_over_time", "sum_over_time", "count_over_time", "min_over_time", "max_over_time", "stddev_over_time",
  "stdvar_over_time", "last_over_time", "first_over_time", "present_over_time", "quantile_over_time",
  "mad_over_time", "changes", "resets", "ts_of_first_over_time", "ts_of_last_over_time", "ts_of_max_over_time",
  "ts_of_min_over_time"]);

async function evalNode(e: Expr, g: Grid, ctx: QueryContext, sink?: SeriesSink): Promise<EvalValue> {
  ctx.check();
  switch (e.type) {
    case "NumberLiteral": return { kind: "scalar", vals: new Float64Array(g.n).fill(e.val) };
    case "StringLiteral": return { kind: "string", val: e.val };
    case "ParenExpr": return evalExpr(e.expr, g, ctx, sink);
    case "VectorSelector": return evalVectorSelector(e, g, ctx, false, sink);
    case "MatrixSelector": return evalMatrixSelector(e, g, ctx);
    case "SubqueryExpr": return evalSubquery(e, g, ctx, evalExpr);
    case "UnaryExpr": {
      const v = await evalExpr(e.expr, g, ctx);
      if (e.op === "+") return v;
      if (v.kind === "scalar") return { kind: "scalar", vals: v.vals.map((x) => -x) };
      if (v.kind !== "vector") throw new ExecutionError("unary minus on a non-numeric value");
      return {
        kind: "vector",
        series: v.series.map((s) => ({ labels: s.labels, vals: s.vals.map((x) => -x), has: s.has, dropName: true })),
      };
    }
    case "BinaryExpr": {
      const l = await evalExpr(e.lhs, g, ctx);
      const r = await evalExpr(e.rhs, g, ctx);
      if (l.kind === "scalar" && r.kind === "scalar") return scalarScalar(e, l, r);
      if (l.kind === "vector" && r.kind === "scalar") return vectorScalar(e, l, r, false);
      if (l.kind === "scalar" && r.kind === "vector") return vectorScalar(e, r, l, true);
      if (l.kind === "vector" && r.kind === "vector") return vectorVector(e, l, r, g.n);
      throw new ExecutionError("binary expression must contain only scalar and instant vector types");
    }
    case "AggregateExpr": {
      if (!e.param && STREAMABLE_AGGREGATIONS.has(e.op)) {
        const agg = new StreamAggregator(e, g.n, !ctx.o.features.delayedNameRemoval, singleMetricName(e.expr));
        const v = await evalExpr(e.expr, g, ctx, agg.sink);
        if (v.kind !== "vector") throw new ExecutionError("expected instant vector in aggregation");
        for (const s of v.series) agg.sink(s.labels, s.vals, s.has, s.dropName);
        return agg.result();
      }
      if ((e.op === "topk" || e.op === "bottomk") && e.param) {
        const p = await evalExpr(e.param, g, ctx);
        if (p.kind !== "scalar") throw new ExecutionError(`expected scalar parameter for ${e.op}`);
        const k = new Int32Array(g.n);
        for (let i = 0; i < g.n; i++) k[i] = kParam(p.vals[i]!);
        const agg = new StreamTopK(e, g.n, k);
        const v = await evalExpr(e.expr, g, ctx, agg.sink);
        if (v.kind !== "vector") throw new ExecutionError("expected instant vector in aggregation");
        for (const s of v.series) agg.sink(s.labels, s.vals, s.has, s.dropName);
        return agg.result();
      }
      const param = e.param ? await evalExpr(e.param, g, ctx) : null;
      const v = await evalExpr(e.expr, g, ctx);
      if (v.kind !== "vector") throw new ExecutionError("expected instant vector in aggregation");
      return evalAggregate(e, v, param, g.n, ctx);
    }
    case "Call": return evalCall(e, g, ctx, sink);
  }
}

async function evalCall(e: Call, g: Grid, ctx: QueryContext, sink?: SeriesSink): Promise<EvalValue> {
  const impl = FUNCTION_IMPLS.get(e.func);
  if (!impl) throw new ExecutionError(`unknown function ${e.func}`);
  if (e.func === "timestamp") {
    const arg = unwrapParens(e.args[0]!);
    if (arg.type === "VectorSelector") {
      const v = await evalVectorSelector(arg, g, ctx, true);
      return { kind: "vector", series: v.series.map((s) => ({ ...s, dropName: true })) };
    }
  }
  if (SORT_FUNCTIONS.has(e.func) && ctx.o.step > 0) {
    ctx.warn(e.pos, "sort is ineffective for range queries since results are always ordered by labels");
  }
  const args: EvalValue[] = [];
  for (const a of e.args) {
    const u = unwrapParens(a);
    if (u.type === "MatrixSelector") args.push(await evalMatrixSelector(u, g, ctx, e.func));
    else if (u.type === "SubqueryExpr") args.push(await evalSubquery(u, g, ctx, evalExpr));
    else args.push(await evalExpr(a, g, ctx));
  }
  for (const a of args) {
    if (a.kind !== "range") continue;
    checkExtendedAllowed(e.func, a);
    if (sink && STREAMING_FUNCTIONS.has(e.func)) a.sink = sink;
  }
  if (e.func === "info") args[1] = await infoSeries(e, g, ctx, args[0]!);
  return impl({ call: e, args, grid: g, ctx });
}

/**
 * Reference time per step of info()'s base expression: the first selector's `@`/offset, composed
 * through enclosing subqueries, so info series are read as of the same time as the base samples.
 */
function infoRefTimes(e: Expr, g: Grid, ctx: QueryContext): Float64Array {
  const out = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) out[i] = infoRef(e, g.start + i * g.step, ctx);
  return out;
}

function hasSelector(e: Expr): boolean {
  let found = false;
  walk(e, (n) => {
    if (n.type === "VectorSelector") found = true;
  });
  return found;
}

function infoRef(e: Expr, t: number, ctx: QueryContext): number {
  switch (e.type) {
    case "VectorSelector": return (atTime(e.at, ctx) ?? t) - e.offset;
    case "MatrixSelector": return (atTime(e.vs.at, ctx) ?? t) - e.vs.offset;
    case "SubqueryExpr": return infoRef(e.expr, (atTime(e.at, ctx) ?? t) - e.offset, ctx);
    case "ParenExpr": case "UnaryExpr": return infoRef(e.expr, t, ctx);
    case "AggregateExpr": return infoRef(e.expr, t, ctx);
    case "BinaryExpr": return infoRef(hasSelector(e.lhs) ? e.lhs : e.rhs, t, ctx);
    case "Call": {
      const a = e.args.find(hasSelector);
      return a ? infoRef(a, t, ctx) : t;
    }
    default: return t;
  }
}

/** Fetches info()'s info series, valued with their sample timestamps (s), at the base's reference times. */
async function infoSeries(e: Call, g: Grid, ctx: QueryContext, base: EvalValue): Promise<EvalValue> {
  const sel = e.args[1] ? unwrapParens(e.args[1]) : null;
  const selMatchers = sel && sel.type === "VectorSelector" ? sel.matchers : [];
  const nameMatchers = selMatchers.filter((m) => m.name === "__name__");
  const matchers = [...selMatchers];
  if (nameMatchers.length === 0) matchers.unshift(newMatcher("=", "__name__", "target_info"));
  else if (!nameMatchers.some((m) => m.type === "=" || m.type === "=~")) matchers.unshift(newMatcher("=~", "__name__", ".+_info"));
  // Only series sharing an identifying label value with a base series can match.
  if (base.kind === "vector") {
    for (const l of INFO_IDENTIFYING_LABELS) {
      const vals = new Set<string>();
      for (const s of base.series) {
        const v = s.labels.get(l);
        if (v !== "") vals.add(v);
      }
      if (vals.size > 0) matchers.push(newMatcher("=~", l, [...vals].map(quoteRegex).join("|")));
    }
  }
  const vs: VectorSelector = {
    type: "VectorSelector", name: "", matchers, bareName: false, offset: 0, at: null, pos: e.pos,
  };
  return evalVectorSelector(vs, g, ctx, true, undefined, infoRefTimes(e.args[0]!, g, ctx));
}

function quoteRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

void newStepSeries;
