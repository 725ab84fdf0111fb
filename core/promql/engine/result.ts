/**
 * @module core/promql/engine/result
 * Renders a {@link QueryResult} in the shape of Prometheus's HTTP API `data` field:
 * `{resultType, result}` with timestamps as float seconds and values as strings (formatValue).
 */
import { formatValue } from "../../model/value.ts";
import type { QueryResult } from "./engine.ts";

/** JSON value of one API sample pair: [seconds, "value"]. */
export type ApiPoint = [number, string];

/** Prometheus API `data` for a query result. */
export type ApiQueryData =
  | { resultType: "vector"; result: Array<{ metric: Record<string, string>; value: ApiPoint }> }
  | { resultType: "matrix"; result: Array<{ metric: Record<string, string>; values: ApiPoint[] }> }
  | { resultType: "scalar"; result: ApiPoint }
  | { resultType: "string"; result: [number, string] };

/** Converts a query result into the Prometheus API data shape. */
export function toApiData(r: QueryResult): ApiQueryData {
  switch (r.resultType) {
    case "vector":
      return {
        resultType: "vector",
        result: r.result.map((s) => ({ metric: s.metric.toObject(), value: [s.t / 1000, formatValue(s.v)] as ApiPoint })),
      };
    case "matrix":
      return {
        resultType: "matrix",
        result: r.result.map((s) => {
          const values: ApiPoint[] = new Array(s.timestamps.length);
          for (let i = 0; i < s.timestamps.length; i++) values[i] = [s.timestamps[i]! / 1000, formatValue(s.values[i]!)];
          return { metric: s.metric.toObject(), values };
        }),
      };
    case "scalar": return { resultType: "scalar", result: [r.result.t / 1000, formatValue(r.result.v)] };
    case "string": return { resultType: "string", result: [r.result.t / 1000, r.result.v] };
  }
}
