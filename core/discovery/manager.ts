/**
 * @module core/discovery/manager
 * The discovery manager: runs one provider per distinct discovery config, keeps the latest target
 * groups of each (keyed by source), and tells subscribers the full group list of every job.
 *
 * Invariants:
 * - providers are keyed by kind + config, so identical configs (in one job or across jobs) share one
 *   running discoverer, and a reload keeps unchanged providers running with their groups;
 * - updates are coalesced: the first after a quiet period goes out at once, later ones at most every
 *   `updateIntervalMs` (Prometheus sends every 5s), and every update carries complete group lists;
 * - a provider that throws is logged and stays stopped until the next reload that (re)creates it.
 */
import type { Logger } from "../log/logger.ts";
import type { DiscoveryConfigs } from "./config.ts";
import { dnsDiscoverer, type DNSResolver } from "./dns.ts";
import { fileDiscoverer } from "./file.ts";
import { httpDiscoverer } from "./http.ts";
import { staticDiscoverer } from "./static.ts";
import type { CountFn, Discoverer, DiscovererFactory, DiscoveryCounter, TargetGroup } from "./types.ts";
import type { MetricFamily } from "../model/metric-family.ts";

/** Prometheus's update throttle (discovery manager `updatert`), in ms. */
export const DEFAULT_DISCOVERY_UPDATE_INTERVAL_MS = 5000;

/** Options of {@link DiscoveryManager}. */
export interface DiscoveryManagerOptions {
  logger: Logger;
  /** Directory relative file paths resolve against (the config file's directory). Default cwd. */
  configDir?: string;
  /** Discoverer plugins by name (`<name>_sd_configs`). */
  discoverers?: ReadonlyMap<string, DiscovererFactory>;
  /** Minimum ms between two updates to subscribers. Default {@link DEFAULT_DISCOVERY_UPDATE_INTERVAL_MS}. */
  updateIntervalMs?: number;
  /** Clock in ms. Default Date.now. */
  now?: () => number;
  /** DNS resolver for dns_sd_configs (tests). Default node:dns/promises. */
  dnsResolver?: DNSResolver;
}

/** Full target groups per job name. */
export type TargetSets = Map<string, TargetGroup[]>;

interface Provider {
  key: string;
  name: string;
  jobs: Set<string>;
  groups: Map<string, TargetGroup>;
  abort: AbortController;
  done: Promise<void>;
}

/** Runs discovery for all scrape jobs. */
export class DiscoveryManager {
  readonly #opts: DiscoveryManagerOptions;
  readonly #providers = new Map<string, Provider>();
  readonly #subs = new Set<(sets: TargetSets) => void>();
  #jobs: string[] = [];
  #lastSend = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #counters = new Map<DiscoveryCounter, number>();
  readonly #count: CountFn = (name) => this.#counters.set(name, (this.#counters.get(name) ?? 0) + 1);

  constructor(opts: DiscoveryManagerOptions) {
    this.#opts = opts;
  }

  /** Registers a callback receiving complete target sets after every (coalesced) change. Returns an unsubscribe. */
  subscribe(fn: (sets: TargetSets) => void): () => void {
    this.#subs.add(fn);
    return () => this.#subs.delete(fn);
  }

  /**
   * Applies a new set of jobs. Providers whose config is unchanged keep running; new ones start; ones no
   * job references any more stop. Throws ConfigError when a plugin factory rejects its config.
   */
  async applyConfig(jobs: ReadonlyMap<string, DiscoveryConfigs>): Promise<void> {
    const wanted = new Map<string, { name: string; jobs: Set<string>; make: () => Discoverer | Promise<Discoverer> }>();
    const { logger } = this.#opts;
    const configDir = this.#opts.configDir ?? process.cwd();
    const want = (kind: string, cfg: unknown, job: string, make: () => Discoverer | Promise<Discoverer>) => {
      const key = `${kind}\x00${JSON.stringify(cfg)}`;
      const w = wanted.get(key);
      if (w) w.jobs.add(job);
      else wanted.set(key, { name: kind, jobs: new Set([job]), make });
    };
    for (const [job, c] of jobs) {
      if (c.static_configs.length > 0) want("static", c.static_configs, job, () => staticDiscoverer(c.static_configs));
      const count = this.#count;
      c.file_sd_configs.forEach((f) => want("file", f, job, () => fileDiscoverer(f, { logger, configDir, count })));
      c.http_sd_configs.forEach((h) => want("http", h, job, () => httpDiscoverer(h, { logger, configDir, count })));
      c.dns_sd_configs.forEach((d) => want("dns", d, job, () => dnsDiscoverer(d, { logger, resolver: this.#opts.dnsResolver, count })));
      for (const p of c.plugins) {
        const factory = this.#opts.discoverers?.get(p.name);
        if (!factory) throw new Error(`no discoverer plugin named "${p.name}" is loaded`);
        want(`plugin:${p.name}`, p.config, job, () => factory(p.config, { logger: logger.child({ discovery: p.name }), configDir, now: this.#opts.now ?? Date.now }));
      }
    }
    // Build new discoverers first so a failing plugin config leaves the running state untouched.
    const created = new Map<string, Discoverer>();
    for (const [key, w] of wanted) if (!this.#providers.has(key)) created.set(key, await w.make());
    const stopping: Promise<void>[] = [];
    for (const [key, p] of this.#providers) {
      if (!wanted.has(key)) {
        p.abort.abort();
        stopping.push(p.done);
        this.#providers.delete(key);
      }
    }
    for (const [key, w] of wanted) {
      const existing = this.#providers.get(key);
      if (existing) existing.jobs = w.jobs;
      else this.#start(key, w.name, w.jobs, created.get(key)!);
    }
    this.#jobs = [...jobs.keys()];
    this.#trigger();
    await Promise.all(stopping);
  }

  #start(key: string, name: string, jobs: Set<string>, d: Discoverer): void {
    const abort = new AbortController();
    const p: Provider = { key, name, jobs, groups: new Map(), abort, done: Promise.resolve() };
    const emit = (groups: TargetGroup[]) => {
      if (abort.signal.aborted) return;
      for (const g of groups) {
        if (g.targets.length === 0) p.groups.delete(g.source);
        else p.groups.set(g.source, g);
      }
      this.#trigger();
    };
    p.done = Promise.resolve()
      .then(() => d.run(abort.signal, emit))
      .catch((e) => this.#opts.logger.error("Discoverer failed", { provider: name, err: (e as Error).message }));
    this.#providers.set(key, p);
  }

  /** The current complete target groups of every configured job (jobs without targets map to []). */
  targetSets(): TargetSets {
    const out: TargetSets = new Map(this.#jobs.map((j) => [j, []]));
    for (const p of this.#providers.values()) {
      for (const job of p.jobs) {
        const list = out.get(job);
        if (!list) continue;
        for (const g of p.groups.values()) list.push({ ...g, source: `${p.name}/${g.source}` });
      }
    }
    return out;
  }

  #trigger(): void {
    if (this.#timer || this.#stopped) return;
    const now = (this.#opts.now ?? Date.now)();
    const interval = this.#opts.updateIntervalMs ?? DEFAULT_DISCOVERY_UPDATE_INTERVAL_MS;
    const wait = Math.max(0, this.#lastSend + interval - now);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#lastSend = (this.#opts.now ?? Date.now)();
      const sets = this.targetSets();
      for (const fn of this.#subs) fn(sets);
    }, wait);
  }

  /**
   * Self-metrics as Prometheus names them: prometheus_sd_discovered_targets{config, name="scrape"} and
   * the failure counters of the built-in discoverers.
   */
  collectMetrics(): MetricFamily[] {
    const sets = this.targetSets();
    const out: MetricFamily[] = [{
      name: "prometheus_sd_discovered_targets", type: "gauge", help: "Current number of discovered targets.",
      samples: [...sets].map(([job, groups]) => ({
        name: "prometheus_sd_discovered_targets", labels: { config: job, name: "scrape" },
        value: groups.reduce((n, g) => n + g.targets.length, 0),
      })),
    }];
    const HELP: Record<DiscoveryCounter, string> = {
      prometheus_sd_file_read_errors_total: "The number of File-SD read errors.",
      prometheus_sd_http_failures_total: "Number of HTTP service discovery refresh failures.",
      prometheus_sd_dns_lookup_failures_total: "The number of DNS-SD lookup failures.",
      prometheus_sd_dns_lookups_total: "The number of DNS-SD lookups.",
    };
    for (const name of ["prometheus_sd_file_read_errors_total", "prometheus_sd_http_failures_total", "prometheus_sd_dns_lookup_failures_total", "prometheus_sd_dns_lookups_total"] as const) {
      out.push({ name: name.replace(/_total$/, ""), type: "counter", help: HELP[name], samples: [{ name, labels: {}, value: this.#counters.get(name) ?? 0 }] });
    }
    return out;
  }

  /** Stops every provider and pending update. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const all = [...this.#providers.values()];
    this.#providers.clear();
    for (const p of all) p.abort.abort();
    await Promise.all(all.map((p) => p.done));
  }
}
