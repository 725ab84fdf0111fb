/**
 * @module core/util/errors
 * The base of Quiver's typed errors. Every error that reaches a user carries a stable `code`; the API
 * layer (core/api/errors.ts) maps codes to Prometheus's errorType and HTTP status in one place.
 */

/** Stable error codes. Each maps to one Prometheus API errorType. */
export type ErrorCode =
  | "bad_data" | "execution" | "canceled" | "timeout" | "internal" | "not_found" | "unavailable" | "config";

/** Base class of Quiver's errors. */
export class QuiverError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid input from a user (a query, a parameter, a body). */
export class BadDataError extends QuiverError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("bad_data", message, options);
  }
}

/** A configuration problem: names the file, the key path and the reason. */
export class ConfigError extends QuiverError {
  constructor(message: string, readonly file?: string, readonly path?: string, options?: { cause?: unknown }) {
    super("config", message, options);
  }
}

/** A resource that does not exist. */
export class NotFoundError extends QuiverError {
  constructor(message: string) {
    super("not_found", message);
  }
}

/** A component is not ready or disabled. */
export class UnavailableError extends QuiverError {
  constructor(message: string) {
    super("unavailable", message);
  }
}

/** A broken internal invariant: a bug in Quiver, never a user error. */
export class BugError extends QuiverError {
  constructor(message: string) {
    super("internal", `BUG: ${message}`);
  }
}

/** Returns the message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
