/**
 * @module core/scrape/metrics
 * The scrape manager's self-metrics, named as Prometheus names them (scrape/metrics.go), kept as plain
 * numbers and rendered on demand as MetricFamily values the server's /metrics can include. One instance
 * per manager; no global registry.
 */
import type { MetricFamily } from "../model/metric-family.ts";

const COUNTERS = {
  prometheus_target_scrapes_exceeded_sample_limit_total: "Total number of scrapes that hit the sample limit and were rejected.",
  prometheus_target_scrapes_exceeded_body_size_limit_total: "Total number of scrapes that hit the body size limit",
  prometheus_target_scrape_pool_exceeded_label_limits_total: "Total number of times scrape pools hit the label limits, during sync or config reload.",
  prometheus_target_scrape_pool_exceeded_target_limit_total: "Total number of times scrape pools hit the target limit, during sync or config reload.",
  prometheus_target_scrapes_sample_out_of_order_total: "Total number of samples rejected due to not being out of the expected order.",
  prometheus_target_scrapes_sample_duplicate_timestamp_total: "Total number of samples rejected due to duplicate timestamps but different values.",
  prometheus_target_scrapes_sample_out_of_bounds_total: "Total number of samples rejected due to timestamp falling out of the time bounds.",
  prometheus_target_scrape_pool_reloads_total: "Total number of scrape pool reloads.",
  prometheus_target_scrape_pool_reloads_failed_total: "Total number of failed scrape pool reloads.",
  prometheus_target_scrape_pools_total: "Total number of scrape pool creation attempts.",
  prometheus_target_scrape_pools_failed_total: "Total number of scrape pool creations that failed.",
  prometheus_target_scrape_pool_sync_total: "Total number of syncs that were executed on a scrape pool.",
} as const;

/** Names of the scrape counters. */
export type ScrapeCounter = keyof typeof COUNTERS;

/** Scrape self-metrics. */
export class ScrapeMetrics {
  readonly #counters = new Map<string, number>();
  /** prometheus_target_interval_length_seconds observations per configured interval (sum and count, seconds). */
  readonly #intervals = new Map<string, { sum: number; count: number }>();
  /** Pools by job name for the per-pool sync counter. */
  readonly #poolSyncs = new Map<string, number>();
  readonly #poolTargets = new Map<string, number>();
  readonly #extra: Array<() => MetricFamily[]> = [];

  /** Adds families rendered with these (the scrape manager adds discovery's). */
  addCollector(fn: () => MetricFamily[]): void {
    this.#extra.push(fn);
  }

  /** Adds `n` (default 1) to a counter. */
  inc(name: ScrapeCounter, n = 1): void {
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + n);
  }

  /** The current value of a counter. */
  get(name: ScrapeCounter): number {
    return this.#counters.get(name) ?? 0;
  }

  /** Records the actual time between two scrapes of a target (seconds) for its configured interval. */
  observeInterval(interval: string, seconds: number): void {
    const s = this.#intervals.get(interval) ?? { sum: 0, count: 0 };
    s.sum += seconds;
    s.count++;
    this.#intervals.set(interval, s);
  }

  /** Counts a sync of `pool`. */
  poolSynced(pool: string, targets: number): void {
    this.#poolSyncs.set(pool, (this.#poolSyncs.get(pool) ?? 0) + 1);
    this.#poolTargets.set(pool, targets);
  }

  /** Forgets a removed pool's per-pool series. */
  poolRemoved(pool: string): void {
    this.#poolSyncs.delete(pool);
    this.#poolTargets.delete(pool);
  }

  /** Renders all self-metrics. */
  collect(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const [name, help] of Object.entries(COUNTERS)) {
      if (name === "prometheus_target_scrape_pool_sync_total") continue;
      out.push({ name: name.replace(/_total$/, ""), type: "counter", help, samples: [{ name, labels: {}, value: this.#counters.get(name) ?? 0 }] });
    }
    out.push({
      name: "prometheus_target_scrape_pool_sync", type: "counter", help: COUNTERS.prometheus_target_scrape_pool_sync_total,
      samples: [...this.#poolSyncs].map(([p, v]) => ({ name: "prometheus_target_scrape_pool_sync_total", labels: { scrape_job: p }, value: v })),
    });
    out.push({
      name: "prometheus_target_scrape_pool_targets", type: "gauge", help: "Current number of targets in this scrape pool.",
      samples: [...this.#poolTargets].map(([p, v]) => ({ name: "prometheus_target_scrape_pool_targets", labels: { scrape_job: p }, value: v })),
    });
    const iv: MetricFamily = {
      name: "prometheus_target_interval_length_seconds", type: "summary", help: "Actual intervals between scrapes.", samples: [],
    };
    for (const [interval, s] of this.#intervals) {
      iv.samples.push({ name: "prometheus_target_interval_length_seconds_sum", labels: { interval }, value: s.sum });
      iv.samples.push({ name: "prometheus_target_interval_length_seconds_count", labels: { interval }, value: s.count });
    }
    out.push(iv);
    for (const fn of this.#extra) out.push(...fn());
    return out;
  }
}
