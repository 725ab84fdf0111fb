/**
 * @module core/api/v1/params
 * Request parameters as Prometheus reads them: URL query values plus, for POST/PUT with
 * `application/x-www-form-urlencoded`, the form body (Go's `r.FormValue` prefers the body; `r.Form`
 * lists body values before URL values). Also Prometheus's parsers for times (float Unix seconds or
 * RFC 3339, plus the min/max sentinels clients send), durations (float seconds or Prometheus duration),
 * `limit`, and `match[]` selectors, with Prometheus's error messages.
 *
 * Times are returned in ms since the epoch; durations in ms (may be fractional for sub-ms floats).
 */
import type { Matcher } from "../../model/matcher.ts";
import { parseSeriesSelector } from "../../promql/parser/index.ts";
import { parseDuration as parsePromDuration } from "../../util/duration.ts";
import { BadDataError } from "../../util/errors.ts";

/** The parameters of one request. */
export class Params {
  constructor(
    /** The request URL. */
    readonly url: URL,
    /** Decoded form body values, or null when the request has none. */
    readonly form: URLSearchParams | null,
    /** Route path parameters (e.g. `name` of /label/:name/values), already URL-decoded. */
    readonly path: Readonly<Record<string, string>>,
    /** Aborted when the client goes away. */
    readonly signal: AbortSignal,
    readonly method: string,
    readonly headers: Headers,
  ) {}

  /** The first value of `name` (form body first, then URL), or "" (Go's FormValue). */
  get(name: string): string {
    return this.form?.get(name) ?? this.url.searchParams.get(name) ?? "";
  }

  /** All values of `name`: form body values, then URL values (Go's r.Form[name]). */
  getAll(name: string): string[] {
    return [...(this.form?.getAll(name) ?? []), ...this.url.searchParams.getAll(name)];
  }

  /** Whether the parameter was given at all. */
  has(name: string): boolean {
    return (this.form?.has(name) ?? false) || this.url.searchParams.has(name);
  }
}

/**
 * Reads a request's parameters. The body is read only for form-encoded POST/PUT/DELETE requests; the
 * caller must not have consumed it (routes use Elysia's `parse: 'none'`).
 */
export async function readParams(request: Request, path: Record<string, string> = {}): Promise<Params> {
  const url = new URL(request.url);
  let form: URLSearchParams | null = null;
  const ct = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (request.method !== "GET" && request.method !== "HEAD" && ct === "application/x-www-form-urlencoded" && request.body) {
    let text: string;
    try {
      text = await request.text();
    } catch (e) {
      throw new BadDataError(`error parsing form values: ${(e as Error).message}`);
    }
    checkEscapes(text);
    form = new URLSearchParams(text);
  }
  const decoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(path)) decoded[k] = safeDecode(v);
  return new Params(url, form, decoded, request.signal, request.method, request.headers);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Rejects malformed percent escapes the way Go's url.ParseQuery does. */
function checkEscapes(body: string): void {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(body);
  if (bad) throw new BadDataError(`error parsing form values: invalid URL escape ${JSON.stringify(body.slice(bad.index, bad.index + 3))}`);
}

/** Wraps a parameter error as Prometheus's invalidParamError does: `invalid parameter "name": reason`. */
export function invalidParam(name: string, reason: unknown): BadDataError {
  const msg = reason instanceof Error ? reason.message : String(reason);
  return new BadDataError(`invalid parameter ${JSON.stringify(name)}: ${msg}`, { cause: reason });
}

/** Prometheus's default start of optional ranges: time.Unix(MinInt64/1000+62135596801, 0), in ms. */
export const MIN_TIME_MS = (-9223372036854775 + 62135596801) * 1000;
/** Prometheus's default end of optional ranges: time.Unix(MaxInt64/1000-62135596801, 999999999), in ms. */
export const MAX_TIME_MS = (9223372036854775 - 62135596801) * 1000 + 999;
/** How Go formats the two sentinels (clients such as Grafana and promtool send them back). */
export const MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
export const MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

const FLOAT_RE = /^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses Go's strconv.ParseFloat decimal syntax (no hex, no NaN/Inf); null when not a number. */
function parseGoFloat(s: string): number | null {
  if (!FLOAT_RE.test(s) || s.includes("_")) return null;
  return Number(s);
}

/**
 * Parses a time as Prometheus's API does: Unix seconds as a float (rounded to ms), RFC 3339 with
 * optional fraction and offset, or one of the min/max sentinel strings. Returns ms.
 * Throws BadDataError `cannot parse "x" to a valid timestamp`.
 */
export function parseTime(s: string): number {
  const f = parseGoFloat(s);
  if (f !== null && Number.isFinite(f)) {
    // Go: s, ns := math.Modf(t); ns = math.Round(ns*1000)/1000; time.Unix(int64(s), int64(ns*1e9)), then
    // timestamp.FromTime (ms, truncating nanoseconds). Mirrored step by step so rounding agrees.
    let sec = Math.trunc(f);
    const frac = goRound((f - sec) * 1000) / 1000;
    let ns = Math.trunc(frac * 1e9);
    if (ns < 0) {
      sec -= 1;
      ns += 1e9;
    } else if (ns >= 1e9) {
      sec += 1;
      ns -= 1e9;
    }
    return sec * 1000 + Math.floor(ns / 1e6);
  }
  const m = RFC3339_RE.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, fr, zone] = m;
    const Y = +y!, M = +mo!, D = +d!, H = +h!, MI = +mi!, S = +sec!;
    const valid = M >= 1 && M <= 12 && D >= 1 && D <= daysIn(Y, M) && H < 24 && MI < 60 && S < 60;
    if (valid) {
      let ms = Date.UTC(Y, M - 1, D, H, MI, S);
      if (Y < 100) ms = new Date(ms).setUTCFullYear(Y);
      if (fr) ms += Number((fr.slice(1) + "00").slice(0, 3)); // nanoseconds truncated to ms, as FromTime does
      if (zone !== "Z" && zone !== "z") {
        const sign = zone![0] === "-" ? -1 : 1;
        const zh = +zone!.slice(1, 3), zm = +zone!.slice(4, 6);
        if (zh < 24 && zm < 60) return ms - sign * (zh * 3600_000 + zm * 60_000);
      } else return ms;
    }
  }
  if (s === MIN_TIME_FORMATTED) return MIN_TIME_MS;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME_MS;
  throw new BadDataError(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Reads an optional time parameter; "" gives `dflt`. Errors read
 * `invalid parameter "start": Invalid time value for 'start': cannot parse …`.
 */
export function timeParam(p: Params, name: string, dflt: number): number {
  const v = p.get(name);
  if (v === "") return dflt;
  try {
    return parseTime(v);
  } catch (e) {
    throw invalidParam(name, `Invalid time value for '${name}': ${(e as Error).message}`);
  }
}

const MAX_INT64_NS = 9223372036854775807;

/**
 * Parses a duration as Prometheus's API does: float seconds or a Prometheus duration string ("1m30s").
 * Returns ms (fractional for sub-millisecond floats). Throws BadDataError with Prometheus's message.
 */
export function parseDurationParam(s: string): number {
  const f = parseGoFloat(s);
  if (f !== null) {
    const ns = f * 1e9;
    if (ns > MAX_INT64_NS || ns < -MAX_INT64_NS) throw new BadDataError(`cannot parse ${JSON.stringify(s)} to a valid duration. It overflows int64`);
    return Math.trunc(ns) / 1e6;
  }
  try {
    return parsePromDuration(s);
  } catch {
    throw new BadDataError(`cannot parse ${JSON.stringify(s)} to a valid duration`);
  }
}

/**
 * Reads the `limit` parameter: "" gives 0 (no limit); otherwise a non-negative integer.
 * Errors read `invalid parameter "limit": …`.
 */
export function limitParam(p: Params, name = "limit"): number {
  const s = p.get(name);
  if (s === "") return 0;
  if (!/^[+-]?\d+$/.test(s)) throw invalidParam(name, `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < 0) throw invalidParam(name, "limit must be non-negative");
  return n;
}

/**
 * Parses `match[]` selectors. Each must be a series selector with at least one matcher that does not
 * match the empty string (Prometheus's parseMatchersParam). Throws BadDataError.
 */
export function parseMatchersParam(selectors: readonly string[]): Matcher[][] {
  const sets: Matcher[][] = [];
  for (const s of selectors) {
    const vs = parseSeriesSelector(s);
    sets.push(vs.matchers);
  }
  for (const ms of sets) {
    if (!ms.some((m) => !m.matchesEmpty())) throw new BadDataError("match[] must contain at least one non-empty matcher");
  }
  return sets;
}
