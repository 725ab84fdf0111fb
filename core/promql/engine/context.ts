/**
 * @module core/promql/engine/context
 * Per-query state shared by all evaluators: the storage seam, limits (timeout, max samples, abort
 * signal), the lookback delta, the query's own start/end (for `@ start()` / `@ end()`), feature flags
 * and the warning/info annotations collected so far. One QueryContext per query; never shared.
 */
import type { Matcher } from "../../model/matcher.ts";
import type { Queryable, Series } from "../../storage/interface.ts";
import type { PosRange } from "../parser/ast.ts";
import { lineCol } from "../parser/errors.ts";
import { QueryCanceledError, QueryTimeoutError, StorageError, TooManySamplesError } from "./errors.ts";

/** Feature flags mirroring Prometheus's --enable-feature switches. */
export interface EngineFeatures {
  /** Drop `__name__` at the end of evaluation instead of at each step (Prometheus 3 default for tests). */
  delayedNameRemoval?: boolean;
}

/** Options for one query's context. */
export interface QueryContextOptions {
  queryable: Queryable;
  query: string;
  start: number;
  end: number;
  lookbackDelta: number;
  maxSamples: number;
  /** Absolute deadline (clock ms) or Infinity. */
  deadline: number;
  now: () => number;
  signal?: AbortSignal;
  /** The query's step (ms; 0 for instant queries), for `step()` in duration expressions. */
  step: number;
  /** Default subquery step (ms) when none is written. */
  defaultSubqueryStep: number;
  features: EngineFeatures;
}

/** Mutable per-query evaluation state. */
export class QueryContext {
  readonly o: QueryContextOptions;
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();
  /** Samples currently accounted against maxSamples. */
  samples = 0;
  /** Peak of `samples` (reported in stats). */
  peakSamples = 0;
  /** Total samples read from storage. */
  totalSamples = 0;
  #checks = 0;

  constructor(o: QueryContextOptions) {
    this.o = o;
  }

  /** The top-level query step in ms (0 for instant queries). */
  get topStep(): number {
    return this.o.step;
  }

  /** Adds `n` samples to the in-memory count; throws TooManySamplesError past the limit. */
  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.peakSamples) this.peakSamples = this.samples;
    if (this.samples > this.o.maxSamples) throw new TooManySamplesError();
  }

  /** Releases `n` samples from the in-memory count. */
  releaseSamples(n: number): void {
    this.samples -= n;
  }

  /** Throws if the query was canceled or timed out. Cheap: checks the clock every 64 calls. */
  check(force = false): void {
    if (this.o.signal?.aborted) {
      const r = this.o.signal.reason;
      if (r instanceof QueryTimeoutError) throw r;
      throw new QueryCanceledError();
    }
    if (!force && (++this.#checks & 63) !== 0) return;
    if (this.o.now() > this.o.deadline) throw new QueryTimeoutError();
  }

  /** Formats and records a warning annotation at `pos`. */
  warn(pos: PosRange, msg: string): void {
    this.warnings.add(`PromQL warning: ${msg}${this.#where(pos)}`);
  }

  /** Formats and records an info annotation at `pos`. */
  info(pos: PosRange, msg: string): void {
    this.infos.add(`PromQL info: ${msg}${this.#where(pos)}`);
  }

  #where(pos: PosRange): string {
    const { line, col } = lineCol(this.o.query, pos.start);
    return ` (${line}:${col})`;
  }

  /** Selects series with samples in [mint, maxt] (ms, inclusive) through the Queryable. */
  async select(matchers: readonly Matcher[], mint: number, maxt: number, func?: string, step?: number): Promise<Series[]> {
    this.check(true);
    let querier;
    try {
      querier = await this.o.queryable.querier(mint, maxt);
    } catch (e) {
      throw new StorageError(`cannot open querier: ${(e as Error).message}`, e);
    }
    try {
      const set = await querier.select(matchers, { start: mint, end: maxt, func, step });
      for (const w of set.warnings) this.warnings.add(w);
      for (const s of set.series) this.totalSamples += s.timestamps.length;
      return set.series;
    } catch (e) {
      if (e instanceof Error && "code" in e) throw e;
      throw new StorageError((e as Error).message, e);
    } finally {
      querier.close();
    }
  }
}
