/**
 * @module exporters/service/histogram
 * Classic (bucketed) histograms: `_bucket{le}` cumulative counts including `le="+Inf"`, `_sum`, `_count`,
 * plus the bucket helpers {@link linearBuckets} and {@link exponentialBuckets} (client_golang semantics).
 *
 * Invariants: buckets are strictly increasing finite numbers; `+Inf` is implicit; the +Inf bucket equals
 * `_count`. `le` values are rendered as Go's client does (shortest round-trip, exponent form for large values).
 */
import type { ExposedSample } from "../../core/model/metric-family.ts";
import { formatGoFloat } from "../../core/exposition/float.ts";
import { BadDataError } from "../../core/util/errors.ts";
import type { LabelValues, MetricOptions } from "./metric.ts";
import { ObservingMetric, type ObservingChild } from "./observing.ts";

/** client_golang's DefBuckets (seconds). */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `count` buckets starting at `start`, each `width` wider than the previous. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(count >= 1)) throw new BadDataError("linearBuckets needs a positive count");
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets starting at `start` (> 0), each `factor` (> 1) times the previous. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(count >= 1)) throw new BadDataError("exponentialBuckets needs a positive count");
  if (!(start > 0)) throw new BadDataError("exponentialBuckets needs a positive start");
  if (!(factor > 1)) throw new BadDataError("exponentialBuckets needs a factor greater than 1");
  const out: number[] = [];
  let b = start;
  for (let i = 0; i < count; i++, b *= factor) out.push(b);
  return out;
}

interface HistogramState {
  /** Non-cumulative counts per bucket; the last slot is the +Inf overflow. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** Options of a histogram. */
export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing; default {@link DEFAULT_BUCKETS}. */
  buckets?: readonly number[];
}

/** A bound child of a histogram. */
export type HistogramChild = ObservingChild;

/**
 * A histogram.
 * @example
 * const latency = new Histogram({ name: "request_duration_seconds", help: "Latency.", buckets: exponentialBuckets(0.001, 2, 12), registers: [reg] });
 * const end = latency.startTimer(); …; end();
 */
export class Histogram<L extends string = string> extends ObservingMetric<L, HistogramState> {
  readonly type = "histogram" as const;
  /** Upper bounds without +Inf. */
  readonly buckets: readonly number[];
  private readonly leStrings: string[];

  constructor(opts: HistogramOptions<L>) {
    super(opts, ["le"]);
    const b = [...(opts.buckets ?? DEFAULT_BUCKETS)];
    if (b.length > 0 && b[b.length - 1] === Infinity) b.pop();
    for (let i = 0; i < b.length; i++) {
      const v = b[i]!;
      if (!Number.isFinite(v)) throw new BadDataError(`histogram ${opts.name}: bucket ${v} is not a finite number`);
      if (i > 0 && !(v > b[i - 1]!)) throw new BadDataError(`histogram ${opts.name}: buckets must be strictly increasing (${b[i - 1]} then ${v})`);
    }
    this.buckets = b;
    this.leStrings = [...b.map(formatGoFloat), "+Inf"];
  }

  protected newState(): HistogramState {
    return { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
  }

  protected samples(labels: Record<string, string>, s: HistogramState, out: ExposedSample[]): void {
    let cum = 0;
    for (let i = 0; i < s.counts.length; i++) {
      cum += s.counts[i]!;
      out.push({ name: this.name + "_bucket", labels: { ...labels, le: this.leStrings[i]! }, value: cum });
    }
    out.push({ name: this.name + "_sum", labels: { ...labels }, value: s.sum });
    out.push({ name: this.name + "_count", labels: { ...labels }, value: s.count });
  }

  /** Creates the child with zero counts so it is exported before the first observation. */
  zero(labels?: LabelValues<L>): void {
    const s = this.child(labels);
    s.counts.fill(0);
    s.sum = 0;
    s.count = 0;
  }

  protected record(s: HistogramState, v: number): void {
    if (typeof v !== "number") throw new BadDataError(`histogram ${this.name}: value is not a number`);
    // Binary search for the first bucket with v <= le; NaN lands in +Inf like client_golang.
    let lo = 0;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= this.buckets[mid]!) hi = mid;
      else lo = mid + 1;
    }
    s.counts[lo]! += 1;
    s.sum += v;
    s.count += 1;
  }
}
