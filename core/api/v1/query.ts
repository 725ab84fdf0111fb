/**
 * @module core/api/v1/query
 * The query area: /api/v1/query, query_range, format_query, parse_query and query_exemplars, with
 * Prometheus's parameter order, checks and messages (`invalid parameter "query": …`, `end timestamp must
 * not be before start time`, the 11,000 points per series cap, `limit`, `timeout`, `lookback_delta`,
 * `stats`). Parse errors from the engine (code bad_data) become `invalid parameter "query"`; any other
 * engine error keeps its code, and errors without one are `execution`, as in Prometheus.
 */
import { Elysia } from "elysia";
import { extractSelectors } from "./selectors.ts";
import { exprType, parseExpr } from "../../promql/parser/index.ts";
import { prettyExpr } from "./prettier.ts";
import { QueryTimeoutError } from "../../promql/engine/errors.ts";
import { QuiverError, BadDataError, UnavailableError } from "../../util/errors.ts";
import { astToJSON } from "../../promql/parser/ast-json.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { formatApiFloat, formatApiTime, labelsJson, RawJson } from "./json.ts";
import { invalidParam, limitParam, MAX_TIME_MS, MIN_TIME_MS, parseDurationParam, parseTime, timeParam, type Params } from "./params.ts";
import { renderQueryData, truncateValue, type QueryStatsJson } from "./query-render.ts";
import type { ApiV1Deps, QueryOptions, QueryResult } from "./types.ts";

/** Prometheus's cap on points per series of a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

const ALL = ["GET", "POST"] as const;

/** Builds the query area (`api-v1-query`). */
export function queryApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  const now = deps.now ?? Date.now;
  let app = new Elysia({ name: "api-v1-query", prefix });
  app = mount(app, ALL, "/query", (p) => instantQuery(deps, now, p), o);
  app = mount(app, ALL, "/query_range", (p) => rangeQuery(deps, p), o);
  app = mount(app, ALL, "/format_query", async (p) => ({ data: prettyExpr(parseQueryParam(p)) }), o);
  app = mount(app, ALL, "/parse_query", async (p) => ({ data: astToJSON(parseQueryParam(p)) }), o);
  app = mount(app, ALL, "/query_exemplars", (p) => queryExemplars(deps, p), o);
  return app;
}

function parseQueryParam(p: Params) {
  try {
    return parseExpr(p.get("query"));
  } catch (e) {
    throw invalidParam("query", e);
  }
}

/** Parsed `timeout` (ms, or undefined) and `lookback_delta` of a query request. */
interface QueryParams {
  timeout?: number;
  lookbackDeltaMs?: number;
}

/** Reads `timeout` and `lookback_delta` with Prometheus's messages. */
function queryParams(p: Params): QueryParams {
  const out: QueryParams = {};
  const to = p.get("timeout");
  if (to !== "") {
    try {
      out.timeout = parseDurationParam(to);
    } catch (e) {
      throw invalidParam("timeout", e);
    }
  }
  const lb = p.get("lookback_delta");
  if (lb !== "") {
    try {
      out.lookbackDeltaMs = parseDurationParam(lb);
    } catch (e) {
      throw new BadDataError(`error parsing lookback delta duration: ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * Engine options for one request: the client's abort signal, combined with a timer for `timeout`
 * whose abort reason is the engine's QueryTimeoutError (so the engine reports a timeout, not a cancel).
 */
function engineOptions(p: Params, qp: QueryParams): { opts: QueryOptions; done: () => void } {
  if (qp.timeout === undefined) return { opts: { signal: p.signal, lookbackDeltaMs: qp.lookbackDeltaMs }, done: () => {} };
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new QueryTimeoutError()), qp.timeout);
  const signal = AbortSignal.any([p.signal, ctrl.signal]);
  return { opts: { signal, lookbackDeltaMs: qp.lookbackDeltaMs, timeoutMs: qp.timeout }, done: () => clearTimeout(timer) };
}

async function instantQuery(deps: ApiV1Deps, now: () => number, p: Params): Promise<ApiOutcome> {
  const limit = limitParam(p);
  const ts = timeParam(p, "time", now());
  const qp = queryParams(p);
  const engine = deps.engine;
  if (!engine) return { error: new UnavailableError("query engine not available") };
  return runQuery(p, qp, limit, (opts) => engine.instantQuery(deps.queryable, p.get("query"), ts, opts));
}

async function rangeQuery(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  const limit = limitParam(p);
  const start = requiredTime(p, "start");
  const end = requiredTime(p, "end");
  if (end < start) throw invalidParam("end", "end timestamp must not be before start time");
  let step: number;
  try {
    step = parseDurationParam(p.get("step"));
  } catch (e) {
    throw invalidParam("step", e);
  }
  if (step <= 0) throw invalidParam("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
  // Go divides Durations (ns) as integers.
  if (Math.floor(Math.round((end - start) * 1e6) / Math.round(step * 1e6)) > MAX_POINTS_PER_SERIES) {
    throw new BadDataError("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
  }
  const qp = queryParams(p);
  const engine = deps.engine;
  if (!engine) return { error: new UnavailableError("query engine not available") };
  const qs = p.get("query");
  if (engine.parse) {
    let t: string;
    try {
      t = exprType(engine.parse(qs));
    } catch (e) {
      throw invalidParam("query", e);
    }
    if (t !== "scalar" && t !== "vector") {
      throw invalidParam("query", `invalid expression type "${t === "matrix" ? "range vector" : t}" for range query, must be Scalar or instant Vector`);
    }
  }
  const stepMs = Math.max(1, Math.floor(step));
  return runQuery(p, qp, limit, (opts) => engine.rangeQuery(deps.queryable, qs, start, end, stepMs, opts));
}

/** A required time (query_range's start/end): Prometheus reports `invalid parameter "start": cannot parse …`. */
function requiredTime(p: Params, name: string): number {
  try {
    return parseTime(p.get(name));
  } catch (e) {
    throw invalidParam(name, e);
  }
}

async function runQuery(p: Params, qp: QueryParams, limit: number, exec: (o: QueryOptions) => Promise<QueryResult>): Promise<ApiOutcome> {
  const t0 = performance.now();
  const { opts, done } = engineOptions(p, qp);
  let res: QueryResult;
  try {
    res = await exec(opts);
  } catch (e) {
    if (e instanceof QuiverError && e.code === "bad_data") return { error: invalidParam("query", e) };
    return { error: e, fallback: "execution" };
  } finally {
    done();
  }
  const elapsed = (performance.now() - t0) / 1000;
  // The engine checks the signal between steps; a query that finished past its deadline timed out all the same.
  if (qp.timeout !== undefined && elapsed * 1000 > qp.timeout) return { error: new QueryTimeoutError() };
  const warnings = [...(res.warnings ?? [])];
  const { value, truncated } = truncateValue(res, limit);
  if (truncated) warnings.push("results truncated due to limit");
  let stats: QueryStatsJson | undefined;
  if (p.get("stats") !== "") {
    const s = res.stats;
    const evalTime = s?.timings?.evalTotalTime ?? elapsed;
    stats = {
      timings: { evalTotalTime: evalTime, resultSortTime: 0, queryPreparationTime: 0, innerEvalTime: evalTime, execQueueTime: Math.max(0, elapsed - evalTime), execTotalTime: elapsed },
      samples: {
        // The engine does not count samples per step; Prometheus's shape is kept with an empty list.
        totalQueryableSamplesPerStep: p.get("stats") === "all" ? [] : undefined,
        totalQueryableSamples: s?.samples.totalQueryableSamples ?? 0,
        peakSamples: s?.samples.peakSamples ?? 0,
      },
    };
  }
  return { data: renderQueryData(value, stats), warnings, infos: res.infos };
}

async function queryExemplars(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  const start = timeParam(p, "start", MIN_TIME_MS);
  const end = timeParam(p, "end", MAX_TIME_MS);
  if (end < start) throw new BadDataError("end timestamp must not be before start timestamp");
  const expr = parseExpr(p.get("query"));
  const selectors = extractSelectors(expr);
  if (selectors.length < 1) return { noContent: true };
  if (!deps.exemplars) return { data: [] };
  let res;
  try {
    res = await deps.exemplars.selectExemplars(start, end, selectors);
  } catch (e) {
    return { error: e, fallback: "execution" };
  }
  const parts = res.map((s) => {
    const ex = s.exemplars.map((x) => `{"labels":${labelsJson(x.labels)},"value":"${formatApiFloat(x.value)}","timestamp":${formatApiTime(x.ts)}}`);
    return `{"seriesLabels":${labelsJson(s.seriesLabels)},"exemplars":[${ex.join(",")}]}`;
  });
  return { data: new RawJson(`[${parts.join(",")}]`) };
}
