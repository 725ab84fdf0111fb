/**
 * @module exporters/service/default-metrics/gc
 * Garbage collection durations, where the runtime reports GC through perf_hooks (`entryTypes: ["gc"]`,
 * available on Node and Deno's Node compatibility; Bun does not report GC entries, so nothing is exported
 * there). Exported as prom-client's nodejs_gc_duration_seconds histogram by kind.
 */
import { PerformanceObserver } from "node:perf_hooks";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { formatGoFloat } from "../../../core/exposition/float.ts";
import type { DefaultMetric } from "./types.ts";

const BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const KINDS: Record<number, string> = { 1: "major", 2: "minor", 4: "incremental", 8: "weakcb" };

/** nodejs_gc_duration_seconds. */
export const gc: DefaultMetric = {
  metricNames: ["nodejs_gc_duration_seconds"],
  create(cfg) {
    const byKind = new Map<string, { counts: number[]; sum: number; count: number }>();
    let observer: { disconnect(): void } | null = null;
    let available = false;
    try {
      // The runtime may not support "gc" entries; then the collector stays empty.
      if ((PerformanceObserver.supportedEntryTypes ?? []).includes("gc")) {
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            const detail = (e as unknown as { detail?: { kind?: number }; kind?: number });
            const kind = KINDS[detail.detail?.kind ?? detail.kind ?? 0] ?? "unknown";
            let h = byKind.get(kind);
            if (!h) byKind.set(kind, (h = { counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 }));
            const secs = e.duration / 1000;
            for (let i = 0; i < BUCKETS.length; i++) if (secs <= BUCKETS[i]!) h.counts[i]!++;
            h.sum += secs;
            h.count++;
          }
        });
        obs.observe({ entryTypes: ["gc"] });
        observer = obs;
        available = true;
      }
    } catch {
      available = false;
    }
    return {
      collect(): MetricFamily[] {
        if (!available) return [];
        const name = cfg.prefix + "nodejs_gc_duration_seconds";
        const fam: MetricFamily = { name, type: "histogram", help: "Garbage collection duration by kind, one of major, minor, incremental or weakcb.", samples: [] };
        for (const [kind, h] of byKind) {
          const base = { kind, ...cfg.labels };
          BUCKETS.forEach((b, i) => fam.samples.push({ name: name + "_bucket", labels: { ...base, le: formatGoFloat(b) }, value: h.counts[i]! }));
          fam.samples.push({ name: name + "_bucket", labels: { ...base, le: "+Inf" }, value: h.count });
          fam.samples.push({ name: name + "_sum", labels: base, value: h.sum });
          fam.samples.push({ name: name + "_count", labels: base, value: h.count });
        }
        return [fam];
      },
      stop: () => observer?.disconnect(),
    };
  },
};
