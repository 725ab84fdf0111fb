/**
 * @module core/log/logger
 * Structured logging in logfmt (default) or JSON, in the shape Prometheus 3 writes with Go's slog:
 * `time=2026-11-24T19:00:00.000Z level=INFO source=… msg="…" key=value`. Loggers are values passed in
 * (no global logger); `child(fields)` adds context such as `component=tsdb`.
 */

/** Log levels, in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";
/** Output formats, as --log.format accepts them. */
export type LogFormat = "logfmt" | "json";

/** The logging interface every component takes. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; default stderr. Receives a complete line without trailing newline. */
  write?: (line: string) => void;
  /** Clock in ms since the epoch; default Date.now. */
  now?: () => number;
}

/** Creates a logger. */
export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = RANK[opts.level ?? "info"];
  const format = opts.format ?? "logfmt";
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const now = opts.now ?? Date.now;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const all: Record<string, unknown> = { time: new Date(now()).toISOString(), level: level.toUpperCase(), ...base, msg, ...fields };
    write(format === "json" ? JSON.stringify(all, jsonReplacer) : toLogfmt(all));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** A logger that drops everything (for tests and benchmarks). */
export const nopLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() {
    return nopLogger;
  },
};

function jsonReplacer(_k: string, v: unknown): unknown {
  if (v instanceof Error) return v.message;
  if (typeof v === "bigint") return v.toString();
  return v;
}

/** Renders fields as logfmt, quoting values that contain spaces, quotes, `=` or are empty. */
export function toLogfmt(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, raw] of Object.entries(fields)) {
    if (raw === undefined) continue;
    let v = raw instanceof Error ? raw.message : typeof raw === "object" && raw !== null ? JSON.stringify(raw) : String(raw);
    if (v === "" || /[\s"=\\]/.test(v) || /[\x00-\x1f]/.test(v)) v = JSON.stringify(v);
    parts.push(`${k}=${v}`);
  }
  return parts.join(" ");
}

/** Parses a --log.level value; throws on anything else. */
export function parseLogLevel(s: string): LogLevel {
  if (s === "debug" || s === "info" || s === "warn" || s === "error") return s;
  throw new Error(`unrecognized log level "${s}" (want debug, info, warn or error)`);
}
