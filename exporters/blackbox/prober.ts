/**
 * @module exporters/blackbox/prober
 * The prober contract and the per-probe metric set. A prober gets the target, its module settings, a
 * signal aborted at the probe timeout, a logger (whose lines also feed `debug=true` output) and a
 * {@link ProbeMetrics} to set gauges on; it returns whether the probe succeeded. Probers never throw for
 * a failed probe: they log why and return false.
 */
import type { Logger } from "../../core/log/logger.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import type { Module } from "./config.ts";

/** Gauges set during one probe (families keyed by name; samples replaced by label set). */
export class ProbeMetrics {
  private readonly fams = new Map<string, { help: string; samples: Map<string, { labels: Record<string, string>; value: number }> }>();

  /** Sets gauge `name{labels}` to `value` (declares the family with `help` on first use). */
  set(name: string, help: string, value: number, labels: Record<string, string> = {}): void {
    let f = this.fams.get(name);
    if (!f) this.fams.set(name, (f = { help, samples: new Map() }));
    f.samples.set(JSON.stringify(Object.entries(labels).sort()), { labels, value });
  }

  /** Declares a family with no samples yet (exported only once a sample is set). */
  get(name: string, labels: Record<string, string> = {}): number | undefined {
    return this.fams.get(name)?.samples.get(JSON.stringify(Object.entries(labels).sort()))?.value;
  }

  /** Adds `delta` to gauge `name{labels}` (0 when unset). */
  add(name: string, help: string, delta: number, labels: Record<string, string> = {}): void {
    this.set(name, help, (this.get(name, labels) ?? 0) + delta, labels);
  }

  /** Families sorted by name, samples sorted by labels (client_golang's gather order). */
  families(): MetricFamily[] {
    return [...this.fams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, f]) => ({
        name,
        type: "gauge" as const,
        help: f.help,
        samples: [...f.samples.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => ({ name, labels: s.labels, value: s.value })),
      }));
  }
}

/** What a prober receives. */
export interface ProbeContext {
  target: string;
  module: Module;
  metrics: ProbeMetrics;
  logger: Logger;
  /** Aborted when the probe's timeout expires. */
  signal: AbortSignal;
  /** The probe timeout, ms. */
  timeoutMs: number;
}

/** A prober: returns success. */
export type Prober = (ctx: ProbeContext) => Promise<boolean>;
