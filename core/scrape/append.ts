/**
 * @module core/scrape/append
 * The scrape hot path: streams one scrape body through the pull parser and appends its samples, with
 * Prometheus's per-sample rules (sample_limit counted, honor_timestamps and track_timestamps_staleness
 * respected, exemplars ignored, rejected out-of-order/duplicate/out-of-bounds samples counted but not
 * fatal). Each exposed series is looked up in the loop's {@link ScrapeCache} by its raw text; only a miss
 * cuts out the name and labels and computes the final labels (sample-labels.ts). A steady-state sample
 * costs one Map lookup and one `appender.append(ref, labels, t, v)`.
 *
 * Invariant: on any error that fails the scrape (parse error, limits, invalid labels, storage failure)
 * the caller rolls the appender back, so nothing of a failed scrape is stored. The cache stays valid
 * either way (see cache.ts); staleness is settled by the caller through the cache.
 */
import type { ExpositionParser } from "../exposition/index.ts";
import type { Labels } from "../model/labels.ts";
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError, TooOldSampleError } from "../storage/errors.ts";
import type { Appender } from "../storage/interface.ts";
import type { ScrapeCache } from "./cache.ts";
import type { ScrapeConfig } from "./config.ts";
import type { MetadataTracker } from "./metadata.ts";
import type { ScrapeMetrics } from "./metrics.ts";
import { finalLabels } from "./sample-labels.ts";

/** Prometheus's error text for sample_limit. */
export const ERR_SAMPLE_LIMIT = "sample limit exceeded";

/** Outcome of {@link appendScrape}. */
export interface AppendResult {
  /** Samples in the exposition (up to the failure point when the scrape failed). */
  total: number;
  /** Samples left after metric relabeling. */
  added: number;
  /** Series not present in the previous successful scrape. */
  seriesAdded: number;
  /** Set when the scrape must fail (the caller rolls back). */
  error?: string;
  /** Which limit failed, for self-metrics. */
  limit?: "sample" | "label";
}

/** What one scrape's append needs besides the samples. */
export interface AppendContext {
  app: Appender;
  /** The scrape timestamp in ms (used unless honor_timestamps and the sample has its own). */
  ts: number;
  /** The target's public labels. */
  targetLabels: Labels;
  cfg: ScrapeConfig;
  /** The loop's cache; `begin()` must have been called for this scrape. */
  cache: ScrapeCache;
  metrics: ScrapeMetrics;
  /** Receives metadata entries and samples (null: the caller records metadata itself); `begin()` called. */
  meta: MetadataTracker | null;
}

/**
 * Reads every entry of `src` and appends its samples. Never commits or rolls back, never throws for bad
 * input (parse errors come back as `error`).
 */
export function appendScrape(src: ExpositionParser, c: AppendContext): AppendResult {
  const { app, ts, cfg, cache, metrics, meta } = c;
  const iter = cache.iter;
  const honorTs = cfg.honor_timestamps, trackTsStale = cfg.track_timestamps_staleness;
  const sampleLimit = cfg.sample_limit;
  let total = 0, added = 0, seriesAdded = 0;
  let sampleLimitHit = false;
  try {
    for (let e = src.next(); e !== null; e = src.next()) {
      if (e !== "series") {
        meta?.onMeta(e, src);
        continue;
      }
      total++;
      const key = src.seriesKey();
      meta?.onSample(key, src);
      let entry = cache.getRaw(key);
      if (entry === undefined) {
        const r = finalLabels(src.metricName(), src.labels(), c.targetLabels, cfg);
        // Invalid labels and label limits stop the scrape at once (as Prometheus breaks its loop);
        // the sample limit only stops appending, so totals stay exact.
        if (r.error !== undefined) return { total, added, seriesAdded, error: r.error, limit: r.limit };
        entry = cache.addRaw(key, r.labels);
      }
      const s = entry.series;
      if (s === null) continue;
      added++;
      if (sampleLimit > 0 && added > sampleLimit) sampleLimitHit = true;
      if (sampleLimitHit) continue;
      const own = src.timestampMs;
      const explicitTs = honorTs && own !== undefined;
      const first = s.cur !== iter;
      if (first) {
        s.cur = iter;
        s.curTracked = false;
      }
      try {
        s.ref = app.append(s.ref, s.labels, explicitTs ? own : ts, src.value);
        if (first && !cache.inPrevious(s)) seriesAdded++;
      } catch (err) {
        if (err instanceof OutOfOrderSampleError) metrics.inc("prometheus_target_scrapes_sample_out_of_order_total");
        else if (err instanceof DuplicateSampleError) metrics.inc("prometheus_target_scrapes_sample_duplicate_timestamp_total");
        else if (err instanceof OutOfBoundsError || err instanceof TooOldSampleError) metrics.inc("prometheus_target_scrapes_sample_out_of_bounds_total");
        else return { total, added, seriesAdded, error: (err as Error).message };
        // Rejected samples still count as seen so the series is not marked stale.
      }
      if (!explicitTs || trackTsStale) s.curTracked = true;
    }
  } catch (err) {
    return { total, added, seriesAdded, error: (err as Error).message };
  }
  if (sampleLimitHit) return { total, added, seriesAdded, error: ERR_SAMPLE_LIMIT, limit: "sample" };
  return { total, added, seriesAdded };
}
