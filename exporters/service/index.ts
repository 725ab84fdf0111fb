/**
 * @module exporters/service
 * Quiver's client library for TypeScript services on Bun, Deno and Node: Counter, Gauge, Histogram,
 * Summary, registries, scrape-time collectors, default process/runtime metrics and HTTP handlers. The API
 * follows prom-client's, with one difference that matters: pass `registers: [registry]` to keep metrics off
 * the convenience default registry (Quiver's own components always do).
 */
export { Counter, type CounterChild } from "./counter.ts";
export { Gauge, type GaugeChild, type GaugeOptions } from "./gauge.ts";
export { DEFAULT_BUCKETS, Histogram, type HistogramChild, type HistogramOptions, exponentialBuckets, linearBuckets } from "./histogram.ts";
export {
  DEFAULT_AGE_BUCKETS, DEFAULT_MAX_AGE_SECONDS, DEFAULT_PERCENTILES, Summary, type SummaryChild, type SummaryOptions,
} from "./summary.ts";
export { type LabelValues, Metric, type MetricOptions, isValidLabelName, isValidMetricName } from "./metric.ts";
export { type Collector, Registry, type RegistryFormat } from "./registry.ts";
export { defaultRegistry } from "./default-registry.ts";
export { type CollectDefaultMetricsOptions, DEFAULT_METRICS, collectDefaultMetrics } from "./default-metrics/index.ts";
export type { MetricFamily, ExposedSample, MetricType } from "../../core/model/metric-family.ts";
export { type FamilySource, type MetricsHandlerOptions, metricsHandler, nodeMetricsHandler, renderForAccept } from "./handler.ts";
