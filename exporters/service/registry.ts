/**
 * @module exporters/service/registry
 * A registry: a name → metric map plus collectors computed at scrape time. `collect()` returns the
 * registry's content as {@link MetricFamily} values (the shape core's scrape loop and the exposition writer
 * take); `metrics(format)` renders it through core/exposition.
 *
 * Invariants: metric and collector family names are unique within a registry (registering a duplicate
 * throws); default labels are added to every sample unless the sample already sets that label. There is
 * no global registry here: create one per component (see default-registry.ts for the prom-client style
 * convenience instance).
 */
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { CONTENT_TYPE_OPENMETRICS, CONTENT_TYPE_TEXT, writeOpenMetrics, writeText } from "../../core/exposition/index.ts";
import { BadDataError } from "../../core/util/errors.ts";
import { isValidLabelName, type Metric, type MetricSink } from "./metric.ts";

/**
 * A collector computed at scrape time: returns whole families (may be async). Honour `signal` for slow
 * sources. Family names returned must be unique across the registry.
 */
export type Collector = (signal?: AbortSignal) => MetricFamily[] | Promise<MetricFamily[]>;

/** Output formats of {@link Registry.metrics}. */
export type RegistryFormat = "text" | "openmetrics";

/** A set of metrics and collectors. */
export class Registry implements MetricSink {
  private readonly metricsByName = new Map<string, Metric>();
  private readonly collectors = new Map<string, Collector>();
  private defaultLabels: Record<string, string> = {};

  /** Registers a metric; throws if a metric with the same name is already registered. */
  registerMetric(metric: Metric): void {
    if (this.metricsByName.has(metric.name)) {
      throw new BadDataError(`a metric with the name ${metric.name} has already been registered`);
    }
    this.metricsByName.set(metric.name, metric);
  }

  /** Registers a scrape-time collector under an id (unique within the registry). */
  registerCollector(id: string, fn: Collector): void {
    if (this.collectors.has(id)) throw new BadDataError(`a collector with the id ${id} has already been registered`);
    this.collectors.set(id, fn);
  }

  /** Removes a collector by id. */
  unregisterCollector(id: string): void {
    this.collectors.delete(id);
  }

  /** The metric registered under `name`, if any. */
  getSingleMetric(name: string): Metric | undefined {
    return this.metricsByName.get(name);
  }

  /** Removes the metric registered under `name`. */
  removeSingleMetric(name: string): void {
    this.metricsByName.delete(name);
  }

  /** Removes every metric and collector. */
  clear(): void {
    this.metricsByName.clear();
    this.collectors.clear();
  }

  /** Resets the values of every metric (children dropped), keeping registrations. */
  resetMetrics(): void {
    for (const m of this.metricsByName.values()) m.reset();
  }

  /** Labels added to every sample this registry exposes (e.g. `{service: "api"}`). */
  setDefaultLabels(labels: Record<string, string>): void {
    for (const k of Object.keys(labels)) {
      if (!isValidLabelName(k)) throw new BadDataError(`invalid default label name ${JSON.stringify(k)}`);
    }
    this.defaultLabels = { ...labels };
  }

  /**
   * Collects every metric (running their collect callbacks) and every collector, in registration order.
   * The returned families are fresh objects the caller may keep or mutate.
   * @throws BadDataError when two sources produce the same family name.
   */
  async collect(signal?: AbortSignal): Promise<MetricFamily[]> {
    const out: MetricFamily[] = [];
    const seen = new Set<string>();
    const push = (f: MetricFamily) => {
      if (seen.has(f.name)) throw new BadDataError(`duplicate metric family ${f.name} in registry`);
      seen.add(f.name);
      out.push(f);
    };
    for (const m of this.metricsByName.values()) push(await m.get());
    for (const c of this.collectors.values()) for (const f of await c(signal)) push(f);
    const dl = Object.entries(this.defaultLabels);
    if (dl.length > 0) {
      for (const f of out) {
        for (const s of f.samples) {
          // Copy before adding: collectors may hand out label objects they keep.
          const labels = { ...s.labels };
          for (const [k, v] of dl) if (!(k in labels)) labels[k] = v;
          s.labels = labels;
        }
      }
    }
    return out;
  }

  /**
   * Collects and renders the registry: text format 0.0.4 (default) or OpenMetrics 1.0.0 (ends with `# EOF`).
   * Per-request negotiation lives in handler.ts; this is the prom-client style `await register.metrics()`.
   */
  async metrics(format: RegistryFormat = "text"): Promise<string> {
    const fams = await this.collect();
    return format === "openmetrics" ? writeOpenMetrics(fams) : writeText(fams);
  }

  /** The Content-Type of `metrics()` text output (prom-client's `register.contentType`). */
  get contentType(): string {
    return CONTENT_TYPE_TEXT;
  }

  /** The Content-Type of {@link metrics} output for `format`. */
  contentTypeFor(format: RegistryFormat = "text"): string {
    return format === "openmetrics" ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_TEXT;
  }

  /** The collected families as plain objects (prom-client's `getMetricsAsJSON`). */
  getMetricsAsJSON(): Promise<MetricFamily[]> {
    return this.collect();
  }

  /** Collects and returns a single metric family by name, or undefined. */
  async getSingleMetricFamily(name: string): Promise<MetricFamily | undefined> {
    return (await this.collect()).find((f) => f.name === name);
  }

  /**
   * Merges registries into a new one holding all their metrics and collectors (prom-client's
   * `Registry.merge`). Throws on duplicate names.
   */
  static merge(registries: Registry[]): Registry {
    const r = new Registry();
    for (const reg of registries) {
      for (const m of reg.metricsByName.values()) r.registerMetric(m);
      for (const [id, c] of reg.collectors) r.registerCollector(id, c);
    }
    return r;
  }
}
