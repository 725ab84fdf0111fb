/**
 * @module core/scrape/pool
 * ScrapePool: the targets and loops of one scrape job. `sync` turns discovered groups into targets
 * (deduplicated by labels + URL), starts loops for new targets and stops vanished ones with staleness
 * markers; `reload` applies a changed config by replacing every loop (handing over its series cache so
 * staleness tracking has no gap). Dropped targets are kept for the API (keep_dropped_targets bounds
 * them; 0 keeps all). target_limit failing makes every scrape of the pool fail, as in Prometheus.
 */
import type { TargetGroup } from "../model/target-group.ts";
import type { ScrapeConfig } from "./config.ts";
import type { SeriesCache } from "./cache.ts";
import { ScrapeLoop, type CollectFn, type ScrapeLoopOptions } from "./loop.ts";
import { populateLabels, Target } from "./target.ts";

/**
 * Dependencies of a pool (shared by all pools of a manager), passed on to each loop. `collect` is the
 * in-process collect function of a plugin job, or undefined when not available.
 */
export interface ScrapePoolDeps extends Pick<ScrapeLoopOptions, "appendable" | "logger" | "clock" | "metrics" | "parse" | "configDir" | "collect"> {
  extraScrapeMetrics: boolean;
  offsetSeed: number;
  /** Aborted on manager shutdown: pending end-of-run staleness writes are abandoned. */
  shutdown: AbortSignal;
}

/** A target relabeling dropped (or that failed label population). */
export interface DroppedTarget {
  /** Labels before relabeling, as a plain object. */
  discoveredLabels: Record<string, string>;
}

/** The targets and loops of one job. */
export class ScrapePool {
  config: ScrapeConfig;
  readonly #d: ScrapePoolDeps;
  readonly #loops = new Map<string, ScrapeLoop>();
  #dropped: DroppedTarget[] = [];
  #droppedCount = 0;
  #lastGroups: TargetGroup[] = [];
  readonly #pendingStops = new Set<Promise<void>>();

  constructor(config: ScrapeConfig, deps: ScrapePoolDeps) {
    this.config = config;
    this.#d = deps;
  }

  /** The pool's name (the job name). */
  get name(): string {
    return this.config.job_name;
  }

  /** Active targets in a stable order (by labels). */
  activeTargets(): Target[] {
    return [...this.#loops.values()].map((l) => l.target).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  }

  /** Targets dropped by relabeling in the last sync. */
  droppedTargets(): DroppedTarget[] {
    return this.#dropped;
  }

  /** Number of targets dropped in the last sync (even those not kept). */
  get droppedTargetsCount(): number {
    return this.#droppedCount;
  }

  /** The loops, for tests and in-process triggering. */
  loops(): ScrapeLoop[] {
    return [...this.#loops.values()];
  }

  /** Replaces the pool's targets with those of `groups` (the full current list for this job). */
  sync(groups: readonly TargetGroup[]): void {
    this.#lastGroups = [...groups];
    const { wanted, dropped, droppedCount } = this.#targetsFrom(groups);
    this.#dropped = dropped;
    this.#droppedCount = droppedCount;
    for (const [hash, loop] of this.#loops) {
      if (wanted.has(hash)) continue;
      this.#loops.delete(hash);
      this.#track(loop.stop({ staleness: true, shutdown: this.#d.shutdown }));
    }
    for (const [hash, t] of wanted) {
      if (this.#loops.has(hash)) continue;
      const loop = this.#newLoop(t);
      this.#loops.set(hash, loop);
      loop.start();
    }
    this.#applyTargetLimit();
    this.#d.metrics.poolSynced(this.name, this.#loops.size);
  }

  /** Builds targets from groups with the current config (PopulateLabels per discovered target). */
  #targetsFrom(groups: readonly TargetGroup[]): { wanted: Map<string, Target>; dropped: DroppedTarget[]; droppedCount: number } {
    const cfg = this.config;
    const wanted = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    let droppedCount = 0;
    for (const g of groups) {
      for (const tl of g.targets) {
        const r = populateLabels(cfg, tl, g.labels);
        if (r.error) {
          // As in Prometheus, a target that fails label population is neither active nor dropped.
          this.#d.logger.error("Creating target failed", { scrape_pool: this.name, err: r.error });
          continue;
        }
        if (!r.labels) {
          droppedCount++;
          if (cfg.keep_dropped_targets === 0 || dropped.length < cfg.keep_dropped_targets) dropped.push({ discoveredLabels: r.discovered.toObject() });
          continue;
        }
        const t = new Target(r.labels, r.discovered, cfg.params);
        if (!wanted.has(t.hash)) wanted.set(t.hash, t);
      }
    }
    return { wanted, dropped, droppedCount };
  }

  #applyTargetLimit(): void {
    const limit = this.config.target_limit;
    const n = this.#loops.size;
    const err = limit > 0 && n > limit ? `target_limit exceeded (number of targets: ${n}, limit: ${limit})` : undefined;
    if (err) this.#d.metrics.inc("prometheus_target_scrape_pool_exceeded_target_limit_total");
    for (const l of this.#loops.values()) l.forcedError = err;
  }

  #newLoop(t: Target, cache?: SeriesCache): ScrapeLoop {
    const d = this.#d;
    return new ScrapeLoop({
      target: t, config: this.config, appendable: d.appendable, logger: d.logger.child({ scrape_pool: this.name, target: t.url }),
      clock: d.clock, metrics: d.metrics, parse: d.parse, configDir: d.configDir, collect: d.collect, cache,
      extraScrapeMetrics: d.extraScrapeMetrics, offsetSeed: d.offsetSeed,
    });
  }

  #track(p: Promise<void>): void {
    const q = p.catch((e) => this.#d.logger.error("Stopping scrape loop failed", { err: (e as Error).message })).finally(() => this.#pendingStops.delete(q));
    this.#pendingStops.add(q);
  }

  /**
   * Applies a changed config: every loop is replaced by one built from the new config, inheriting its
   * series cache; targets are recomputed from the last discovered groups. Resolves when old loops stopped.
   */
  async reload(config: ScrapeConfig, collect?: CollectFn): Promise<void> {
    this.config = config;
    this.#d.collect = collect;
    const old = new Map(this.#loops);
    this.#loops.clear();
    const { wanted, dropped, droppedCount } = this.#targetsFrom(this.#lastGroups);
    // Loops of targets that still exist stop without markers and hand their series cache over.
    await Promise.all([...old].filter(([h]) => wanted.has(h)).map(([, l]) => l.stop({ staleness: false })));
    for (const [h, l] of old) if (!wanted.has(h)) this.#track(l.stop({ staleness: true, shutdown: this.#d.shutdown }));
    for (const [h, t] of wanted) {
      const loop = this.#newLoop(t, old.get(h)?.cache);
      this.#loops.set(h, loop);
      loop.start();
    }
    this.#dropped = dropped;
    this.#droppedCount = droppedCount;
    this.#applyTargetLimit();
    this.#d.metrics.inc("prometheus_target_scrape_pool_reloads_total");
  }

  /**
   * Stops all loops. With `staleness` (the job was removed from the config) vanished series get
   * staleness markers as for removed targets; on shutdown they do not.
   */
  async stop(staleness: boolean): Promise<void> {
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    await Promise.all([...loops.map((l) => l.stop({ staleness, shutdown: this.#d.shutdown })), ...this.#pendingStops]);
    this.#d.metrics.poolRemoved(this.name);
  }
}
