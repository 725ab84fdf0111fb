/**
 * @module core/tsdb/stats
 * Head cardinality statistics in the shape of Prometheus's /api/v1/status/tsdb `data` object.
 */
import { METRIC_NAME } from "../model/labels.ts";
import type { Head } from "./head/head.ts";

/** One name/value entry of a statistics list. */
export interface StatEntry {
  name: string;
  value: number;
}

/** The /api/v1/status/tsdb payload (times in ms). */
export interface TSDBStats {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: StatEntry[];
  labelValueCountByLabelName: StatEntry[];
  memoryInBytesByLabelName: StatEntry[];
  seriesCountByLabelValuePair: StatEntry[];
}

function top(entries: StatEntry[], limit: number): StatEntry[] {
  return entries.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, limit);
}

/** Computes the statistics, keeping the top `limit` entries of each list. */
export function tsdbStats(head: Head, limit: number): TSDBStats {
  const byMetric: StatEntry[] = [], valueCount: StatEntry[] = [], mem: StatEntry[] = [], pairs: StatEntry[] = [];
  const memBy = new Map<string, number>();
  let numPairs = 0;
  head.postings.forEachPair((name, value, count) => {
    numPairs++;
    if (name === METRIC_NAME) byMetric.push({ name: value, value: count });
    pairs.push({ name: `${name}=${value}`, value: count });
    memBy.set(name, (memBy.get(name) ?? 0) + value.length * count);
  });
  for (const c of head.postings.cardinality()) valueCount.push({ name: c.name, value: c.values });
  for (const [name, v] of memBy) mem.push({ name, value: v });
  let chunks = 0;
  for (const s of head.series) if (s) chunks += s.chunks.length + (s.open && s.open.n > 0 ? 1 : 0);
  const minT = Math.min(head.minTime, head.oooMinTime), maxT = Math.max(head.maxTime, head.oooMaxTime);
  return {
    headStats: {
      numSeries: head.numSeries, numLabelPairs: numPairs, chunkCount: chunks,
      minTime: Number.isFinite(minT) ? minT : 0, maxTime: Number.isFinite(maxT) ? maxT : 0,
    },
    seriesCountByMetricName: top(byMetric, limit),
    labelValueCountByLabelName: top(valueCount, limit),
    memoryInBytesByLabelName: top(mem, limit),
    seriesCountByLabelValuePair: top(pairs, limit),
  };
}
