/**
 * @module exporters/service/default-metrics
 * The default process and runtime metrics as a plain name → module table (prom-client's
 * defaultMetrics.js shape), and {@link collectDefaultMetrics} which registers them on a registry as one
 * scrape-time collector.
 */
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import type { Registry } from "../registry.ts";
import { eventLoopLag } from "./event-loop-lag.ts";
import { gc } from "./gc.ts";
import { heap } from "./heap.ts";
import { processCpu } from "./process-cpu.ts";
import { processFds } from "./process-fds.ts";
import { processMemory } from "./process-memory.ts";
import { processStartTime } from "./process-start-time.ts";
import type { DefaultMetric, DefaultMetricsConfig } from "./types.ts";
import { version } from "./version.ts";

export type { DefaultMetric, DefaultMetricsConfig } from "./types.ts";

/** Every default metric module by name. */
export const DEFAULT_METRICS: ReadonlyMap<string, DefaultMetric> = new Map([
  ["processCpuTotal", processCpu],
  ["processStartTime", processStartTime],
  ["processOpenFileDescriptors", processFds],
  ["processMemory", processMemory],
  ["eventLoopLag", eventLoopLag],
  ["processHeap", heap],
  ["gc", gc],
  ["version", version],
]);

/** Options of {@link collectDefaultMetrics}. */
export interface CollectDefaultMetricsOptions {
  /** Registry to register on (required: there is no implicit global). */
  register: Registry;
  /** Prefix for every family name. */
  prefix?: string;
  /** Labels added to every sample. */
  labels?: Record<string, string>;
  /** Only these modules (keys of {@link DEFAULT_METRICS}); default all. */
  include?: readonly string[];
  /** Clock in ms. */
  now?: () => number;
}

/**
 * Registers the default metrics on `opts.register` as the collector `default_metrics`. Returns a function
 * that unregisters it and releases observers.
 * @example collectDefaultMetrics({ register: registry, prefix: "myapp_" });
 */
export function collectDefaultMetrics(opts: CollectDefaultMetricsOptions): () => void {
  const cfg: DefaultMetricsConfig = { prefix: opts.prefix ?? "", labels: { ...(opts.labels ?? {}) }, now: opts.now ?? Date.now };
  const names = opts.include ?? [...DEFAULT_METRICS.keys()];
  const parts = names.map((n) => {
    const m = DEFAULT_METRICS.get(n);
    if (!m) throw new Error(`unknown default metric ${JSON.stringify(n)}; known: ${[...DEFAULT_METRICS.keys()].join(", ")}`);
    return m.create(cfg);
  });
  const id = "default_metrics" + (cfg.prefix ? ":" + cfg.prefix : "");
  opts.register.registerCollector(id, async () => {
    const out: MetricFamily[] = [];
    for (const p of parts) out.push(...(await p.collect()));
    return out;
  });
  return () => {
    opts.register.unregisterCollector(id);
    for (const p of parts) p.stop?.();
  };
}
