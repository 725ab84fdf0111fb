/**
 * @module core/model/metric-family
 * The in-memory shape of exposed metrics, shared by the exposition parser and writer, the client library,
 * exporter plugins and the scrape loop.
 *
 * A family holds flat samples, exactly as they appear on the wire (`x_bucket{le="0.5"}`, `x_sum`, …), so
 * producers and consumers never re-derive sample names.
 */

/** Metric types of the Prometheus text format and OpenMetrics. */
export type MetricType =
  | "counter" | "gauge" | "histogram" | "gaugehistogram" | "summary" | "info" | "stateset" | "unknown" | "untyped";

/** An OpenMetrics exemplar attached to a sample. */
export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the Unix epoch, when the exemplar carried a timestamp. */
  timestampMs?: number;
}

/** One exposed sample. */
export interface ExposedSample {
  /** Full sample name, e.g. `http_requests_total` or `latency_seconds_bucket`. */
  name: string;
  /** Labels other than the name, in exposition order. */
  labels: Record<string, string>;
  value: number;
  /** Explicit timestamp in ms since the Unix epoch, when the exposition carried one. */
  timestampMs?: number;
  exemplar?: Exemplar;
}

/** A metric family: metadata plus its samples. */
export interface MetricFamily {
  /** Family name (for OpenMetrics counters, without `_total`). */
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: ExposedSample[];
}
