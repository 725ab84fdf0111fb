/**
 * @module core/scrape/append
 * Turning one scrape's metric families into appended samples, with Prometheus's per-sample rules:
 * target labels attached (honor_labels, or conflicts renamed to `exported_<name>`), metric_relabel_configs
 * applied, label limits checked, sample_limit counted, honor_timestamps respected, and staleness
 * markers written for series of the previous scrape that are gone.
 *
 * Invariant: on any error that fails the scrape (limits, invalid labels, storage failure) the caller
 * rolls the appender back, so nothing of a failed scrape is stored.
 */
import { Labels, LabelsBuilder, METRIC_NAME } from "../model/labels.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import { STALE_NAN } from "../model/value.ts";
import { process as relabel } from "../relabel/relabel.ts";
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError, TooOldSampleError } from "../storage/errors.ts";
import type { Appender, SeriesRef } from "../storage/interface.ts";
import type { ScrapeConfig } from "./config.ts";
import type { ScrapeMetrics } from "./metrics.ts";

/** A series remembered between scrapes (for staleness and refs). */
export interface CachedSeries {
  labels: Labels;
  ref: SeriesRef;
}

/** Series of the last successful scrape keyed by label key. */
export type SeriesCache = Map<string, CachedSeries>;

/** Outcome of {@link appendFamilies}. */
export interface AppendResult {
  /** Samples in the exposition. */
  total: number;
  /** Samples left after metric relabeling. */
  added: number;
  /** Series not present in the previous scrape. */
  seriesAdded: number;
  /** Set when the scrape must fail (the caller rolls back). */
  error?: string;
  /** Which limit failed, for self-metrics. */
  limit?: "sample" | "label";
  /** Series to track for staleness (the new cache), valid only without error. */
  cache: SeriesCache;
}

/** Final labels (null: dropped by relabeling) per exposed series, see {@link rawSeriesKey}. */
export type LabelCache = Map<string, Labels | null>;

/** Identity of a series as exposed: its name and labels in exposition order. */
export function rawSeriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  let k = name;
  for (const n in labels) k += "\xff" + n + "\xff" + labels[n];
  return k;
}

/** Prometheus's error text for sample_limit. */
export const ERR_SAMPLE_LIMIT = "sample limit exceeded";

/** Attaches target labels to a scraped sample's labels (Prometheus's mutateSampleLabels, minus relabeling). */
export function attachTargetLabels(lset: Labels, target: Labels, honor: boolean): Labels {
  const lb = new LabelsBuilder(lset);
  if (honor) {
    target.forEach((n, v) => {
      if (!lset.has(n)) lb.set(n, v);
    });
    return lb.labels();
  }
  const conflicts: Array<[string, string]> = [];
  target.forEach((n, v) => {
    const existing = lset.get(n);
    if (existing !== "") conflicts.push([n, existing]);
    lb.set(n, v);
  });
  conflicts.sort((a, b) => a[0].length - b[0].length);
  for (const [n, v] of conflicts) {
    let name = n;
    for (;;) {
      name = "exported_" + name;
      if (lb.get(name) === "") {
        lb.set(name, v);
        break;
      }
    }
  }
  return lb.labels();
}

const LEGACY_METRIC_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether the metric name and every label name satisfy the legacy (pre-UTF-8) character sets. */
function legacyValid(lset: Labels): boolean {
  let ok = LEGACY_METRIC_RE.test(lset.get(METRIC_NAME));
  lset.forEach((n) => {
    if (ok && !LEGACY_LABEL_RE.test(n)) ok = false;
  });
  return ok;
}

function byteLen(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Prometheus's verifyLabelLimits; returns the error text or undefined. */
export function checkLabelLimits(lset: Labels, cfg: ScrapeConfig): string | undefined {
  const met = lset.get(METRIC_NAME).slice(0, 50);
  if (cfg.label_limit > 0 && lset.size > cfg.label_limit) {
    return `label_limit exceeded (metric: ${met}, number of labels: ${lset.size}, limit: ${cfg.label_limit})`;
  }
  if (cfg.label_name_length_limit === 0 && cfg.label_value_length_limit === 0) return undefined;
  let err: string | undefined;
  lset.forEach((n, v) => {
    if (err) return;
    if (cfg.label_name_length_limit > 0 && byteLen(n) > cfg.label_name_length_limit) {
      err = `label_name_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, length: ${byteLen(n)}, limit: ${cfg.label_name_length_limit})`;
    } else if (cfg.label_value_length_limit > 0 && byteLen(v) > cfg.label_value_length_limit) {
      err = `label_value_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${byteLen(v)}, limit: ${cfg.label_value_length_limit})`;
    }
  });
  return err;
}

/**
 * Appends all samples of `families` scraped at `ts` (ms) for a target with public labels `targetLabels`.
 * Writes staleness markers for series in `prev` missing from this scrape. Never commits or rolls back.
 */
export function appendFamilies(
  app: Appender, families: readonly MetricFamily[], ts: number, targetLabels: Labels, cfg: ScrapeConfig,
  prev: SeriesCache, metrics: ScrapeMetrics, labelCache?: LabelCache,
): AppendResult {
  const cache: SeriesCache = new Map();
  const seen: LabelCache = new Map();
  let total = 0, added = 0, seriesAdded = 0;
  let error: string | undefined;
  let limit: AppendResult["limit"];
  let sampleLimitHit = false;
  outer: for (const fam of families) {
    for (const s of fam.samples) {
      total++;
      // The final labels of a raw series depend only on it, the target and the config, so they are
      // cached per loop by the series as exposed (only series that passed every check are cached).
      const rawKey = labelCache ? rawSeriesKey(s.name, s.labels) : "";
      let lset: Labels | null | undefined = labelCache?.get(rawKey);
      if (lset === undefined) {
        const raw = Labels.from({ ...s.labels, [METRIC_NAME]: s.name });
        lset = attachTargetLabels(raw, targetLabels, cfg.honor_labels);
        if (cfg.metric_relabel_configs.length > 0) lset = relabel(lset, cfg.metric_relabel_configs);
        if (lset !== null && lset.size === 0) lset = null;
        if (lset !== null) {
          // Invalid labels and label limits stop the scrape at once (as Prometheus breaks its loop);
          // the sample limit only stops appending, so totals stay exact.
          if (lset.get(METRIC_NAME) === "" || lset.has("") || (cfg.metric_name_validation_scheme === "legacy" && !legacyValid(lset))) {
            error = `invalid metric name or label names: ${lset.toString()}`;
            break outer;
          }
          const limErr = checkLabelLimits(lset, cfg);
          if (limErr) {
            error = limErr;
            limit = "label";
            break outer;
          }
        }
      }
      if (labelCache) seen.set(rawKey, lset);
      if (lset === null) continue;
      added++;
      if (cfg.sample_limit > 0 && added > cfg.sample_limit) sampleLimitHit = true;
      if (sampleLimitHit) continue;
      const key = lset.key();
      const explicitTs = cfg.honor_timestamps && s.timestampMs !== undefined;
      const t = explicitTs ? s.timestampMs! : ts;
      const old = prev.get(key) ?? cache.get(key);
      try {
        const ref = app.append(old?.ref ?? 0, lset, t, s.value);
        if (!prev.has(key) && !cache.has(key)) seriesAdded++;
        if (!explicitTs || cfg.track_timestamps_staleness) cache.set(key, { labels: lset, ref });
      } catch (e) {
        if (e instanceof OutOfOrderSampleError) metrics.inc("prometheus_target_scrapes_sample_out_of_order_total");
        else if (e instanceof DuplicateSampleError) metrics.inc("prometheus_target_scrapes_sample_duplicate_timestamp_total");
        else if (e instanceof OutOfBoundsError || e instanceof TooOldSampleError) metrics.inc("prometheus_target_scrapes_sample_out_of_bounds_total");
        else {
          error = (e as Error).message;
          break outer;
        }
        // Rejected samples still count as seen so the series is not marked stale.
        if (!explicitTs || cfg.track_timestamps_staleness) cache.set(key, { labels: lset, ref: old?.ref ?? 0 });
      }
    }
  }
  if (!error && sampleLimitHit) {
    error = ERR_SAMPLE_LIMIT;
    limit = "sample";
  }
  if (!error) appendStaleMarkers(app, prev, cache, ts);
  if (labelCache && !error) {
    // Keep only the series of this scrape, so the cache never outgrows the target.
    labelCache.clear();
    for (const [k, v] of seen) labelCache.set(k, v);
  }
  return { total, added, seriesAdded, error, limit, cache };
}

/** Appends a staleness marker at `ts` for every series of `prev` not in `cur`; ignores rejected markers. */
export function appendStaleMarkers(app: Appender, prev: SeriesCache, cur: SeriesCache | null, ts: number): void {
  for (const [key, s] of prev) {
    if (cur?.has(key)) continue;
    try {
      // appendStale keeps the marker's bits on Bun, where a NaN passed as a number loses its payload.
      if (app.appendStale) app.appendStale(s.ref, s.labels, ts);
      else app.append(s.ref, s.labels, ts, STALE_NAN);
    } catch {
      // Out of order or duplicate: a newer sample exists, so no marker is needed.
    }
  }
}
