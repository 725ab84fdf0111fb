/**
 * @module core/promql/engine/query-log
 * Query log entries in the shape of Prometheus's query log file (one JSON object per query:
 * `params` with RFC 3339 start/end and the step in seconds, `stats.timings` in seconds, `ts`), handed
 * to an injected sink (the caller writes them to --query log file or a logger).
 */

/** One query log entry, as Prometheus writes it. */
export interface QueryLogEntry {
  params: { query: string; start: string; end: string; step: number };
  stats: { timings: { evalTotalTime: number; execQueueTime: number; execTotalTime: number } };
  /** Failure message, when the query failed. */
  error?: string;
  ts: string;
}

/** Where query log entries go. Must not throw; it is called after every query. */
export type QueryLogger = (entry: QueryLogEntry) => void;

/** Builds an entry (times in ms since the epoch). */
export function queryLogEntry(
  query: string, start: number, end: number, stepMs: number, queuedMs: number, evalMs: number, now: number, error?: string,
): QueryLogEntry {
  const e: QueryLogEntry = {
    params: { query, start: new Date(start).toISOString(), end: new Date(end).toISOString(), step: stepMs / 1000 },
    stats: { timings: { evalTotalTime: evalMs / 1000, execQueueTime: queuedMs / 1000, execTotalTime: (queuedMs + evalMs) / 1000 } },
    ts: new Date(now).toISOString(),
  };
  if (error !== undefined) e.error = error;
  return e;
}
