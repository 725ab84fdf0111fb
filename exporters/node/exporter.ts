/**
 * @module exporters/node/exporter
 * Runs the enabled collectors concurrently, each under its own timeout (an AbortSignal that abandons its
 * reads), and adds node_scrape_collector_duration_seconds / node_scrape_collector_success per collector,
 * as node_exporter's execute() does. A failing or stuck collector reports success 0 and is logged; the
 * others still export, and the scrape answers within the timeout.
 *
 * Output: families merged by name, sorted by name, samples sorted by label set (client_golang's order),
 * so output is deterministic and diffable against node_exporter's.
 */
import { join } from "node:path";
import type { Logger } from "../../core/log/logger.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { type CollectorContext, type CollectorFlags, NoDataError, type NodeCollector } from "./collector.ts";
import { COLLECTORS } from "./registry.ts";

/** Default per-collector timeout in ms. */
export const DEFAULT_COLLECTOR_TIMEOUT_MS = 5_000;

/** Options of {@link NodeExporter}. */
export interface NodeExporterOptions {
  /** --path.procfs (default /proc). */
  procfs?: string;
  /** --path.sysfs (default /sys). */
  sysfs?: string;
  /** --path.rootfs (default /). */
  rootfs?: string;
  /** Collector names to run. */
  enabled: readonly string[];
  /** Collector option flags (`collector.textfile.directory` → values). */
  flags?: CollectorFlags;
  logger: Logger;
  /** Per-collector timeout in ms. */
  timeoutMs?: number;
  /** Clock in ms since the epoch. */
  now?: () => number;
}

/** The node exporter as a library: `collect(signal)` is one scrape. */
export class NodeExporter {
  private readonly collectors: [string, NodeCollector][];
  private readonly opts: Required<Omit<NodeExporterOptions, "flags" | "enabled">> & { flags: CollectorFlags };

  constructor(opts: NodeExporterOptions) {
    this.collectors = opts.enabled.map((name) => {
      const e = COLLECTORS.get(name);
      if (!e) throw new Error(`unknown collector ${JSON.stringify(name)}`);
      return [name, e.factory()];
    });
    this.opts = {
      procfs: opts.procfs ?? "/proc",
      sysfs: opts.sysfs ?? "/sys",
      rootfs: opts.rootfs ?? "/",
      flags: opts.flags ?? new Map(),
      logger: opts.logger,
      timeoutMs: opts.timeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS,
      now: opts.now ?? Date.now,
    };
  }

  /** Names of the collectors this instance runs. */
  get collectorNames(): string[] {
    return this.collectors.map(([n]) => n);
  }

  /** One scrape: every collector's families plus the per-collector scrape metrics. Never throws for a collector failure. */
  async collect(signal?: AbortSignal): Promise<MetricFamily[]> {
    const results = await Promise.all(this.collectors.map(([name, c]) => this.run(name, c, signal)));
    const byName = new Map<string, MetricFamily>();
    const duration: MetricFamily = { name: "node_scrape_collector_duration_seconds", type: "gauge", help: "node_exporter: Duration of a collector scrape.", samples: [] };
    const success: MetricFamily = { name: "node_scrape_collector_success", type: "gauge", help: "node_exporter: Whether a collector succeeded.", samples: [] };
    for (const r of results) {
      duration.samples.push({ name: duration.name, labels: { collector: r.name }, value: r.seconds });
      success.samples.push({ name: success.name, labels: { collector: r.name }, value: r.ok ? 1 : 0 });
      for (const f of r.families) {
        const prev = byName.get(f.name);
        if (prev) prev.samples.push(...f.samples);
        else byName.set(f.name, { ...f, samples: [...f.samples] });
      }
    }
    byName.set(duration.name, duration);
    byName.set(success.name, success);
    const out = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const f of out) {
      // Label names in sorted order, as client_golang writes them.
      for (const smp of f.samples) smp.labels = sortedLabels(smp.labels);
      // Histograms and summaries keep each series' bucket/quantile order; series are ordered by labels.
      if (f.type === "histogram" || f.type === "summary") f.samples.sort(compareSeriesIgnoringBuckets);
      else f.samples.sort(compareSamples);
    }
    return out;
  }

  private async run(name: string, c: NodeCollector, outer?: AbortSignal) {
    const ac = new AbortController();
    const onOuter = () => ac.abort(outer?.reason);
    outer?.addEventListener("abort", onOuter, { once: true });
    const timer = setTimeout(() => ac.abort(new Error(`collector ${name} timed out after ${this.opts.timeoutMs}ms`)), this.opts.timeoutMs);
    const o = this.opts;
    const ctx: CollectorContext = {
      proc: (...p) => join(o.procfs, ...p),
      sys: (...p) => join(o.sysfs, ...p),
      rootfs: (...p) => join(o.rootfs, ...p),
      opt: (k) => o.flags.get(k)?.at(-1),
      opts: (k) => o.flags.get(k) ?? [],
      logger: o.logger,
      signal: ac.signal,
      now: o.now,
    };
    const start = performance.now();
    try {
      const aborted = new Promise<never>((_, reject) => {
        if (ac.signal.aborted) reject(ac.signal.reason);
        ac.signal.addEventListener("abort", () => reject(ac.signal.reason), { once: true });
      });
      const families = await Promise.race([c.update(ctx), aborted]);
      return { name, ok: true, seconds: (performance.now() - start) / 1000, families };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof NoDataError) o.logger.debug("collector returned no data", { name, err: msg });
      else o.logger.error("collector failed", { name, duration_seconds: (performance.now() - start) / 1000, err: msg });
      return { name, ok: false, seconds: (performance.now() - start) / 1000, families: [] as MetricFamily[] };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
      ac.abort(new Error("collector finished"));
    }
  }
}

/** Orders samples as client_golang does: by sample name, then by label pairs sorted by name. */
export function compareSamples(a: { name: string; labels: Record<string, string> }, b: { name: string; labels: Record<string, string> }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const ka = Object.keys(a.labels).sort();
  const kb = Object.keys(b.labels).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const x = ka[i]!;
    const y = kb[i]!;
    if (x !== y) return x < y ? -1 : 1;
    const vx = a.labels[x]!;
    const vy = b.labels[y]!;
    if (vx !== vy) return vx < vy ? -1 : 1;
  }
  return ka.length - kb.length;
}

/** Orders histogram/summary samples by their series labels (without le/quantile); stable within a series. */
function compareSeriesIgnoringBuckets(a: { labels: Record<string, string> }, b: { labels: Record<string, string> }): number {
  const strip = (l: Record<string, string>) => {
    const { le: _le, quantile: _q, ...rest } = l;
    return rest;
  };
  return compareSamples({ name: "", labels: strip(a.labels) }, { name: "", labels: strip(b.labels) });
}

/** A copy of `labels` with keys in sorted order; `le` and `quantile` last, as client_golang writes them. */
function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const keys = Object.keys(labels);
  if (keys.length < 2) return labels;
  keys.sort((a, b) => {
    const la = a === "le" || a === "quantile" ? 1 : 0;
    const lb = b === "le" || b === "quantile" ? 1 : 0;
    return la - lb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = labels[k]!;
  return out;
}
