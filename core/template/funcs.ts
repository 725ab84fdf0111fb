/**
 * @module core/template/funcs
 * Function tables for templates: Go's text/template builtins ({@link goBuiltins}), the number and string
 * helpers Prometheus adds (humanize*, title, reReplaceAll, …; {@link humanizeFuncs}, {@link stringFuncs}).
 * Query-dependent Prometheus functions (query, first, label, value, …) live in prom-funcs.ts.
 *
 * Regexes are RE2 (translated by core/model/regex.ts); replacement strings use Go's `$1`/`${name}`
 * expansion. Numbers: Go ints are bigint, floats number (see go-fmt.ts).
 */
import { compileAnchored, compileUnanchored } from "../model/regex.ts";
import { expandTemplate } from "../relabel/template.ts";
import { parseDuration } from "../util/duration.ts";
import type { TemplateFunc } from "./exec.ts";
import { SafeHTML, truth } from "./exec.ts";
import { formatV, goTimeString, sprintf } from "./go-fmt.ts";

function basic(v: unknown): unknown {
  if (v instanceof SafeHTML) return v.value;
  return v;
}

function cmp(a: unknown, b: unknown, op: string): number {
  a = basic(a);
  b = basic(b);
  const num = (x: unknown) => typeof x === "number" || typeof x === "bigint";
  if (num(a) && num(b)) {
    if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a), y = Number(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean" && (op === "eq" || op === "ne")) return a === b ? 0 : 1;
  if ((a === null || a === undefined) && (b === null || b === undefined) && (op === "eq" || op === "ne")) return 0;
  if (op === "eq" || op === "ne") {
    if (typeof a === typeof b || a === null || b === null || a === undefined || b === undefined) return a === b ? 0 : 1;
  }
  throw new Error(`incompatible types for comparison`);
}

function lenOf(v: unknown): bigint {
  v = basic(v);
  if (typeof v === "string") return BigInt(new TextEncoder().encode(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof Map) return BigInt(v.size);
  if (v && typeof v === "object") return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${typeof v}`);
}

function indexOne(item: unknown, k: unknown): unknown {
  if (item === null || item === undefined) throw new Error("index of untyped nil");
  if (Array.isArray(item) || typeof item === "string") {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i >= item.length) throw new Error(`error calling index: index out of range: ${formatV(k)}`);
    return typeof item === "string" ? BigInt(new TextEncoder().encode(item)[i]!) : item[i];
  }
  if (item instanceof Map) return item.has(k) ? item.get(k) : zero(item.values());
  if (typeof item === "object") {
    const o = item as Record<string, unknown>;
    const key = String(k);
    return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : zero(Object.values(o));
  }
  throw new Error(`can't index item of type ${typeof item}`);
}

function zero(values: Iterable<unknown>): unknown {
  for (const v of values) return typeof v === "string" ? "" : undefined;
  return "";
}

function goPrint(args: unknown[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    const a = basic(args[i]);
    if (i > 0 && typeof a !== "string" && typeof basic(args[i - 1]) !== "string") out += " ";
    out += formatV(a);
  }
  return out;
}

/** Go's html/template-free HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'\0]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "\0": "\uFFFD" })[c]!);
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += "\\\"";
    else if (ch === "<") out += "\\u003C";
    else if (ch === ">") out += "\\u003E";
    else if (ch === "&") out += "\\u0026";
    else if (ch === "=") out += "\\u003D";
    else if (c < 0x20) out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Go text/template builtin functions. */
export function goBuiltins(): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    ["and", () => undefined], // short-circuit handled by the executor
    ["or", () => undefined],
    ["not", (x: unknown) => !truth(x)],
    ["len", lenOf],
    ["index", (item: unknown, ...keys: unknown[]) => keys.reduce((acc, k) => indexOne(acc, k), item)],
    ["slice", (item: unknown, ...idx: unknown[]) => {
      if (typeof item !== "string" && !Array.isArray(item)) throw new Error("can't slice item");
      const [i, j] = idx.map(Number);
      return item.slice(i ?? 0, j ?? item.length);
    }],
    ["print", (...a: unknown[]) => goPrint(a)],
    ["println", (...a: unknown[]) => a.map((x) => formatV(basic(x))).join(" ") + "\n"],
    ["printf", (f: unknown, ...a: unknown[]) => sprintf(String(basic(f)), a.map(basic))],
    ["eq", (a: unknown, ...bs: unknown[]) => {
      if (bs.length === 0) throw new Error("missing argument for comparison");
      return bs.some((b) => cmp(a, b, "eq") === 0);
    }],
    ["ne", (a: unknown, b: unknown) => cmp(a, b, "ne") !== 0],
    ["lt", (a: unknown, b: unknown) => cmp(a, b, "lt") < 0],
    ["le", (a: unknown, b: unknown) => cmp(a, b, "le") <= 0],
    ["gt", (a: unknown, b: unknown) => cmp(a, b, "gt") > 0],
    ["ge", (a: unknown, b: unknown) => cmp(a, b, "ge") >= 0],
    ["html", (...a: unknown[]) => htmlEscape(goPrint(a))],
    ["js", (...a: unknown[]) => jsEscape(goPrint(a))],
    ["urlquery", (...a: unknown[]) => queryEscape(goPrint(a))],
    ["call", (fn: unknown, ...a: unknown[]) => {
      if (typeof fn !== "function") throw new Error("non-function of type passed to call");
      return (fn as TemplateFunc)(...a);
    }],
  ]);
}

/** Converts a template argument to float64 as Prometheus's convertToFloat does. */
export function toFloat(v: unknown): number {
  v = basic(v);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") {
    const t = v.trim();
    if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
    if (/^nan$/i.test(t)) return NaN;
    const n = Number(t);
    if (t === "" || Number.isNaN(n)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }
  throw new Error(`can't convert ${formatV(v)} to float`);
}

function g4(v: number): string {
  return sprintf("%.4g", [v]);
}

/** Prometheus's humanize: SI prefixes, 4 significant digits. */
export function humanize(x: unknown): string {
  let v = toFloat(x);
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix;
}

/** Prometheus's humanize1024: binary prefixes (ki, Mi, …). */
export function humanize1024(x: unknown): string {
  let v = toFloat(x);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

/** Prometheus's humanizeDuration: seconds → `1d 2h 3m 4s`, `1.5s`, `500ms`. */
export function humanizeDuration(x: unknown): string {
  let v = toFloat(x);
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v) + "s";
  if (Math.abs(v) >= 1) {
    let sign = "";
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    const total = Math.trunc(v);
    const seconds = total % 60;
    const minutes = Math.trunc(total / 60) % 60;
    const hours = Math.trunc(total / 3600) % 24;
    const days = Math.trunc(total / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

/** Converts seconds since the epoch to a Date, as Prometheus's toTime; keeps nanoseconds for printing. */
function toTime(x: unknown): GoTime {
  const v = toFloat(x);
  if (!Number.isFinite(v)) throw new Error(`cannot convert ${formatV(v)} to time`);
  return new GoTime(v);
}

/** A time.Time value: prints as Go's Time.String() in UTC. */
export class GoTime {
  readonly date: Date;
  readonly nanos: number;
  constructor(readonly seconds: number) {
    const ns = Math.round(seconds * 1e9);
    const ms = Math.floor(ns / 1e6);
    this.date = new Date(ms);
    this.nanos = ((ns % 1e9) + 1e9) % 1e9;
  }
  toString(): string {
    return goTimeString(this.date, this.nanos);
  }
  /** Unix seconds (Go's t.Unix()). */
  Unix(): bigint {
    return BigInt(Math.floor(this.seconds));
  }
  /** RFC 3339 rendering. */
  Format(layout: string): string {
    if (layout === "2006-01-02T15:04:05Z07:00" || layout === "RFC3339") return this.date.toISOString().replace(/\.\d+Z$/, "Z");
    return this.toString();
  }
}

/** Number formatting functions shared by Prometheus and Alertmanager templates. */
export function humanizeFuncs(): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    ["humanize", humanize],
    ["humanize1024", humanize1024],
    ["humanizeDuration", humanizeDuration],
    ["humanizePercentage", (x: unknown) => sprintf("%.4g%%", [toFloat(x) * 100])],
    ["humanizeTimestamp", (x: unknown) => {
      const v = toFloat(x);
      if (!Number.isFinite(v)) return g4(v);
      return toTime(v).toString();
    }],
    ["toTime", toTime],
    ["toDuration", (x: unknown) => formatGoDuration(toFloat(x))],
    ["parseDuration", (s: unknown) => parseDuration(String(basic(s))) / 1000],
  ]);
}

/** Go's time.Duration.String() for seconds (e.g. `1h2m3.5s`). */
export function formatGoDuration(sec: number): string {
  if (sec === 0) return "0s";
  const neg = sec < 0;
  let s = Math.abs(sec);
  let out = "";
  if (s < 1) {
    const ns = Math.round(s * 1e9);
    if (ns < 1000) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trimZeros((ns / 1e3).toFixed(3))}µs`;
    else out = `${trimZeros((ns / 1e6).toFixed(6))}ms`;
  } else {
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (h) out += `${h}h`;
    if (h || m) out += `${m}m`;
    out += `${trimZeros(s.toFixed(9))}s`;
  }
  return (neg ? "-" : "") + out;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Go's strings.Title: upper-cases the first letter of each word. */
export function goTitle(s: string): string {
  let prev = " ";
  let out = "";
  for (const ch of s) {
    const sep = !/[\p{L}\p{N}_]/u.test(prev) ;
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/** String helpers Prometheus and Alertmanager templates share. */
export function stringFuncs(): Map<string, TemplateFunc> {
  const str = (x: unknown) => (typeof basic(x) === "string" ? (basic(x) as string) : formatV(basic(x)));
  return new Map<string, TemplateFunc>([
    ["toUpper", (s: unknown) => str(s).toUpperCase()],
    ["toLower", (s: unknown) => str(s).toLowerCase()],
    ["title", (s: unknown) => goTitle(str(s))],
    ["trimSpace", (s: unknown) => str(s).trim()],
    ["match", (re: unknown, s: unknown) => compileUnanchored(str(re)).test(str(s))],
    ["reReplaceAll", (pattern: unknown, repl: unknown, text: unknown) => {
      const re = compileUnanchored(str(pattern), true);
      const t = str(text);
      let out = "";
      let last = 0;
      for (let m = re.exec(t); m; m = re.exec(t)) {
        out += t.slice(last, m.index) + expandTemplate(str(repl), m);
        last = m.index + m[0].length;
        if (m[0].length === 0) re.lastIndex++;
      }
      return out + t.slice(last);
    }],
    ["safeHtml", (s: unknown) => new SafeHTML(str(s))],
    ["stripPort", (s: unknown) => {
      const h = str(s);
      const m = /^\[([^\]]+)\](?::\d*)?$/.exec(h) ?? /^([^:]+):\d*$/.exec(h);
      return m ? m[1]! : h;
    }],
    ["stripDomain", (s: unknown) => {
      const h = str(s);
      const m = /^(\[[^\]]+\]|[^:]+)(:\d+)?$/.exec(h);
      if (!m || m[1]!.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(m[1]!)) return h;
      return m[1]!.split(".")[0]! + (m[2] ?? "");
    }],
  ]);
}

/** Whether `s` matches the fully anchored RE2 `re` (used for label-matching helpers). */
export function matchAnchored(re: string, s: string): boolean {
  return compileAnchored(re).test(s);
}
