/**
 * @module core/app/adapters
 * Small adapters between components' own shapes and the narrow interfaces other components take
 * (the API's TSDBAdmin, self-metrics as metric families). Kept here so components
 * never import each other sideways.
 */
import type { TSDBAdmin, TSDBStats } from "../api/v1/types.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { DB } from "../tsdb/db.ts";

/** Exposes the DB's admin and statistics operations as the API's TSDBAdmin. */
export function tsdbAdmin(db: DB): TSDBAdmin {
  return {
    delete: (mint, maxt, matchers) => db.delete(matchers, mint, maxt),
    cleanTombstones: () => db.cleanTombstones(),
    snapshot: (dir, withHead) => db.snapshot(dir, withHead),
    stats: async (limit): Promise<TSDBStats> => {
      const s = db.stats(limit);
      return { ...s.headStats, seriesCountByMetricName: s.seriesCountByMetricName, labelValueCountByLabelName: s.labelValueCountByLabelName,
        memoryInBytesByLabelName: s.memoryInBytesByLabelName, seriesCountByLabelValuePair: s.seriesCountByLabelValuePair };
    },
    walReplayStatus: () => {
      const s = db.walReplayStatus();
      return { min: s.min, max: s.max, current: s.current };
    },
  };
}

/**
 * Turns `{ metric_name: value }` (Prometheus names) into gauge/counter families: names ending in
 * `_total` are counters, the rest gauges.
 */
export function numbersToFamilies(values: Record<string, number>, help: string): MetricFamily[] {
  return Object.entries(values).map(([name, value]) => {
    const counter = name.endsWith("_total");
    return {
      name: counter ? name.slice(0, -"_total".length) : name,
      type: counter ? "counter" : "gauge",
      help: `${help} (${name}).`,
      samples: [{ name, labels: {}, value }],
    };
  });
}
