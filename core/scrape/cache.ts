/**
 * @module core/scrape/cache
 * ScrapeCache: one loop's memory of its target's series, as Prometheus's scrapeCache keeps it.
 *
 * Two levels:
 * - raw entries, keyed by the series text exactly as exposed (`name{labels}`, the parser's seriesKey()),
 *   map to the series state of the final labels (after target labels, honor_labels and
 *   metric_relabel_configs), or to `null` when metric relabeling dropped the series. A steady-state
 *   scrape therefore does one Map lookup per sample and no label building or relabeling;
 * - series states, keyed by the final labels' key, hold the Labels object (passed to every append, so
 *   the storage's identity fast path hits), the last storage ref, and the scrape iterations in which the
 *   series was seen. Several raw texts may map to one series (label order, trailing commas, relabeling
 *   that merges series); staleness is tracked per series, never per raw text.
 *
 * Invariants:
 * - a raw entry is a pure function of the raw text, the target's labels and the scrape config, so entries
 *   added during a scrape that later fails stay valid; a loop's cache lives exactly as long as its config
 *   (a reload builds a new loop and hands over only the staleness set, see {@link ScrapeCache.staleSet});
 * - the "previous scrape" set (for staleness markers and scrape_series_added) is the series seen, with
 *   staleness tracking, in the last successful scrape; a failed scrape empties it after marking all stale;
 * - entries not seen for more than {@link CACHE_EVICT_AFTER} scrapes are evicted, so the cache never
 *   outgrows the target by more than a couple of scrapes of churn.
 *
 * Memory: raw keys are substrings of scrape bodies, which JS engines may keep as slices of the whole
 * body; a loop therefore holds on to roughly one body (of the scrape that first exposed its series).
 */
import type { Labels } from "../model/labels.ts";
import { STALE_NAN } from "../model/value.ts";
import type { Appender, SeriesRef } from "../storage/interface.ts";

/** A series remembered between scrapes (the staleness set handed from a loop to its replacement). */
export interface CachedSeries {
  labels: Labels;
  ref: SeriesRef;
}

/** Series of the last successful scrape keyed by label key (see {@link ScrapeCache.staleSet}). */
export type SeriesCache = Map<string, CachedSeries>;

/** Scrapes a cache entry may go unseen before it is evicted (Prometheus keeps entries a couple of scrapes). */
export const CACHE_EVICT_AFTER = 2;

/** What the cache knows about one series (final labels). Mutated in place by the append path. */
export interface SeriesState {
  readonly labels: Labels;
  readonly key: string;
  /** Last ref the storage returned (0: unknown; storages check refs against labels). */
  ref: SeriesRef;
  /** Iteration of the current/last scrape that saw the series, -1 if none. */
  cur: number;
  /** Whether it is tracked for staleness in scrape `cur` (false for explicit timestamps without tracking). */
  curTracked: boolean;
  /** Iteration of the last successful scrape that saw it, -1 if none. */
  seen: number;
  /** Whether it was tracked for staleness in scrape `seen`. */
  tracked: boolean;
}

/** A raw exposed series: its final series, or null when metric relabeling drops it. */
export interface RawEntry {
  readonly series: SeriesState | null;
  /** Iteration of the last scrape that exposed this text. */
  iter: number;
}

/** Per-loop cache of exposed series → final series, and the staleness set. */
export class ScrapeCache {
  readonly #raw = new Map<string, RawEntry>();
  readonly #series = new Map<string, SeriesState>();
  /** The iteration of the scrape in progress (or last finished). */
  #iter = 0;
  /** Iteration of the last successful scrape; -1 after a failure (the previous set is empty). */
  #lastSuccess = -1;
  /** Raw entries seen in the current scrape (to skip the eviction scan when nothing went missing). */
  #rawSeen = 0;

  /** Seeds the staleness set with `prev` (series of the previous loop's last successful scrape). */
  constructor(prev?: SeriesCache) {
    if (!prev || prev.size === 0) return;
    for (const [key, c] of prev) this.#series.set(key, { labels: c.labels, key, ref: c.ref, cur: 0, curTracked: true, seen: 0, tracked: true });
    this.#lastSuccess = 0;
  }

  /** Starts a scrape; returns its iteration number. */
  begin(): number {
    this.#rawSeen = 0;
    return ++this.#iter;
  }

  /** The iteration of the scrape in progress. */
  get iter(): number {
    return this.#iter;
  }

  /** Looks up an exposed series text; marks it seen in the current scrape. */
  getRaw(rawKey: string): RawEntry | undefined {
    const e = this.#raw.get(rawKey);
    if (e !== undefined && e.iter !== this.#iter) {
      e.iter = this.#iter;
      this.#rawSeen++;
    }
    return e;
  }

  /** Remembers what an exposed series text maps to (null: dropped), seen in the current scrape. */
  addRaw(rawKey: string, labels: Labels | null): RawEntry {
    let series: SeriesState | null = null;
    if (labels !== null) {
      const key = labels.key();
      series = this.#series.get(key) ?? null;
      if (series === null) {
        series = { labels, key, ref: 0, cur: -1, curTracked: false, seen: -1, tracked: false };
        this.#series.set(key, series);
      }
    }
    const e: RawEntry = { series, iter: this.#iter };
    this.#raw.set(rawKey, e);
    this.#rawSeen++;
    return e;
  }

  /** Whether `s` was in the previous successful scrape (for scrape_series_added). */
  inPrevious(s: SeriesState): boolean {
    return this.#lastSuccess >= 0 && s.seen === this.#lastSuccess;
  }

  /**
   * Ends a successful scrape at `ts` (ms): appends staleness markers for tracked series of the previous
   * scrape that this scrape did not track, makes this scrape the previous one, and evicts entries unseen
   * for more than {@link CACHE_EVICT_AFTER} scrapes. Rejected markers are ignored.
   */
  commitScrape(app: Appender, ts: number): void {
    const i = this.#iter, prev = this.#lastSuccess;
    for (const [key, s] of this.#series) {
      if (s.cur === i) {
        if (prev >= 0 && s.seen === prev && s.tracked && !s.curTracked) appendStale(app, s, ts);
        s.seen = i;
        s.tracked = s.curTracked;
        continue;
      }
      if (prev >= 0 && s.seen === prev && s.tracked) appendStale(app, s, ts);
      if (i - s.cur > CACHE_EVICT_AFTER) this.#series.delete(key);
    }
    this.#lastSuccess = i;
    if (this.#rawSeen === this.#raw.size) return;
    for (const [k, e] of this.#raw) if (i - e.iter > CACHE_EVICT_AFTER) this.#raw.delete(k);
  }

  /**
   * Ends a failed scrape (or a stopped target) at `ts` (ms): appends staleness markers for every tracked
   * series of the previous successful scrape and empties that set. The raw entries stay valid.
   */
  failScrape(app: Appender, ts: number): void {
    const prev = this.#lastSuccess;
    if (prev >= 0) for (const s of this.#series.values()) if (s.seen === prev && s.tracked) appendStale(app, s, ts);
    this.#lastSuccess = -1;
  }

  /** The tracked series of the last successful scrape (handed to a replacement loop on reload). */
  staleSet(): SeriesCache {
    const out: SeriesCache = new Map();
    const prev = this.#lastSuccess;
    if (prev < 0) return out;
    for (const s of this.#series.values()) if (s.seen === prev && s.tracked) out.set(s.key, { labels: s.labels, ref: s.ref });
    return out;
  }

  /** Number of raw entries and series states (tests, self-metrics). */
  get size(): { raw: number; series: number } {
    return { raw: this.#raw.size, series: this.#series.size };
  }
}

/** Appends a staleness marker for `s` at `ts`, ignoring rejections (a newer sample exists: no marker needed). */
function appendStale(app: Appender, s: { ref: SeriesRef; labels: Labels }, ts: number): void {
  try {
    // appendStale keeps the marker's bits on Bun, where a NaN passed as a number loses its payload.
    if (app.appendStale) app.appendStale(s.ref, s.labels, ts);
    else app.append(s.ref, s.labels, ts, STALE_NAN);
  } catch {
    // Out of order or duplicate.
  }
}

/** Appends a staleness marker at `ts` (ms) for every series of `set`; rejected markers are ignored. */
export function appendStaleMarkers(app: Appender, set: SeriesCache, ts: number): void {
  for (const s of set.values()) appendStale(app, s, ts);
}
