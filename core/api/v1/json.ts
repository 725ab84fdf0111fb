/**
 * @module core/api/v1/json
 * JSON rendering with Prometheus's conventions, which plain JSON.stringify does not follow:
 * - label sets ({@link Labels}) become objects in label-name order (JS objects would move integer-like
 *   keys first);
 * - `Map`s are written with sorted keys, as Go's encoding/json writes maps;
 * - sample values are strings ("NaN", "+Inf", "1e-07"), see {@link formatApiFloat};
 * - sample timestamps are float seconds with at most millisecond precision, see {@link formatApiTime};
 * - `Date`s and {@link Rfc3339} values are RFC 3339 strings with nanosecond-style trimming, like Go's
 *   time.Time.
 * Plain objects keep their insertion order (handlers build them in Prometheus's struct field order);
 * `undefined` fields are omitted (Go's omitempty where the handler chose it).
 */
import { Labels } from "../../model/labels.ts";

/** A pre-rendered JSON fragment, inserted verbatim. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A timestamp in ms since the epoch rendered as an RFC 3339 string (0 renders as Go's zero time). */
export class Rfc3339 {
  constructor(readonly ms: number) {}
}

/**
 * Formats a sample value as Prometheus's API does (Go strconv 'f' format, switching to 'e' format for
 * magnitudes below 1e-6 or from 1e21 on; "NaN", "+Inf", "-Inf").
 * @example formatApiFloat(1e-7) // "1e-07"
 */
export function formatApiFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const abs = Math.abs(v);
  if (abs < 1e-6 || abs >= 1e21) return goExp(v.toExponential());
  const s = String(v);
  return s.includes("e") ? expandPlain(v) : s;
}

/** Go's strconv.FormatFloat(v, 'e', -1, 64), e.g. "1e+00", "1.5e-07" (used for alert values). */
export function formatGoExp(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return goExp(v.toExponential());
}

function goExp(js: string): string {
  const i = js.indexOf("e");
  const mant = js.slice(0, i);
  const sign = js[i + 1] === "-" ? "-" : "+";
  const digits = js.slice(i + 2);
  return `${mant}e${sign}${digits.length < 2 ? "0" + digits : digits}`;
}

/** Plain decimal for values JS prints in exponent form between 1e-7 and 1e21 (only tiny ones). */
function expandPlain(v: number): string {
  const js = v.toExponential();
  const neg = js.startsWith("-");
  const body = neg ? js.slice(1) : js;
  const [mant, expStr] = body.split("e") as [string, string];
  const exp = Number(expStr);
  const digits = mant.replace(".", "");
  let out: string;
  if (exp < 0) out = "0." + "0".repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) out = digits + "0".repeat(exp + 1 - digits.length);
  else out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  return neg ? "-" + out : out;
}

/** ".001" … ".999" with trailing zeros dropped, indexed by the millisecond fraction. */
const FRACTIONS: readonly string[] = Array.from({ length: 1000 }, (_, f) => (f === 0 ? "" : "." + String(f).padStart(3, "0").replace(/0+$/, "")));

/**
 * Formats a sample timestamp (ms) as Prometheus's API does: seconds with the millisecond fraction,
 * trailing zeros dropped, e.g. 1795539223507 → "1795539223.507", 1000 → "1".
 */
export function formatApiTime(ms: number): string {
  if (ms >= 0 && Number.isSafeInteger(ms)) {
    const sec = Math.floor(ms / 1000);
    const frac = ms - sec * 1000;
    return frac === 0 ? String(sec) : String(sec) + FRACTIONS[frac]!;
  }
  const neg = ms < 0;
  const a = Math.abs(Math.trunc(ms));
  const sec = Math.floor(a / 1000);
  const frac = a % 1000;
  let s = String(sec);
  if (frac !== 0) s += "." + String(frac).padStart(3, "0").replace(/0+$/, "");
  return neg && a !== 0 ? "-" + s : s;
}

/**
 * Formats ms since the epoch as Go's time.Time JSON (RFC3339Nano, UTC, trailing fractional zeros
 * dropped). 0 is Go's zero time "0001-01-01T00:00:00Z", which is what Prometheus shows for "never".
 */
export function formatRfc3339(ms: number): string {
  if (ms === 0 || !Number.isFinite(ms)) return "0001-01-01T00:00:00Z";
  const iso = new Date(Math.trunc(ms)).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_m, f: string) => {
    const t = f.replace(/0+$/, "");
    return t === "" ? "Z" : `.${t}Z`;
  });
}

/** Renders a value with the conventions in the module header. */
export function toJson(v: unknown): string {
  const out: string[] = [];
  write(v, out);
  return out.join("");
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push("null");
    return;
  }
  switch (typeof v) {
    case "string":
      out.push(JSON.stringify(v));
      return;
    case "number":
      out.push(Number.isFinite(v) ? String(v) : "null");
      return;
    case "boolean":
      out.push(v ? "true" : "false");
      return;
    case "bigint":
      out.push(v.toString());
      return;
    default:
      break;
  }
  if (v instanceof RawJson) {
    out.push(v.text);
  } else if (v instanceof Labels) {
    out.push(labelsJson(v));
  } else if (v instanceof Rfc3339) {
    out.push(JSON.stringify(formatRfc3339(v.ms)));
  } else if (v instanceof Date) {
    out.push(JSON.stringify(formatRfc3339(v.getTime())));
  } else if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",");
      write(v[i], out);
    }
    out.push("]");
  } else if (v instanceof Map) {
    const keys = [...v.keys()].map(String).sort(byteOrder);
    out.push("{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(k), ":");
      write(v.get(k), out);
    });
    out.push("}");
  } else {
    out.push("{");
    let first = true;
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (val === undefined) continue;
      if (!first) out.push(",");
      first = false;
      out.push(JSON.stringify(k), ":");
      write(val, out);
    }
    out.push("}");
  }
}

/** A label set as a JSON object, in label-name order. */
export function labelsJson(ls: Labels): string {
  const parts: string[] = [];
  ls.forEach((n, val) => parts.push(`${JSON.stringify(n)}:${JSON.stringify(val)}`));
  return `{${parts.join(",")}}`;
}

/** Go's string ordering (bytewise on UTF-8; equal to UTF-16 order except for astral characters). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
