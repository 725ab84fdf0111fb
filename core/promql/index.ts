/**
 * @module core/promql
 * Public API of the PromQL engine: Engine (instantQuery, rangeQuery), parseExpr, formatExpr,
 * astToJSON (parse_query), and the typed errors. Rendering results as API JSON is core/api's job.
 */
export { Engine, DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_MAX_SAMPLES, DEFAULT_LOOKBACK_DELTA_MS, DEFAULT_MAX_CONCURRENCY,
  DEFAULT_EVALUATION_INTERVAL_MS, type EngineOptions, type QueryOptions, type QueryResult, type InstantSample,
  type MatrixSeries, type QueryStats } from "./engine/engine.ts";
export { ExecutionError, QueryCanceledError, QueryTimeoutError, StorageError, TooManySamplesError } from "./engine/errors.ts";
export { parseExpr, formatExpr, ParseError, FUNCTIONS, type Expr } from "./parser/index.ts";
export { astToJSON } from "./parser/ast-json.ts";
export type { QueryLogEntry, QueryLogger } from "./engine/query-log.ts";
