/**
 * @module core/scrape/loop
 * ScrapeLoop: scrapes one target on its own timer and writes its samples, staleness markers and the
 * synthetic series (up, scrape_duration_seconds, scrape_samples_scraped,
 * scrape_samples_post_metric_relabeling, scrape_series_added; plus scrape_timeout_seconds,
 * scrape_sample_limit and scrape_body_size_bytes when extra scrape metrics are enabled).
 *
 * Invariants:
 * - the first scrape waits a stable per-target offset within the interval, then ticks every interval,
 *   skipping ticks missed while a scrape ran late; each loop is an independent async chain, so a slow
 *   target never delays another;
 * - scrape_duration_seconds covers the request and reading the body, not parsing and appending (the
 *   parser is lazy and runs during the append), as in Prometheus;
 * - a scrape is committed as one batch; a failed scrape (error, timeout, any limit) stores no scraped
 *   sample, writes staleness markers for every series of the previous scrape, and reports up=0;
 * - stopping a loop for a vanished target writes staleness markers (scraped and synthetic series) at the
 *   time of the next scheduled scrape, as Prometheus does; stopping for shutdown or reload does not.
 */
import type { Logger } from "../log/logger.ts";
import { Labels, METRIC_NAME } from "../model/labels.ts";
import { OpenMetricsParser, type ExpositionParser } from "../exposition/index.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { Appendable, Appender } from "../storage/interface.ts";
import { appendScrape } from "./append.ts";
import { appendStaleMarkers, CACHE_EVICT_AFTER, ScrapeCache, type SeriesCache } from "./cache.ts";
import type { ScrapeConfig } from "./config.ts";
import { ScrapeError, scrapeHTTP } from "./http-client.ts";
import { MetadataTracker, type ScrapedMetadata } from "./metadata.ts";
import type { ScrapeMetrics } from "./metrics.ts";
import { familiesSource } from "./parse.ts";
import type { Target } from "./target.ts";

/** Time source and timer; tests inject a fake one. */
export interface Clock {
  /** ms since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  }),
};

/** Collects metric families in-process (exporter plugins). Must honour the signal. */
/** An in-process collect; `params` are the target URL's query parameters (config `params` and `__param_*`). */
export type CollectFn = (signal: AbortSignal, params?: URLSearchParams) => Promise<MetricFamily[]> | MetricFamily[];

/**
 * Creates the pull parser for a scrape body given its Content-Type (default: parse.ts parseScrapeBody);
 * throws with a message for the targets API when the body cannot be parsed at all.
 */
export type ParseFn = (text: string, contentType: string, cfg: ScrapeConfig) => ExpositionParser;

/** Prometheus's tolerance for aligning scrape timestamps to the schedule, in ms. */
export const SCRAPE_TIMESTAMP_TOLERANCE_MS = 2;

const REPORT_NAMES = [
  "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
] as const;
const EXTRA_REPORT_NAMES = ["scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes"] as const;

/** Options of {@link ScrapeLoop}. */
export interface ScrapeLoopOptions {
  target: Target;
  config: ScrapeConfig;
  appendable: Appendable;
  logger: Logger;
  clock: Clock;
  metrics: ScrapeMetrics;
  parse: ParseFn;
  /** Directory for relative credential/TLS file paths. */
  configDir: string;
  /** When set, scrape in-process through this function instead of HTTP. */
  collect?: CollectFn;
  /** Series of a previous loop for the same target (kept across reloads for staleness). */
  cache?: SeriesCache;
  /** Write scrape_timeout_seconds, scrape_sample_limit and scrape_body_size_bytes (Prometheus's extra-scrape-metrics). */
  extraScrapeMetrics?: boolean;
  /** Mixed into the offset hash (Prometheus uses the external labels / hostname). */
  offsetSeed?: number;
  /** Called after every scrape (tests, API freshness). */
  onScrape?: () => void;
}

/** Scrapes one target periodically. */
export class ScrapeLoop {
  readonly target: Target;
  readonly #o: ScrapeLoopOptions;
  /** Exposed series → final series and the staleness set; valid for this loop's target and config only. */
  #cache: ScrapeCache;
  /** Metadata families across scrapes (HTTP targets; in-process families carry their metadata). */
  readonly #meta = new MetadataTracker();
  #abort = new AbortController();
  #running: Promise<void> | undefined;
  #nextScheduled = 0;
  #lastStart = 0;
  /** When set, every scrape fails with this error (target_limit exceeded). */
  forcedError: string | undefined;

  constructor(o: ScrapeLoopOptions) {
    this.#o = o;
    this.target = o.target;
    this.#cache = new ScrapeCache(o.cache);
  }

  /** The series of the last successful scrape (handed to a replacement loop on reload). */
  get cache(): SeriesCache {
    return this.#cache.staleSet();
  }

  /** Starts the timer. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    const { clock } = this.#o;
    const interval = this.target.intervalMs;
    const signal = this.#abort.signal;
    const offset = this.target.offset(interval, clock.now(), this.#o.offsetSeed);
    this.#nextScheduled = clock.now() + offset;
    await clock.sleep(offset, signal);
    while (!signal.aborted) {
      const scheduled = this.#nextScheduled;
      await this.scrapeOnce(scheduled);
      this.#nextScheduled += interval;
      const now = clock.now();
      while (this.#nextScheduled <= now) this.#nextScheduled += interval;
      await clock.sleep(this.#nextScheduled - now, signal);
    }
  }

  /**
   * Scrapes once and writes the result. `scheduledMs` is when the scrape was due; the sample timestamp
   * is aligned to it when the actual start is within the tolerance. Never throws.
   */
  async scrapeOnce(scheduledMs?: number): Promise<void> {
    const { clock, config: cfg, logger, metrics } = this.#o;
    const t = this.target;
    const start = clock.now();
    const ts = scheduledMs !== undefined && Math.abs(start - scheduledMs) <= SCRAPE_TIMESTAMP_TOLERANCE_MS ? scheduledMs : start;
    if (this.#lastStart > 0) metrics.observeInterval(t.labels.get("__scrape_interval__"), (start - this.#lastStart) / 1000);
    this.#lastStart = start;

    let families: MetricFamily[] | undefined;
    let src: ExpositionParser | undefined;
    let scrapeErr: string | undefined = this.forcedError;
    let bodyBytes = 0;
    if (!scrapeErr) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), t.timeoutMs);
      const onStop = () => ctl.abort();
      this.#abort.signal.addEventListener("abort", onStop, { once: true });
      try {
        if (this.#o.collect) {
          const got = await withDeadline(Promise.resolve().then(() => this.#o.collect!(ctl.signal, new URL(t.url).searchParams)), ctl.signal, t.url);
          families = got;
          src = familiesSource(got);
        } else {
          const res = await scrapeHTTP(t.url, cfg, t.timeoutMs, this.#o.configDir, ctl.signal);
          bodyBytes = res.bodyBytes;
          src = res.text.length === 0 ? familiesSource([]) : this.#o.parse(res.text, res.contentType, cfg);
        }
      } catch (e) {
        scrapeErr = (e as Error).message;
        if (e instanceof ScrapeError && e.kind === "body_size_limit") metrics.inc("prometheus_target_scrapes_exceeded_body_size_limit_total");
      } finally {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener("abort", onStop);
      }
    }
    const durationSec = (clock.now() - start) / 1000;
    if (this.#abort.signal.aborted && scrapeErr) return; // stopped mid-scrape: write nothing

    let app = this.#o.appendable.appender();
    let total = 0, added = 0, seriesAdded = 0;
    if (src && !scrapeErr) {
      this.#cache.begin();
      const meta = families ? null : this.#meta;
      meta?.begin(src instanceof OpenMetricsParser);
      const r = appendScrape(src, { app, ts, targetLabels: t.publicLabels(), cfg, cache: this.#cache, metrics, meta });
      total = r.total;
      added = r.added;
      seriesAdded = r.seriesAdded;
      if (r.error) {
        scrapeErr = r.error;
        if (r.limit === "sample") metrics.inc("prometheus_target_scrapes_exceeded_sample_limit_total");
        if (r.limit === "label") metrics.inc("prometheus_target_scrape_pool_exceeded_label_limits_total");
        app.rollback();
        app = this.#o.appendable.appender();
      } else {
        this.#cache.commitScrape(app, ts);
        const md = meta ? meta.end(CACHE_EVICT_AFTER) : metadataOf(families!);
        if (md) this.#recordMetadata(md);
      }
    }
    if (scrapeErr) this.#cache.failScrape(app, ts);
    this.#report(app, ts, scrapeErr === undefined ? 1 : 0, durationSec, total, added, seriesAdded, bodyBytes);
    try {
      await app.commit();
    } catch (e) {
      app.rollback();
      scrapeErr ??= (e as Error).message;
      logger.error("Scrape commit failed", { target: t.url, err: (e as Error).message });
    }
    t.health = scrapeErr === undefined ? "up" : "down";
    t.lastError = scrapeErr ?? "";
    t.lastScrape = start;
    t.lastScrapeDuration = durationSec;
    if (scrapeErr) logger.debug("Scrape failed", { target: t.url, err: scrapeErr });
    this.#o.onScrape?.();
  }

  #recordMetadata(scraped: ReadonlyMap<string, ScrapedMetadata>): void {
    const md = this.target.metadata;
    md.clear();
    for (const [name, m] of scraped) md.set(name, m);
  }

  #reportLabels(name: string): Labels {
    const b = this.target.publicLabels().builder();
    b.set(METRIC_NAME, name);
    return b.labels();
  }

  #report(app: Appender, ts: number, up: number, dur: number, total: number, added: number, seriesAdded: number, bodyBytes: number): void {
    const cfg = this.#o.config;
    const values: Array<[string, number]> = [
      ["up", up], ["scrape_duration_seconds", dur], ["scrape_samples_scraped", total],
      ["scrape_samples_post_metric_relabeling", added], ["scrape_series_added", seriesAdded],
    ];
    if (this.#o.extraScrapeMetrics) {
      values.push(["scrape_timeout_seconds", this.target.timeoutMs / 1000], ["scrape_sample_limit", cfg.sample_limit], ["scrape_body_size_bytes", bodyBytes]);
    }
    for (const [name, v] of values) {
      try {
        app.append(0, this.#reportLabels(name), ts, v);
      } catch (e) {
        this.#o.logger.debug("Report sample rejected", { name, err: (e as Error).message });
      }
    }
  }

  /**
   * Stops the loop. With `staleness`, waits for the next scheduled scrape time, then one more interval
   * (so a replacement elsewhere has written first), and writes staleness markers at the first of those
   * times for all series and synthetic series. Resolves when that is done (or immediately without).
   * `shutdown` aborts such a pending wait.
   */
  async stop(opts: { staleness: boolean; shutdown?: AbortSignal }): Promise<void> {
    this.#abort.abort();
    await this.#running;
    if (!opts.staleness || this.#lastStart === 0) return; // never scraped: nothing to mark
    const sig = opts.shutdown ?? new AbortController().signal;
    const { clock } = this.#o;
    const staleTime = Math.max(this.#nextScheduled, clock.now());
    await clock.sleep(staleTime - clock.now(), sig);
    if (sig.aborted) return;
    await clock.sleep(this.target.intervalMs, sig);
    if (sig.aborted) return;
    const app = this.#o.appendable.appender();
    this.#cache.failScrape(app, staleTime);
    const names = this.#o.extraScrapeMetrics ? [...REPORT_NAMES, ...EXTRA_REPORT_NAMES] : REPORT_NAMES;
    const report = new Map(names.map((n) => {
      const l = this.#reportLabels(n);
      return [l.key(), { labels: l, ref: 0 }] as const;
    }));
    appendStaleMarkers(app, report, staleTime);
    try {
      await app.commit();
    } catch (e) {
      this.#o.logger.error("Writing staleness markers failed", { target: this.target.url, err: (e as Error).message });
    }
  }
}

/** Rejects with a deadline error when `signal` aborts first (in-process collectors that ignore it). */
function withDeadline<T>(p: Promise<T>, signal: AbortSignal, url: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ScrapeError(`Get ${JSON.stringify(url)}: context deadline exceeded`, "timeout"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The metadata of in-process metric families (they carry it directly). */
function metadataOf(families: readonly MetricFamily[]): Map<string, ScrapedMetadata> {
  const out = new Map<string, ScrapedMetadata>();
  for (const f of families) {
    const type = f.type === "untyped" ? "unknown" : f.type;
    if (type === "unknown" && !f.help && !f.unit) continue;
    out.set(f.name, { type, help: f.help ?? "", unit: f.unit ?? "" });
  }
  return out;
}
