/**
 * @module core/promql/functions/types
 * The contract between the evaluator and function implementations, and shared helpers to map
 * per-step values and per-window sample ranges into output vectors.
 */
import { Labels } from "../../model/labels.ts";
import type { Call } from "../parser/ast.ts";
import type { QueryContext } from "../engine/context.ts";
import { ExecutionError } from "../engine/errors.ts";
import { newStepSeries, stepTime, type EvalValue, type Grid, type RangeArg, type ScalarValue, type StepSeries, type VectorValue } from "../engine/types.ts";

/** Everything a function implementation receives: the call node, evaluated arguments, grid, context. */
export interface FunctionArgs {
  call: Call;
  args: EvalValue[];
  grid: Grid;
  ctx: QueryContext;
}

/** A function implementation. */
export type FunctionImpl = (a: FunctionArgs) => EvalValue;

/** The argument at `i` as a vector (throws a BUG-style execution error otherwise). */
export function vectorArg(a: FunctionArgs, i: number): VectorValue {
  const v = a.args[i];
  if (!v || v.kind !== "vector") throw new ExecutionError(`expected instant vector argument ${i} in call to ${a.call.func}`);
  return v;
}

/** The argument at `i` as a scalar column. */
export function scalarArg(a: FunctionArgs, i: number): Float64Array {
  const v = a.args[i];
  if (!v || v.kind !== "scalar") throw new ExecutionError(`expected scalar argument ${i} in call to ${a.call.func}`);
  return (v as ScalarValue).vals;
}

/** The argument at `i` as a string. */
export function stringArg(a: FunctionArgs, i: number): string {
  const v = a.args[i];
  if (!v || v.kind !== "string") throw new ExecutionError(`expected string argument ${i} in call to ${a.call.func}`);
  return v.val;
}

/** The argument at `i` as a range argument. */
export function rangeArg(a: FunctionArgs, i: number): RangeArg {
  const v = a.args[i];
  if (!v || v.kind !== "range") throw new ExecutionError(`expected range vector argument ${i} in call to ${a.call.func}`);
  return v;
}

/** Maps every present value of a vector through `fn` (NaN result still counts as a value). */
export function mapValues(v: VectorValue, fn: (x: number, i: number) => number, dropName = true): VectorValue {
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const n = s.vals.length;
    const r = newStepSeries(s.labels, n, dropName || s.dropName);
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      r.vals[i] = fn(s.vals[i]!, i);
      r.has[i] = 1;
    }
    out.push(r);
  }
  return { kind: "vector", series: out };
}

/** Per-window callback: samples [lo, hi) of ts/vs lie in the window ending at refT (ms). */
export type WindowFn = (ts: Float64Array, vs: Float64Array, lo: number, hi: number, refT: number, step: number) => number | undefined;

/**
 * Evaluates `fn` over every (series, step) window of a range argument. Windows are (refT - range, refT];
 * both window edges move forward monotonically, so each series is scanned once.
 * `onWindow` is told about every non-empty window (annotations).
 */
export function mapWindows(
  a: RangeArg, g: Grid, ctx: QueryContext, fn: WindowFn, keepName = false,
  onSeries?: (labels: Labels, nonEmpty: boolean) => void,
  allowEmpty = false,
): VectorValue {
  const out: StepSeries[] = [];
  const range = a.range;
  const sink = a.sink;
  const scratch = sink ? newStepSeries(Labels.EMPTY, g.n) : null;
  for (const s of a.series) {
    ctx.check();
    const ts = s.ts, vs = s.vs, len = ts.length;
    let r: StepSeries;
    if (scratch) {
      scratch.has.fill(0);
      r = scratch;
    } else r = newStepSeries(s.labels, g.n, keepName ? s.dropName : true);
    let lo = 0, hi = 0, any = false, nonEmpty = false;
    for (let i = 0; i < g.n; i++) {
      const t = a.refT[i]!;
      const from = t - range;
      while (lo < len && ts[lo]! <= from) lo++;
      if (hi < lo) hi = lo;
      while (hi < len && ts[hi]! <= t) hi++;
      if (hi <= lo && !allowEmpty) continue;
      if (hi > lo) nonEmpty = true;
      const v = fn(ts, vs, lo, hi, t, i);
      if (v === undefined) continue;
      r.vals[i] = v;
      r.has[i] = 1;
      any = true;
    }
    if (onSeries) onSeries(s.labels, nonEmpty);
    if (!any) continue;
    if (sink) sink(s.labels, r.vals, r.has, keepName ? s.dropName : true);
    else out.push(r);
  }
  return { kind: "vector", series: out };
}

/** A vector with one series `labels` holding `vals` at every step. */
export function constantVector(labels: Labels, vals: Float64Array): VectorValue {
  const s = newStepSeries(labels, vals.length, false);
  s.vals.set(vals);
  s.has.fill(1);
  return { kind: "vector", series: [s] };
}

/** Step times in seconds. */
export function stepSeconds(g: Grid): Float64Array {
  const out = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) out[i] = stepTime(g, i) / 1000;
  return out;
}
