/**
 * @module core/promql/engine/types
 * The evaluator's internal value model. Evaluation is columnar over the query's step grid: an instant
 * vector is a list of {@link StepSeries}, each holding one Float64Array of values and one Uint8Array
 * presence mask with one slot per step; a scalar is one Float64Array. Range vectors (arguments of
 * range functions) stay as raw sample columns ({@link RawSeries}) plus the window they are read
 * through. Arrays are owned by the value that holds them; evaluators may reuse an input's arrays in
 * their output only when the input is not referenced again.
 */
import type { Labels } from "../../model/labels.ts";
import type { Expr } from "../parser/ast.ts";

/** The evaluation grid: steps start, start+step, …, end (ms). An instant query has one step. */
export interface Grid {
  start: number;
  end: number;
  /** Step in ms (> 0; 1 for instant queries). */
  step: number;
  /** Number of steps. */
  n: number;
}

/** Time of step i of a grid (ms). */
export function stepTime(g: Grid, i: number): number {
  return g.start + i * g.step;
}

/** One series of an instant vector over the grid. */
export interface StepSeries {
  labels: Labels;
  /** Value per step (meaningful where `has` is 1). */
  vals: Float64Array;
  /** 1 where the series has a sample at the step. */
  has: Uint8Array;
  /** Delayed name removal: drop `__name__` when the query finishes. */
  dropName: boolean;
}

/** Raw samples of one series (timestamps ascending, no stale markers). */
export interface RawSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  dropName: boolean;
}

/** A range-vector argument: raw series read through windows (refT - range, refT]. */
export interface RangeArg {
  kind: "range";
  series: RawSeries[];
  /** Window length in ms. */
  range: number;
  /** Reference time of each step: (at ?? stepTime) - offset. */
  refT: Float64Array;
  /** The node that produced it (for annotations and function-specific behaviour). */
  node: Expr;
  /**
   * When set, window functions deliver each output series to this sink (with reused buffers) instead
   * of materialising them; used to fuse aggregations with range functions.
   */
  sink?: SeriesSink;
}

/**
 * Receives output series one at a time. `vals`/`has` are scratch buffers owned by the producer and
 * only valid during the call.
 */
export type SeriesSink = (labels: Labels, vals: Float64Array, has: Uint8Array, dropName: boolean) => void;

/** Values flowing through the evaluator. */
export type EvalValue =
  | { kind: "vector"; series: StepSeries[] }
  | { kind: "scalar"; vals: Float64Array }
  | { kind: "string"; val: string }
  | RangeArg;

/** A vector value. */
export type VectorValue = Extract<EvalValue, { kind: "vector" }>;
/** A scalar value. */
export type ScalarValue = Extract<EvalValue, { kind: "scalar" }>;

/** Creates an empty step series for `labels` on grid length n. */
export function newStepSeries(labels: Labels, n: number, dropName = false): StepSeries {
  return { labels, vals: new Float64Array(n), has: new Uint8Array(n), dropName };
}
