/**
 * @module core/promql/engine/eval-aggregate
 * Aggregation operators that need their whole input: stddev, stdvar, quantile, topk, bottomk, limitk,
 * limit_ratio and count_values (sum, avg, count, group, min and max stream through
 * eval-aggregate-stream.ts). Each input series is assigned to its group once (grouping labels do not
 * change across steps); accumulators are per-group Float64Arrays over the steps. topk/bottomk/limitk
 * keep the input series' labels; count_values creates one output series per distinct value. Output
 * series carry dropName if any member carried it.
 */
import { Labels, METRIC_NAME } from "../../model/labels.ts";
import { formatValue } from "../../model/value.ts";
import type { AggregateExpr } from "../parser/ast.ts";
import type { QueryContext } from "./context.ts";
import { ExecutionError } from "./errors.ts";
import { quantile } from "./kahan.ts";
import { isNameBound, isValidLabelName } from "./labels-util.ts";
import { newStepSeries, type EvalValue, type StepSeries, type VectorValue } from "./types.ts";
import { labelsHashFraction, limitRatioSelect, limitkOrder } from "./limit.ts";

function groupLabels(l: Labels, e: AggregateExpr): Labels {
  if (e.without) {
    const drop = new Set(e.grouping);
    return l.filter((n) => !isNameBound(n) && !drop.has(n));
  }
  const keep = new Set(e.grouping);
  return l.filter((n) => keep.has(n));
}

interface Group {
  labels: Labels;
  members: StepSeries[];
  dropName: boolean;
}

function makeGroups(v: VectorValue, e: AggregateExpr): Group[] {
  const map = new Map<string, Group>();
  const out: Group[] = [];
  for (const s of v.series) {
    const gl = groupLabels(s.labels, e);
    const k = gl.key();
    let g = map.get(k);
    if (!g) {
      g = { labels: gl, members: [], dropName: false };
      map.set(k, g);
      out.push(g);
    }
    g.members.push(s);
    if (s.dropName) g.dropName = true;
  }
  return out;
}

function scalarParam(p: EvalValue | null, n: number, e: AggregateExpr): Float64Array {
  if (!p || p.kind !== "scalar") throw new ExecutionError(`expected scalar parameter for ${e.op}`);
  void n;
  return p.vals;
}

/** Evaluates an aggregation given its evaluated argument and parameter. */
export function evalAggregate(e: AggregateExpr, v: VectorValue, param: EvalValue | null, n: number, ctx: QueryContext): VectorValue {
  switch (e.op) {
    case "topk": case "bottomk": case "limitk": return kAggregate(e, v, scalarParam(param, n, e), n, ctx);
    case "limit_ratio": {
      const r = scalarParam(param, n, e);
      const warned = new Set<number>();
      const capped = r.map((x) => {
        if (x > 1 || x < -1) {
          const c = x > 1 ? 1 : -1;
          if (!warned.has(x)) ctx.warn(e.param!.pos, `ratio value should be between -1 and 1, got ${formatG(x)}, capping to ${c}`);
          warned.add(x);
          return c;
        }
        return x;
      });
      return limitRatio(e, v, capped, n);
    }
    case "count_values": return countValues(e, v, param, n);
    default: break;
  }
  const groups = makeGroups(v, e);
  const out: StepSeries[] = [];
  const q = e.op === "quantile" ? scalarParam(param, n, e) : null;
  if (q) {
    for (let i = 0; i < n; i++) {
      const qv = q[i]!;
      if (!(qv >= 0 && qv <= 1) && groups.some((g) => g.members.some((m) => m.has[i]))) {
        ctx.warn(e.param!.pos, `quantile value should be between 0 and 1, got ${formatG(qv)}`);
      }
    }
  }
  for (const g of groups) {
    ctx.check();
    const r = newStepSeries(g.labels, n, g.dropName);
    const count = new Float64Array(n);
    const acc = r.vals;
    const mean = e.op === "stddev" || e.op === "stdvar" ? new Float64Array(n) : null;
    const lists: number[][] | null = q ? Array.from({ length: n }, () => []) : null;
    for (const s of g.members) {
      for (let i = 0; i < n; i++) {
        if (!s.has[i]) continue;
        const f = s.vals[i]!;
        const c = ++count[i]!;
        if (c === 1) {
          r.has[i] = 1;
          switch (e.op) {
            case "stddev": case "stdvar": acc[i] = Number.isFinite(f) ? 0 : NaN; mean![i] = f; break;
            case "quantile": lists![i]!.push(f); break;
            default: throw new ExecutionError(`aggregation ${e.op} is evaluated by the streaming path`);
          }
          continue;
        }
        switch (e.op) {
          case "stddev": case "stdvar": {
            const d = f - mean![i]!;
            mean![i] = mean![i]! + d / c;
            acc[i] = acc[i]! + d * (f - mean![i]!);
            break;
          }
          case "quantile": lists![i]!.push(f); break;
          default: throw new ExecutionError(`unknown aggregation ${e.op}`);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (!r.has[i]) continue;
      switch (e.op) {
        case "stdvar": acc[i] = acc[i]! / count[i]!; break;
        case "stddev": acc[i] = Math.sqrt(acc[i]! / count[i]!); break;
        case "quantile": acc[i] = quantile(q![i]!, lists![i]!); break;
        default: break;
      }
    }
    out.push(r);
  }
  return { kind: "vector", series: out };
}

/** Go's %g-ish rendering used in annotation messages. */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function checkK(k: number, op: string): number {
  void op;
  return kParam(k);
}

/** The integer k of topk/bottomk/limitk (capped at 2^31-1); throws Prometheus's errors for NaN/overflow. */
export function kParam(k: number): number {
  if (Number.isNaN(k)) throw new ExecutionError("Parameter value is NaN");
  if (k >= 9223372036854775807 || k <= -9223372036854775808) throw new ExecutionError(`Scalar value ${formatG(k)} overflows int64`);
  return Math.max(-1, Math.min(2 ** 31 - 1, Math.trunc(k)));
}

function kAggregate(e: AggregateExpr, v: VectorValue, kParam: Float64Array, n: number, ctx: QueryContext): VectorValue {
  const groups = makeGroups(v, e);
  const top = e.op === "topk";
  const selected = new Map<StepSeries, StepSeries>();
  const anyPresent = new Uint8Array(n);
  for (const s of v.series) for (let i = 0; i < n; i++) anyPresent[i]! |= s.has[i]!;
  // Ordered output for instant queries: per group, the selection in result order.
  const order: StepSeries[] = [];
  for (let i = 0; i < n; i++) {
    const k = checkK(kParam[i]!, e.op);
    if (!anyPresent[i]) continue;
    if (k < 1) continue;
    for (const g of groups) {
      let pick: StepSeries[];
      if (e.op === "limitk") {
        const present = g.members.filter((s) => s.has[i]);
        if (present.length === 0) continue;
        pick = limitkOrder(present).slice(0, k);
      } else {
        pick = selectK(g.members, i, k, top);
      }
      for (const s of pick) {
        let r = selected.get(s);
        if (!r) {
          r = newStepSeries(s.labels, n, s.dropName);
          selected.set(s, r);
          order.push(r);
        }
        r.vals[i] = s.vals[i]!;
        r.has[i] = 1;
      }
    }
  }
  void ctx;
  return { kind: "vector", series: order };
}

/**
 * The k best series at step i, best first (topk: largest; bottomk: smallest; NaN always loses; ties
 * keep input order). Insertion into a k-slot list: O(n·k) worst case, O(n) typically.
 */
function selectK(present: StepSeries[], i: number, k: number, top: boolean): StepSeries[] {
  const best: StepSeries[] = [];
  const vals: number[] = [];
  const better = (a: number, b: number) => (a !== a ? false : b !== b ? true : top ? a > b : a < b);
  for (const s of present) {
    if (!s.has[i]) continue;
    const v = s.vals[i]!;
    if (best.length === k && !better(v, vals[k - 1]!)) continue;
    let pos = best.length;
    while (pos > 0 && better(v, vals[pos - 1]!)) pos--;
    best.splice(pos, 0, s);
    vals.splice(pos, 0, v);
    if (best.length > k) {
      best.pop();
      vals.pop();
    }
  }
  return best;
}

function limitRatio(e: AggregateExpr, v: VectorValue, rParam: Float64Array, n: number): VectorValue {
  const out: StepSeries[] = [];
  const sel = new Map<StepSeries, StepSeries>();
  const fractions = v.series.map((s) => labelsHashFraction(s.labels));
  for (let i = 0; i < n; i++) {
    const r = rParam[i]!;
    if (Number.isNaN(r)) throw new ExecutionError("Ratio value is NaN");
    for (let j = 0; j < v.series.length; j++) {
      const s = v.series[j]!;
      if (!s.has[i] || !limitRatioSelect(fractions[j]!, r)) continue;
      let o = sel.get(s);
      if (!o) {
        o = newStepSeries(s.labels, n, s.dropName);
        sel.set(s, o);
        out.push(o);
      }
      o.vals[i] = s.vals[i]!;
      o.has[i] = 1;
    }
  }
  void e;
  return { kind: "vector", series: out };
}

function countValues(e: AggregateExpr, v: VectorValue, param: EvalValue | null, n: number): VectorValue {
  if (!param || param.kind !== "string") throw new ExecutionError("expected string parameter for count_values");
  const label = param.val;
  if (!isValidLabelName(label)) throw new ExecutionError(`invalid label name "${label}"`);
  const map = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const base = groupLabels(s.labels, e);
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const ls = base.builder().set(label, formatValue(s.vals[i]!)).labels();
      const k = ls.key();
      let r = map.get(k);
      if (!r) {
        r = newStepSeries(ls, n, false);
        map.set(k, r);
        out.push(r);
      }
      r.vals[i] = r.has[i] ? r.vals[i]! + 1 : 1;
      r.has[i] = 1;
    }
  }
  return { kind: "vector", series: out };
}

