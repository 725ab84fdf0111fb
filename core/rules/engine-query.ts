/**
 * @module core/rules/engine-query
 * Adapts a PromQL engine to the rules' {@link QueryFunc}, as Prometheus's EngineQueryFunc: a vector result
 * is used as is, a scalar becomes one sample without labels, anything else is an error. The engine is
 * described structurally, so rules do not import the engine.
 */
import type { Labels } from "../model/labels.ts";
import type { Queryable } from "../storage/interface.ts";
import type { QueryFunc, RuleSample } from "./types.ts";
import { Labels as L } from "../model/labels.ts";

/** The part of core/promql's Engine the rules use. */
export interface InstantQueryEngine {
  instantQuery(queryable: Queryable, qs: string, timeMs: number): Promise<
    | { resultType: "vector"; result: Array<{ metric: Labels; v: number }> }
    | { resultType: "scalar"; result: { t: number; v: number } }
    | { resultType: "matrix" | "string"; result: unknown }
  >;
}

/** Builds a QueryFunc over an engine and a queryable. */
export function engineQueryFunc(engine: InstantQueryEngine, queryable: Queryable): QueryFunc {
  return async (qs, t): Promise<RuleSample[]> => {
    const r = await engine.instantQuery(queryable, qs, t);
    if (r.resultType === "vector") return r.result.map((s) => ({ labels: s.metric, value: s.v }));
    if (r.resultType === "scalar") return [{ labels: L.EMPTY, value: r.result.v }];
    throw new Error("rule result is not a vector or scalar");
  };
}
