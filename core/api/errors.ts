/**
 * @module core/api/errors
 * The one place where errors become HTTP API answers, as Prometheus's `returnAPIError` and
 * `respondError` do. A thrown value is classified into an API errorType (bad_data, execution, timeout,
 * canceled, internal, not_found, unavailable, not_acceptable) and each errorType has exactly one HTTP
 * status. QuiverError subclasses carry a stable `code`; plain errors fall back to a caller-chosen type
 * (query evaluation falls back to `execution`, as Prometheus does; everything else to `internal`).
 *
 * Invariant: the body of an error answer is `{"status":"error","errorType":…,"error":…}` (plus `data`
 * when a handler supplies partial data), always with Content-Type application/json.
 */
import { StorageError as EngineStorageError } from "../promql/engine/errors.ts";
import { QuiverError, type ErrorCode } from "../util/errors.ts";

/** Prometheus's API error types. */
export type ErrorType =
  | "bad_data" | "execution" | "timeout" | "canceled" | "internal" | "not_found" | "unavailable" | "not_acceptable";

/**
 * HTTP status of each error type (Prometheus's respondError table; 499 is nginx's "client closed request").
 * `unavailable` is 503 as Quiver's API contract specifies; Prometheus's own table has no case for it and
 * falls through to 500 (its admin endpoints answer "admin APIs disabled" with 500).
 */
export const STATUS_BY_ERROR_TYPE: Readonly<Record<ErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  not_found: 404,
  unavailable: 503,
  not_acceptable: 406,
};

/** Error type of each QuiverError code. A config error reaching the API is Quiver's own fault: internal. */
const TYPE_BY_CODE: Readonly<Record<ErrorCode, ErrorType>> = {
  bad_data: "bad_data",
  execution: "execution",
  canceled: "canceled",
  timeout: "timeout",
  internal: "internal",
  not_found: "not_found",
  unavailable: "unavailable",
  config: "internal",
};

/**
 * An error raised by the API layer itself with an explicit error type (for example `not_acceptable`,
 * which has no QuiverError code).
 */
export class ApiError extends QuiverError {
  constructor(readonly errorType: ErrorType, message: string, options?: { cause?: unknown }) {
    super(errorType === "not_acceptable" ? "bad_data" : errorType, message, options);
  }
}

/** A classified error: what goes into the envelope and the status line. */
export interface ClassifiedError {
  errorType: ErrorType;
  message: string;
  status: number;
}

/**
 * Classifies any thrown value. `fallback` is the type of errors without a code (Prometheus treats
 * unknown query errors as `execution`; the other endpoints use `internal`). An aborted request
 * (DOMException AbortError) is `canceled`; a DOMException TimeoutError is `timeout`.
 */
export function classifyError(e: unknown, fallback: ErrorType = "internal"): ClassifiedError {
  let errorType: ErrorType = fallback;
  if (e instanceof ApiError) errorType = e.errorType;
  else if (e instanceof EngineStorageError) errorType = "internal"; // Prometheus: promql.ErrStorage → internal
  else if (e instanceof QuiverError) errorType = TYPE_BY_CODE[e.code] ?? fallback;
  else if (isNamed(e, "AbortError")) errorType = "canceled";
  else if (isNamed(e, "TimeoutError")) errorType = "timeout";
  const message = e instanceof Error ? e.message : String(e);
  return { errorType, message, status: STATUS_BY_ERROR_TYPE[errorType] };
}

function isNamed(e: unknown, name: string): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === name;
}

/** The JSON body of an error answer, in Prometheus's field order. `dataJson` is pre-rendered JSON. */
export function errorBody(c: ClassifiedError, dataJson?: string): string {
  const data = dataJson === undefined ? "" : `"data":${dataJson},`;
  return `{"status":"error",${data}"errorType":${JSON.stringify(c.errorType)},"error":${JSON.stringify(c.message)}}`;
}

/** Renders any thrown value as a complete API error Response. */
export function errorResponse(e: unknown, fallback: ErrorType = "internal", dataJson?: string): Response {
  const c = classifyError(e, fallback);
  return new Response(errorBody(c, dataJson), { status: c.status, headers: { "content-type": "application/json" } });
}
