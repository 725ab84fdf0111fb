/**
 * @module core/promql/engine/engine
 * The PromQL Engine: parses a query, evaluates it over storage through the `Queryable` seam, and
 * returns a {@link QueryResult}. Limits as in Prometheus: a per-query timeout (--query.timeout), a
 * samples budget (--query.max-samples), a concurrency cap (--query.max-concurrency: further queries
 * wait in FIFO order) and the lookback delta (--query.lookback-delta). A runaway query fails with a
 * typed error; the process is never affected. The clock is injectable for tests.
 */
import { compareLabels, Labels } from "../../model/labels.ts";
import type { Queryable } from "../../storage/interface.ts";
import { exprType, type Expr } from "../parser/ast.ts";
import { parseExpr, type ParseOptions } from "../parser/parser.ts";
import { QueryContext, type EngineFeatures } from "./context.ts";
import { ExecutionError, QueryCanceledError } from "./errors.ts";
import { queryLogEntry, type QueryLogger } from "./query-log.ts";
import { dropNamesNow, evalExpr } from "./eval.ts";
import { dropMetricName } from "./labels-util.ts";
import { stepTime, type EvalValue, type Grid, type RangeArg } from "./types.ts";

/** Default --query.timeout (2 minutes). */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
/** Default --query.max-samples. */
export const DEFAULT_MAX_SAMPLES = 50_000_000;
/** Default --query.lookback-delta (5 minutes). */
export const DEFAULT_LOOKBACK_DELTA_MS = 300_000;
/** Default --query.max-concurrency. */
export const DEFAULT_MAX_CONCURRENCY = 20;
/** Default evaluation interval, used as the step of subqueries without one (1 minute). */
export const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
/** Longest accepted range query in steps (Prometheus's 11,000 points per series limit). */
export const MAX_RANGE_POINTS = 11_000;

/** Engine options. */
export interface EngineOptions {
  timeoutMs?: number;
  maxSamples?: number;
  lookbackDeltaMs?: number;
  maxConcurrency?: number;
  /** Enable experimental functions and syntax (promql-experimental-functions, duration expressions, …). */
  enableExperimentalFunctions?: boolean;
  /** Finer-grained feature flags. */
  features?: EngineFeatures & Omit<ParseOptions, "enableExperimentalFunctions">;
  /** Step of subqueries written without one (ms); Prometheus uses the global evaluation interval. */
  defaultEvaluationIntervalMs?: number;
  /** Clock (ms since epoch); injectable for tests. */
  now?: () => number;
  /** Optional query log (Prometheus's query_log_file entries); called after every query. */
  queryLog?: QueryLogger;
}

/** Per-query options. */
export interface QueryOptions {
  lookbackDeltaMs?: number;
  signal?: AbortSignal;
  /**
   * Per-query timeout (ms), e.g. the API's `timeout` parameter; the engine's own timeout still
   * applies. Checked inside evaluation loops, so it also stops long synchronous evaluation (an abort
   * signal can only be noticed between storage reads).
   */
  timeoutMs?: number;
}

/** One series of an instant vector result. */
export interface InstantSample {
  metric: Labels;
  /** Timestamp in ms. */
  t: number;
  v: number;
}

/** One series of a matrix result; timestamps in ms. */
export interface MatrixSeries {
  metric: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

/** A query's value, by PromQL type. */
export type QueryValue =
  | { resultType: "vector"; result: InstantSample[] }
  | { resultType: "matrix"; result: MatrixSeries[] }
  | { resultType: "scalar"; result: { t: number; v: number } }
  | { resultType: "string"; result: { t: number; v: string } };

/** The result of a query: its value plus annotations (warnings, infos) and statistics. */
export type QueryResult = {
  warnings: string[];
  infos: string[];
  stats?: QueryStats;
} & QueryValue;

/** Sample statistics of a query (as in Prometheus's stats=all). */
export interface QueryStats {
  samples: { totalQueryableSamples: number; peakSamples: number };
  /** Seconds, as Prometheus's stats=all reports them. */
  timings: {
    evalTotalTime: number;
    resultSortTime: number;
    queryPreparationTime: number;
    innerEvalTime: number;
    execQueueTime: number;
    execTotalTime: number;
  };
}

/** The PromQL engine. One instance serves many concurrent queries. */
export class Engine {
  readonly timeoutMs: number;
  readonly maxSamples: number;
  readonly lookbackDeltaMs: number;
  readonly maxConcurrency: number;
  readonly parseOptions: ParseOptions;
  readonly features: EngineFeatures;
  readonly defaultEvaluationIntervalMs: number;
  readonly #now: () => number;
  readonly #queryLog: QueryLogger | undefined;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(o: EngineOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.maxSamples = o.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.lookbackDeltaMs = o.lookbackDeltaMs ?? DEFAULT_LOOKBACK_DELTA_MS;
    this.maxConcurrency = o.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    const exp = o.enableExperimentalFunctions ?? false;
    const f = o.features ?? {};
    this.parseOptions = {
      enableExperimentalFunctions: exp,
      enableDurationExpressions: f.enableDurationExpressions ?? exp,
      enableExtendedRangeSelectors: f.enableExtendedRangeSelectors ?? exp,
      enableBinopFillModifiers: f.enableBinopFillModifiers ?? exp,
    };
    this.features = { delayedNameRemoval: f.delayedNameRemoval ?? false };
    this.defaultEvaluationIntervalMs = o.defaultEvaluationIntervalMs ?? DEFAULT_EVALUATION_INTERVAL_MS;
    this.#now = o.now ?? Date.now;
    this.#queryLog = o.queryLog;
  }

  /** Parses a query with this engine's feature flags (throws ParseError). */
  parse(qs: string): Expr {
    return parseExpr(qs, this.parseOptions);
  }

  /** Evaluates `qs` at one instant (ms). */
  async instantQuery(queryable: Queryable, qs: string, timeMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    const expr = this.parse(qs);
    const t = Math.round(timeMs);
    return this.#run(queryable, qs, expr, { start: t, end: t, step: 1, n: 1 }, 0, opts);
  }

  /** Evaluates `qs` at start, start+step, …, end (ms). */
  async rangeQuery(queryable: Queryable, qs: string, startMs: number, endMs: number, stepMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    const expr = this.parse(qs);
    if (!(stepMs > 0)) throw new ExecutionError("zero or negative query resolution step widths are not accepted. Try a positive integer");
    if (endMs < startMs) throw new ExecutionError("end timestamp must not be before start time");
    const start = Math.round(startMs), step = Math.round(stepMs);
    const n = Math.floor((Math.round(endMs) - start) / step) + 1;
    // Prometheus counts intervals, not points: (end-start)/step == 11000 is still accepted.
    if ((Math.round(endMs) - start) / step > MAX_RANGE_POINTS) {
      throw new ExecutionError("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    const t = exprType(expr);
    if (t !== "scalar" && t !== "vector") {
      throw new ExecutionError(`invalid expression type "${t === "matrix" ? "range vector" : t}" for range query, must be Scalar or instant Vector`);
    }
    return this.#run(queryable, qs, expr, { start, end: start + (n - 1) * step, step, n }, step, opts, Math.round(endMs));
  }

  async #acquire(signal?: AbortSignal): Promise<void> {
    if (this.#running < this.maxConcurrency) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#running++;
        resolve();
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(go);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(new QueryCanceledError("queue"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(go);
    });
  }

  #release(): void {
    this.#running--;
    const next = this.#waiting.shift();
    if (next) next();
  }

  async #run(
    queryable: Queryable, qs: string, expr: Expr, g: Grid, step: number, opts: QueryOptions, queryEnd = g.end,
  ): Promise<QueryResult> {
    const queued = this.#now();
    await this.#acquire(opts.signal);
    const began = this.#now();
    let failure: string | undefined;
    try {
      const ctx = new QueryContext({
        // `@ end()` and range() refer to the requested end, even when the last step falls before it.
        queryable, query: qs, start: g.start, end: queryEnd, step,
        lookbackDelta: opts.lookbackDeltaMs ?? this.lookbackDeltaMs,
        maxSamples: this.maxSamples,
        deadline: began + Math.min(this.timeoutMs, opts.timeoutMs ?? Infinity),
        now: this.#now,
        signal: opts.signal,
        defaultSubqueryStep: this.defaultEvaluationIntervalMs,
        features: this.features,
      });
      let v: EvalValue;
      try {
        v = await evalExpr(expr, g, ctx);
      } catch (e) {
        if (e instanceof RangeError && /allocation|Array buffer|Invalid typed array length/i.test(e.message)) {
          throw new ExecutionError(`query processing ran out of memory: ${e.message}`);
        }
        throw e;
      }
      ctx.check(true);
      const evalDone = this.#now();
      const res = toResult(v, g, step > 0, ctx.o.features.delayedNameRemoval ?? false);
      const end = this.#now();
      return {
        ...res,
        warnings: [...ctx.warnings],
        infos: [...ctx.infos],
        stats: {
          samples: { totalQueryableSamples: ctx.totalSamples, peakSamples: ctx.peakSamples },
          timings: {
            evalTotalTime: (end - began) / 1000,
            resultSortTime: (end - evalDone) / 1000,
            queryPreparationTime: 0,
            innerEvalTime: (evalDone - began) / 1000,
            execQueueTime: (began - queued) / 1000,
            execTotalTime: (end - queued) / 1000,
          },
        },
      } as QueryResult;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      this.#release();
      if (this.#queryLog) {
        const end = this.#now();
        try {
          this.#queryLog(queryLogEntry(qs, g.start, g.end, step, began - queued, end - began, end, failure));
        } catch {
          // A failing query log must not fail the query.
        }
      }
    }
  }
}

type ResultBody = Pick<QueryResult, "resultType" | "result">;

function toResult(v: EvalValue, g: Grid, isRange: boolean, delayed: boolean): ResultBody {
  switch (v.kind) {
    case "string": return { resultType: "string", result: { t: g.start, v: v.val } };
    case "scalar":
      if (!isRange) return { resultType: "scalar", result: { t: g.start, v: v.vals[0]! } };
      return {
        resultType: "matrix",
        result: [{ metric: Labels.EMPTY, timestamps: Float64Array.from({ length: g.n }, (_, i) => stepTime(g, i)), values: Float64Array.from(v.vals) }],
      };
    case "range": return { resultType: "matrix", result: rangeToMatrix(v, delayed) };
    case "vector": {
      const series = delayed ? dropNamesNow(v.series) : v.series;
      if (!isRange) {
        const out: InstantSample[] = [];
        const seen = new Set<string>();
        for (const s of series) {
          if (!s.has[0]) continue;
          const k = s.labels.key();
          if (seen.has(k)) throw new ExecutionError("vector cannot contain metrics with the same labelset");
          seen.add(k);
          out.push({ metric: s.labels, t: g.start, v: s.vals[0]! });
        }
        return { resultType: "vector", result: out };
      }
      const out: MatrixSeries[] = [];
      for (const s of series) {
        let cnt = 0;
        for (let i = 0; i < g.n; i++) cnt += s.has[i]!;
        if (cnt === 0) continue;
        const ts = new Float64Array(cnt), vs = new Float64Array(cnt);
        let k = 0;
        for (let i = 0; i < g.n; i++) {
          if (!s.has[i]) continue;
          ts[k] = stepTime(g, i);
          vs[k++] = s.vals[i]!;
        }
        out.push({ metric: s.labels, timestamps: ts, values: vs });
      }
      out.sort((a, b) => compareLabels(a.metric, b.metric));
      return { resultType: "matrix", result: out };
    }
  }
}

function rangeToMatrix(r: RangeArg, delayed: boolean): MatrixSeries[] {
  const t = r.refT[0]!;
  const out: MatrixSeries[] = [];
  for (const s of r.series) {
    let lo = 0;
    while (lo < s.ts.length && s.ts[lo]! <= t - r.range) lo++;
    let hi = lo;
    while (hi < s.ts.length && s.ts[hi]! <= t) hi++;
    if (hi === lo) continue;
    const metric = delayed && s.dropName ? dropMetricName(s.labels) : s.labels;
    out.push({ metric, timestamps: s.ts.slice(lo, hi), values: s.vs.slice(lo, hi) });
  }
  out.sort((a, b) => compareLabels(a.metric, b.metric));
  return out;
}

