/**
 * @module static/js/lib/dom
 * Tiny DOM and formatting helpers shared by every page: an element builder that never interprets
 * strings as HTML (text is always set as text), and formatters for times, durations, numbers and
 * label sets in Prometheus's notation.
 */

/**
 * Creates an element. `attrs` keys starting with "on" add listeners; `class`, `style` (string), `dataset`
 * keys and boolean attributes are handled; children may be nodes, strings, numbers, arrays or null.
 * @param {string} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "value" && "value" in el) /** @type {any} */ (el).value = v;
    else if (k === "checked") /** @type {any} */ (el).checked = !!v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** @param {Node} el @param {any[]} children */
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces all children of `el`. @param {Element} el @param {...any} children */
export function replace(el, ...children) {
  el.textContent = "";
  append(el, children);
}

/** The route prefix of every UI and API URL ("" or "/a/b"). */
export const PREFIX = typeof document === "undefined" ? "" : document.querySelector('meta[name="quiver-prefix"]')?.getAttribute("content") ?? "";

/** Formats a label set as `{a="b", c="d"}` (values escaped as PromQL strings). @param {Record<string,string>} labels */
export function formatLabels(labels) {
  const parts = Object.keys(labels).filter((k) => k !== "__name__").sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(", ")}}`;
}

/** Formats a series name as `name{labels}` (or just `{labels}`). @param {Record<string,string>} metric */
export function formatSeries(metric) {
  const name = metric.__name__ ?? "";
  const rest = Object.keys(metric).filter((k) => k !== "__name__");
  return rest.length === 0 && name ? name : name + formatLabels(metric);
}

/** Formats seconds as a short Prometheus duration (`1h30m`, `15s`, `250ms`). @param {number} s */
export function formatDurationSec(s) {
  if (!isFinite(s)) return String(s);
  if (s === 0) return "0s";
  let ms = Math.round(s * 1000);
  /** @type {[string, number][]} */
  const units = [["y", 31536000000], ["w", 604800000], ["d", 86400000], ["h", 3600000], ["m", 60000], ["s", 1000], ["ms", 1]];
  let out = "";
  for (const [u, n] of units) {
    const k = Math.floor(ms / n);
    if (k > 0) {
      out += `${k}${u}`;
      ms -= k * n;
    }
  }
  return out;
}

/**
 * Parses a Prometheus duration (`1h30m`, `90s`, `500ms`, or a plain number of seconds) into seconds.
 * Returns null when malformed. @param {string} s
 */
export function parseDurationSec(s) {
  s = s.trim();
  if (s === "") return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  const mult = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0, m, pos = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * mult[/** @type {keyof typeof mult} */ (m[2])];
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : null;
}

/** Formats a scrape or evaluation duration given in seconds (`2.450ms`, `1.203s`). @param {number} s */
export function formatLatency(s) {
  if (typeof s !== "number" || !isFinite(s)) return "-";
  return s < 1 ? `${(s * 1000).toFixed(3)}ms` : `${s.toFixed(3)}s`;
}

/** "3.2s ago" style text for an RFC 3339 time (or "never" for the zero time). @param {string} iso */
export function formatAgo(iso) {
  const t = Date.parse(iso);
  if (!iso || isNaN(t) || t <= 0 || iso.startsWith("0001-")) return "never";
  const d = (Date.now() - t) / 1000;
  if (d < 0) return "in the future";
  if (d < 60) return `${d.toFixed(1)}s ago`;
  return `${formatDurationSec(Math.round(d))} ago`;
}

/** UTC text of a millisecond timestamp: `2026-11-24 19:55:01`. @param {number} ms */
export function formatUtc(ms) {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "").replace("Z", "");
}

/** Parses `YYYY-MM-DD HH:MM[:SS]` (UTC) into ms, or null. @param {string} s */
export function parseUtc(s) {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d(?:\.\d+)?))?Z?$/.exec(s.trim());
  if (!m) return null;
  const sec = Number(m[6] ?? 0);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], Math.floor(sec), Math.round((sec % 1) * 1000));
}

/** Parses a Prometheus API sample value string ("1", "NaN", "+Inf", "-Inf"). @param {string} s */
export function parseSampleValue(s) {
  if (s === "+Inf" || s === "Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return Number(s);
}

const SI = ["", "k", "M", "G", "T", "P", "E"];
const IEC = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/**
 * Formats a number for an axis or legend in `unit`: "bytes" (IEC), "Bps" (bytes/s), "percent",
 * "seconds", or anything else as a plain short number (SI suffixes). `extra` adds significant digits
 * (for axis ticks closer together than the default precision shows).
 * @param {number | null | undefined} v @param {string} [unit] @param {number} [extra]
 */
export function formatValue(v, unit, extra = 0) {
  if (v === null || v === undefined) return "-";
  if (!isFinite(v)) return String(v).replace("Infinity", "Inf");
  if (unit === "bytes" || unit === "Bps") {
    let i = 0, x = Math.abs(v);
    while (x >= 1024 && i < IEC.length - 1) { x /= 1024; i++; }
    return `${v < 0 ? "-" : ""}${trim(x, extra)} ${IEC[i]}${unit === "Bps" ? "/s" : ""}`;
  }
  if (unit === "percent") return `${trim(v, extra)}%`;
  if (unit === "seconds") return formatDurationSec(Math.abs(v) >= 60 ? Math.round(v) : v);
  const a = Math.abs(v);
  if (a !== 0 && a < 0.001) return v.toExponential(2);
  let i = 0, x = a;
  while (x >= 1000 && i < SI.length - 1) { x /= 1000; i++; }
  return `${v < 0 ? "-" : ""}${trim(x, extra)}${SI[i]}`;
}

/** @param {number} x @param {number} extra */
function trim(x, extra) {
  const d = (x >= 100 ? 0 : x >= 10 ? 1 : 2) + extra;
  return String(+x.toFixed(d));
}

/**
 * Formats axis ticks in `unit`, adding digits until neighbouring ticks read differently.
 * @param {number[]} ticks @param {string} [unit]
 */
export function formatTicks(ticks, unit) {
  let out = ticks.map((t) => formatValue(t, unit));
  for (let extra = 1; extra <= 4 && new Set(out).size < out.length; extra++) out = ticks.map((t) => formatValue(t, unit, extra));
  return out;
}

/** Renders an error box. @param {unknown} err @param {string} [title] */
export function errorBox(err, title) {
  const msg = err instanceof Error ? err.message : String(err);
  return h("div", { class: "alert error", role: "alert" }, title ? h("strong", null, title + ": ") : null, msg);
}

/** Renders a list of warnings (or nothing). @param {string[] | undefined} warnings @param {string} [cls] */
export function warningBox(warnings, cls = "warning") {
  if (!warnings || warnings.length === 0) return null;
  return h("div", { class: `alert ${cls}`, role: "status" }, warnings.map((w) => h("div", null, w)));
}

/** Sets the UI status of an async section: a "Loading…" line. */
export function loading(text = "Loading…") {
  return h("div", { class: "loading" }, text);
}

/** Debounces `fn` by `ms`. @template {(...a: any[]) => void} F @param {F} fn @param {number} ms @returns {F} */
export function debounce(fn, ms) {
  /** @type {any} */ let t;
  return /** @type {F} */ ((...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  });
}

/** A health/state badge. @param {string} state */
export function badge(state) {
  return h("span", { class: `badge ${String(state).toLowerCase()}` }, state);
}

/** A small label list (chips). @param {Record<string,string>} labels */
export function labelChips(labels) {
  return h("span", { class: "chips" }, Object.keys(labels).sort().map((k) => h("span", { class: "chip" }, `${k}="${labels[k]}"`)));
}
