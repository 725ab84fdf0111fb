/**
 * @module exporters/service/summary
 * Summaries: `{quantile="φ"}` samples computed over a sliding time window, plus `_sum` and `_count` over all
 * time (client_golang and prom-client semantics).
 *
 * The window is `maxAgeSeconds` split into `ageBuckets` rotating buckets of raw observations; a quantile is
 * computed exactly over the observations of the live buckets at scrape time (nearest-rank on sorted values,
 * NaN when the window is empty, as client_golang does). Memory is bounded by the observation rate times the
 * window; `maxSamplesPerBucket` caps it by reservoir sampling beyond that.
 */
import type { ExposedSample } from "../../core/model/metric-family.ts";
import { formatGoFloat } from "../../core/exposition/float.ts";
import { BadDataError } from "../../core/util/errors.ts";
import type { LabelValues, MetricOptions } from "./metric.ts";
import { ObservingMetric, type ObservingChild } from "./observing.ts";

/** prom-client's default percentiles. */
export const DEFAULT_PERCENTILES: readonly number[] = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];
/** Default sliding window, seconds (client_golang DefMaxAge). */
export const DEFAULT_MAX_AGE_SECONDS = 600;
/** Default number of rotating buckets in the window (client_golang DefAgeBuckets). */
export const DEFAULT_AGE_BUCKETS = 5;
/** Default cap of observations kept per age bucket. */
export const DEFAULT_MAX_SAMPLES_PER_BUCKET = 10_000;

/** Options of a summary. */
export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  /** Quantiles in [0, 1]; default {@link DEFAULT_PERCENTILES}. */
  percentiles?: readonly number[];
  /** Window length, seconds. */
  maxAgeSeconds?: number;
  /** Rotating buckets in the window. */
  ageBuckets?: number;
  /** Cap of observations per age bucket (reservoir sampling beyond it). */
  maxSamplesPerBucket?: number;
  /** Clock in ms (default Date.now), injectable for tests. */
  now?: () => number;
}

interface AgeBucket {
  values: number[];
  seen: number;
}

interface SummaryState {
  buckets: AgeBucket[];
  /** Start (ms) of the current (head) bucket. */
  headStart: number;
  head: number;
  sum: number;
  count: number;
}

/** A bound child of a summary. */
export type SummaryChild = ObservingChild;

/**
 * A summary.
 * @example
 * const size = new Summary({ name: "response_size_bytes", help: "Sizes.", percentiles: [0.5, 0.9, 0.99], registers: [reg] });
 * size.observe(1234);
 */
export class Summary<L extends string = string> extends ObservingMetric<L, SummaryState> {
  readonly type = "summary" as const;
  readonly percentiles: readonly number[];
  private readonly ageMs: number;
  private readonly nBuckets: number;
  private readonly cap: number;
  private readonly now: () => number;

  constructor(opts: SummaryOptions<L>) {
    super(opts, ["quantile"]);
    const ps = [...(opts.percentiles ?? DEFAULT_PERCENTILES)];
    for (const p of ps) if (!(p >= 0 && p <= 1)) throw new BadDataError(`summary ${opts.name}: quantile ${p} is not in [0, 1]`);
    this.percentiles = ps;
    const maxAge = opts.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    if (!(maxAge > 0)) throw new BadDataError(`summary ${opts.name}: maxAgeSeconds must be positive`);
    this.nBuckets = Math.max(1, Math.floor(opts.ageBuckets ?? DEFAULT_AGE_BUCKETS));
    this.ageMs = (maxAge * 1000) / this.nBuckets;
    this.cap = opts.maxSamplesPerBucket ?? DEFAULT_MAX_SAMPLES_PER_BUCKET;
    this.now = opts.now ?? Date.now;
  }

  protected newState(): SummaryState {
    return {
      buckets: Array.from({ length: this.nBuckets }, () => ({ values: [], seen: 0 })),
      headStart: this.now(),
      head: 0,
      sum: 0,
      count: 0,
    };
  }

  /** Advances the ring so the head bucket covers now, clearing expired buckets. */
  private rotate(s: SummaryState): void {
    const now = this.now();
    let steps = Math.floor((now - s.headStart) / this.ageMs);
    if (steps <= 0) return;
    s.headStart += steps * this.ageMs;
    if (steps > this.nBuckets) steps = this.nBuckets;
    for (let i = 0; i < steps; i++) {
      s.head = (s.head + 1) % this.nBuckets;
      const b = s.buckets[s.head]!;
      b.values = [];
      b.seen = 0;
    }
  }

  protected samples(labels: Record<string, string>, s: SummaryState, out: ExposedSample[]): void {
    this.rotate(s);
    const all: number[] = [];
    for (const b of s.buckets) for (const v of b.values) all.push(v);
    all.sort((a, b) => a - b);
    for (const q of this.percentiles) {
      out.push({ name: this.name, labels: { ...labels, quantile: formatGoFloat(q) }, value: quantile(all, q) });
    }
    out.push({ name: this.name + "_sum", labels: { ...labels }, value: s.sum });
    out.push({ name: this.name + "_count", labels: { ...labels }, value: s.count });
  }

  protected record(s: SummaryState, v: number): void {
    if (typeof v !== "number") throw new BadDataError(`summary ${this.name}: value is not a number`);
    this.rotate(s);
    s.sum += v;
    s.count += 1;
    if (Number.isNaN(v)) return;
    const b = s.buckets[s.head]!;
    b.seen++;
    if (b.values.length < this.cap) b.values.push(v);
    else {
      const j = Math.floor(Math.random() * b.seen);
      if (j < this.cap) b.values[j] = v;
    }
  }
}

/** The φ-quantile of sorted values by nearest rank; NaN for an empty set. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
