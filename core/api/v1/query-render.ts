/**
 * @module core/api/v1/query-render
 * Renders query results exactly as Prometheus's JSON codec does: `{resultType, result, stats?}` with
 * vector samples as `{"metric":{…},"value":[t,"v"]}`, matrix series as `{"metric":{…},"values":[[t,"v"],…]}`,
 * scalars and strings as `[t,"v"]`; t in float seconds (ms precision), v a string ("NaN", "+Inf").
 * Built as a string for speed: results can hold millions of points.
 */
import { formatApiFloat, formatApiTime, labelsJson, RawJson, toJson } from "./json.ts";
import type { QueryValue } from "./types.ts";

/** Prometheus's query statistics object (present when the `stats` parameter is non-empty). */
export interface QueryStatsJson {
  timings: {
    evalTotalTime: number;
    resultSortTime: number;
    queryPreparationTime: number;
    innerEvalTime: number;
    execQueueTime: number;
    execTotalTime: number;
  };
  samples: {
    totalQueryableSamplesPerStep?: Array<[number, number]>;
    totalQueryableSamples: number;
    peakSamples: number;
  };
}

/** Renders a result value's `result` field. */
export function renderResult(v: QueryValue): string {
  switch (v.resultType) {
    case "scalar":
      return `[${formatApiTime(v.result.t)},"${formatApiFloat(v.result.v)}"]`;
    case "string":
      return `[${formatApiTime(v.result.t)},${JSON.stringify(v.result.v)}]`;
    case "vector": {
      const parts = v.result.map((s) => `{"metric":${labelsJson(s.metric)},"value":[${formatApiTime(s.t)},"${formatApiFloat(s.v)}"]}`);
      return `[${parts.join(",")}]`;
    }
    case "matrix": {
      const parts: string[] = [];
      for (const s of v.result) {
        const pts: string[] = new Array(s.timestamps.length);
        for (let i = 0; i < s.timestamps.length; i++) pts[i] = `[${formatApiTime(s.timestamps[i]!)},"${formatApiFloat(s.values[i]!)}"]`;
        parts.push(`{"metric":${labelsJson(s.metric)},"values":[${pts.join(",")}]}`);
      }
      return `[${parts.join(",")}]`;
    }
  }
}

/** Renders the whole `data` object of a query answer. */
export function renderQueryData(v: QueryValue, stats?: QueryStatsJson): RawJson {
  let s = `{"resultType":"${v.resultType}","result":${renderResult(v)}`;
  if (stats) {
    const per = stats.samples.totalQueryableSamplesPerStep;
    const samples = per
      ? { totalQueryableSamplesPerStep: new RawJson(`[${per.map(([t, n]) => `[${formatApiTime(t)},${n}]`).join(",")}]`), totalQueryableSamples: stats.samples.totalQueryableSamples, peakSamples: stats.samples.peakSamples }
      : stats.samples;
    s += `,"stats":${toJson({ timings: stats.timings, samples })}`;
  }
  return new RawJson(s + "}");
}

/**
 * Truncates a result to `limit` series (Prometheus's `limit` parameter of query and query_range).
 * Returns whether anything was dropped. Scalars and strings are never truncated.
 */
export function truncateValue(v: QueryValue, limit: number): { value: QueryValue; truncated: boolean } {
  if (limit <= 0) return { value: v, truncated: false };
  if (v.resultType === "vector" && v.result.length > limit) return { value: { resultType: "vector", result: v.result.slice(0, limit) }, truncated: true };
  if (v.resultType === "matrix" && v.result.length > limit) return { value: { resultType: "matrix", result: v.result.slice(0, limit) }, truncated: true };
  return { value: v, truncated: false };
}
