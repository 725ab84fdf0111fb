/**
 * @module core/promql/engine/errors
 * Typed query errors, each with the code the HTTP API maps to Prometheus's errorType.
 */
import { QuiverError } from "../../util/errors.ts";

/** The query ran longer than the configured timeout (code timeout). */
export class QueryTimeoutError extends QuiverError {
  constructor(where = "query execution") {
    super("timeout", `query timed out in ${where}`);
  }
}

/** The query was canceled by its caller (code canceled). */
export class QueryCanceledError extends QuiverError {
  constructor(where = "query execution") {
    super("canceled", `query was canceled in ${where}`);
  }
}

/** The query would hold more samples in memory than --query.max-samples allows (code execution). */
export class TooManySamplesError extends QuiverError {
  constructor() {
    super("execution", "query processing would load too many samples into memory in query execution");
  }
}

/** Any other evaluation error (code execution): duplicate label sets, many-to-many matching, … */
export class ExecutionError extends QuiverError {
  constructor(message: string) {
    super("execution", message);
  }
}

/** A storage failure while selecting series (code execution). */
export class StorageError extends QuiverError {
  constructor(message: string, cause?: unknown) {
    super("execution", message, { cause });
  }
}
