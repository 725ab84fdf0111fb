/**
 * @module exporters/service/default-metrics/types
 * The shape of one default metric module: a factory taking the shared config and returning a scrape-time
 * collector, plus the family names it may produce (prom-client's `metricNames`).
 */
import type { MetricFamily, MetricType } from "../../../core/model/metric-family.ts";

/** Settings shared by the default metrics. */
export interface DefaultMetricsConfig {
  /** Prefix prepended to every family name (default ""). */
  prefix: string;
  /** Extra labels on every sample. */
  labels: Record<string, string>;
  /** Clock in ms since the epoch. */
  now: () => number;
}

/** A default-metric module. */
export interface DefaultMetric {
  metricNames: readonly string[];
  /** Creates the collector; may allocate observers (released by the returned `stop`). */
  create(cfg: DefaultMetricsConfig): { collect: () => MetricFamily[] | Promise<MetricFamily[]>; stop?: () => void };
}

/** Builds a one-sample family. */
export function single(cfg: DefaultMetricsConfig, name: string, type: MetricType, help: string, value: number, labels: Record<string, string> = {}): MetricFamily {
  const full = cfg.prefix + name;
  return { name: full, type, help, samples: [{ name: full, labels: { ...labels, ...cfg.labels }, value }] };
}
