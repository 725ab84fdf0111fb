/**
 * @module core/scrape/manager
 * ScrapeManager: owns discovery and one ScrapePool per scrape job. `applyConfig` starts, reloads and
 * stops pools (a pool whose config is unchanged keeps its loops running with no gap); discovery updates
 * are synced into pools. Jobs with `plugin: <id>` scrape an in-process exporter through the same loop;
 * without static_configs or SD they get one target whose __address__ is the plugin id.
 */
import type { Logger } from "../log/logger.ts";
import { DiscoveryManager, type TargetSets } from "../discovery/manager.ts";
import type { DNSResolver } from "../discovery/dns.ts";
import type { DiscoveryConfigs } from "../discovery/config.ts";
import type { DiscovererFactory } from "../discovery/types.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { Appendable } from "../storage/interface.ts";
import type { ScrapeConfig } from "./config.ts";
import { SYSTEM_CLOCK, type Clock, type CollectFn, type ParseFn } from "./loop.ts";
import { ScrapeMetrics } from "./metrics.ts";
import { parseScrapeBody } from "./parse.ts";
import { ScrapePool } from "./pool.ts";
import { Labels } from "../model/labels.ts";
import type { Target } from "./target.ts";

/** Options of {@link ScrapeManager}. */
export interface ScrapeManagerOptions {
  /** Where scraped samples go. */
  appendable: Appendable;
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Resolves a plugin instance id to its collect function (exporter plugins). */
  inProcess?: (pluginId: string) => CollectFn | undefined;
  /** Discoverer plugins by name, enabling `<name>_sd_configs`. */
  discoverers?: ReadonlyMap<string, DiscovererFactory>;
  /** Directory relative paths in scrape configs resolve against. Default cwd. */
  configDir?: string;
  /** Body parser; default {@link parseScrapeBody}. */
  parse?: ParseFn;
  /** Write scrape_timeout_seconds, scrape_sample_limit, scrape_body_size_bytes. Default false. */
  extraScrapeMetrics?: boolean;
  /** Discovery update throttle in ms (default 5000, as Prometheus). */
  discoveryUpdateIntervalMs?: number;
  /** Seed mixed into target offsets (Prometheus hashes external labels). Default 0. */
  offsetSeed?: number;
  /** DNS resolver for dns_sd_configs (tests). */
  dnsResolver?: DNSResolver;
}

/** Stable JSON of a config for change detection (compiled regexes are represented by their source). */
function configKey(c: ScrapeConfig): string {
  return JSON.stringify(c, (k, v) => (k === "compiled" ? undefined : v));
}

/** Runs all scrape jobs. */
export class ScrapeManager {
  /** Self-metrics (render with `metrics.collect()`). */
  readonly metrics = new ScrapeMetrics();
  /** The discovery manager feeding the pools. */
  readonly discovery: DiscoveryManager;
  readonly #o: ScrapeManagerOptions;
  readonly #pools = new Map<string, { pool: ScrapePool; key: string }>();
  readonly #shutdown = new AbortController();
  #lastSets: TargetSets = new Map();

  constructor(o: ScrapeManagerOptions) {
    this.#o = o;
    this.discovery = new DiscoveryManager({
      logger: o.logger.child({ component: "discovery manager scrape" }), configDir: o.configDir, discoverers: o.discoverers,
      updateIntervalMs: o.discoveryUpdateIntervalMs, now: o.clock ? () => o.clock!.now() : undefined, dnsResolver: o.dnsResolver,
    });
    this.discovery.subscribe((sets) => this.#sync(sets));
    this.metrics.addCollector(() => this.discovery.collectMetrics());
  }

  #collectFor(cfg: ScrapeConfig): CollectFn | undefined {
    if (cfg.plugin === undefined) return undefined;
    const fn = this.#o.inProcess?.(cfg.plugin);
    if (fn) return fn;
    const id = cfg.plugin;
    return () => Promise.reject(new Error(`exporter plugin instance "${id}" is not running`));
  }

  /**
   * Applies the scrape_configs list: new jobs get pools, removed jobs stop (their series get staleness
   * markers), changed jobs reload, unchanged jobs keep running untouched; then discovery is reconfigured.
   */
  async applyConfig(configs: readonly ScrapeConfig[]): Promise<void> {
    const wanted = new Map(configs.map((c) => [c.job_name, c] as const));
    const stops: Promise<void>[] = [];
    for (const [job, p] of this.#pools) {
      if (!wanted.has(job)) {
        this.#pools.delete(job);
        stops.push(p.pool.stop(true));
      }
    }
    const deps = {
      appendable: this.#o.appendable, logger: this.#o.logger.child({ component: "scrape manager" }),
      clock: this.#o.clock ?? SYSTEM_CLOCK, metrics: this.metrics, parse: this.#o.parse ?? parseScrapeBody,
      configDir: this.#o.configDir ?? process.cwd(), extraScrapeMetrics: this.#o.extraScrapeMetrics ?? false,
      offsetSeed: this.#o.offsetSeed ?? 0, shutdown: this.#shutdown.signal,
    };
    for (const [job, cfg] of wanted) {
      const key = configKey(cfg);
      const existing = this.#pools.get(job);
      if (existing && existing.key === key) continue;
      if (existing) {
        existing.key = key;
        stops.push(existing.pool.reload(cfg, this.#collectFor(cfg)));
        continue;
      }
      this.metrics.inc("prometheus_target_scrape_pools_total");
      const pool = new ScrapePool(cfg, { ...deps, collect: this.#collectFor(cfg) });
      this.#pools.set(job, { pool, key });
      const sets = this.#lastSets.get(job);
      if (sets) pool.sync(sets);
    }
    const sd = new Map<string, DiscoveryConfigs>();
    for (const [job, cfg] of wanted) sd.set(job, discoveryFor(cfg));
    await this.discovery.applyConfig(sd);
    await Promise.all(stops);
  }

  #sync(sets: TargetSets): void {
    this.#lastSets = sets;
    for (const [job, groups] of sets) this.#pools.get(job)?.pool.sync(groups);
  }

  /** The pools in job-name order. */
  pools(): ScrapePool[] {
    return [...this.#pools.values()].map((p) => p.pool).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The pool of a job, if configured. */
  pool(job: string): ScrapePool | undefined {
    return this.#pools.get(job)?.pool;
  }

  /**
   * Active targets by pool (job name), as Prometheus's TargetRetriever.TargetsActive; with
   * `targetsDropped`, `droppedTargetCounts` and `scrapePools` the manager satisfies core/api's
   * TargetRetriever interface directly. The JSON of /api/v1/targets, /targets/metadata, /scrape_pools
   * and /metadata is shaped by core/api/v1/targets.ts from these methods (and each Target's metadata).
   */
  targetsActive(): Map<string, Target[]> {
    return new Map(this.pools().map((p) => [p.name, p.activeTargets()]));
  }

  /** Targets dropped by relabeling (kept up to keep_dropped_targets) by pool. */
  targetsDropped(): Map<string, Array<{ discoveredLabels: Labels }>> {
    return new Map(this.pools().map((p) => [p.name, p.droppedTargets().map((d) => ({ discoveredLabels: Labels.from(d.discoveredLabels) }))]));
  }

  /** Number of dropped targets by pool, including those not kept. */
  droppedTargetCounts(): Map<string, number> {
    return new Map(this.pools().map((p) => [p.name, p.droppedTargetsCount]));
  }

  /** Configured scrape pool names, sorted. */
  scrapePools(): string[] {
    return this.pools().map((p) => p.name);
  }

  /** Stops discovery and every loop without writing staleness markers (shutdown). */
  async stop(): Promise<void> {
    this.#shutdown.abort();
    await this.discovery.stop();
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.pool.stop(false)));
  }
}

/** The discovery configs of a job, adding the implicit plugin target when a plugin job has none. */
export function discoveryFor(cfg: ScrapeConfig): DiscoveryConfigs {
  const d = cfg.discovery;
  const none = d.static_configs.length + d.file_sd_configs.length + d.http_sd_configs.length + d.dns_sd_configs.length + d.plugins.length === 0;
  if (cfg.plugin !== undefined && none) return { ...d, static_configs: [{ targets: [cfg.plugin], labels: {} }] };
  return d;
}
