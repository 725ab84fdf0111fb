/**
 * @module core/storage/interface
 * The storage seam: what the query engine, the scrape loop, rules and the API need from a store, and
 * nothing more. core/promql, core/scrape, core/rules and core/api import this module, never core/tsdb.
 *
 * Times are milliseconds since the Unix epoch held in JS numbers (exact integers up to 2^53). Sample
 * columns are typed arrays owned by the caller once returned: implementations must hand out copies or
 * views of immutable data, and callers must not mutate them.
 */
import type { Labels } from "../model/labels.ts";
import type { Matcher } from "../model/matcher.ts";

/** An opaque per-store series reference; 0 means "unknown, look up by labels". */
export type SeriesRef = number;

/**
 * Collects samples and commits them atomically. Not safe for concurrent use; get one per batch (a scrape,
 * a rule evaluation, a remote-write request).
 */
export interface Appender {
  /**
   * Adds a sample to the pending batch and returns the series reference to pass next time.
   * Throws OutOfOrderSampleError, DuplicateSampleError, TooOldSampleError or OutOfBoundsError for that
   * sample only; earlier samples in the batch stay pending.
   * @param t milliseconds since the Unix epoch.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /**
   * Adds a staleness marker with its exact bit pattern. Prefer this over `append(…, STALE_NAN)`: on Bun
   * a NaN passed as a JS number loses its payload, so the marker would arrive as a plain NaN.
   * Optional for compatibility; callers fall back to `append(ref, labels, t, STALE_NAN)`.
   */
  appendStale?(ref: SeriesRef, labels: Labels, t: number): SeriesRef;
  /** Makes the batch durable (written to the WAL) and visible to queries. */
  commit(): Promise<void>;
  /** Discards the batch. */
  rollback(): void;
}

/** Something that hands out appenders. */
export interface Appendable {
  appender(): Appender;
}

/** Hints that let a querier skip work. All times in ms. */
export interface SelectHints {
  /** Earliest sample time needed (inclusive). */
  start: number;
  /** Latest sample time needed (inclusive). */
  end: number;
  /** Query step, when known. */
  step?: number;
  /** Function wrapping the selector (`rate`, …), or "series" when only labels are needed (samples may be empty). */
  func?: string;
  /** Maximum number of series to return (0 = unlimited). */
  limit?: number;
}

/** One series with its samples as aligned columns, sorted by time, no duplicate timestamps. */
export interface Series {
  readonly labels: Labels;
  /** Sample times in ms. Same length as `values`. */
  readonly timestamps: Float64Array;
  /** Sample values; staleness markers keep their NaN bit pattern. */
  readonly values: Float64Array;
}

/** The result of a select: series sorted by labels (compareLabels), plus non-fatal warnings. */
export interface SeriesSet {
  series: Series[];
  warnings: string[];
}

/** Read access to a time range of a store. Close it when done so resources can be released. */
export interface Querier {
  /** Series matching all matchers with samples in [hints.start, hints.end]. */
  select(matchers: readonly Matcher[], hints: SelectHints): Promise<SeriesSet>;
  /** Label names of series matching the matchers (all series when empty), sorted. */
  labelNames(matchers: readonly Matcher[], hints: SelectHints): Promise<string[]>;
  /** Values of `name` on series matching the matchers, sorted. */
  labelValues(name: string, matchers: readonly Matcher[], hints: SelectHints): Promise<string[]>;
  close(): void;
}

/** Something that opens queriers for a time range. */
export interface Queryable {
  /** @param mint earliest time (ms) the querier will be asked about. @param maxt latest time (ms). */
  querier(mint: number, maxt: number): Promise<Querier>;
}

/** A full store: append and query. */
export interface Storage extends Appendable, Queryable {
  /** The earliest sample time the store holds, in ms (or +Infinity when empty). */
  startTime(): Promise<number>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
