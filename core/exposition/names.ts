/**
 * @module core/exposition/names
 * Character classes and escaping shared by the parsers and writers.
 *
 * Legacy names follow Prometheus: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
 * `[a-zA-Z_][a-zA-Z0-9_]*`. Any other non-empty valid UTF-8 name is allowed since Prometheus 3 but must be
 * written quoted (`{"my.metric", "label.x"="v"}`). Escaping differs by place: label values escape `\`,
 * `"` and newline in both formats; HELP text escapes only `\` and newline in text 0.0.4, and also `"` in
 * OpenMetrics.
 */

/** Whether `c` (a UTF-16 code unit) may start a legacy metric name. */
export function isMetricNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

/** Whether `c` may continue a legacy metric name. */
export function isMetricNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || (c >= 48 && c <= 57);
}

/** Whether `c` may start a legacy label name. */
export function isLabelNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Whether `c` may continue a legacy label name. */
export function isLabelNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/** Whether `name` is a legacy (unquoted) metric name. */
export function isLegacyMetricName(name: string): boolean {
  if (name.length === 0 || !isMetricNameStart(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) if (!isMetricNameChar(name.charCodeAt(i))) return false;
  return true;
}

/** Whether `name` is a legacy (unquoted) label name. */
export function isLegacyLabelName(name: string): boolean {
  if (name.length === 0 || !isLabelNameStart(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) if (!isLabelNameChar(name.charCodeAt(i))) return false;
  return true;
}

/** Whether `s` is well-formed UTF-16 (no lone surrogates), i.e. encodes to valid UTF-8. */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/**
 * Rewrites a name for the `underscores` escaping scheme (Prometheus's default for scrapers that did not
 * ask for `escaping=allow-utf-8`): every character outside the legacy set becomes `_`, and a leading
 * digit gets a `_` prefix.
 */
export function escapeNameUnderscores(name: string, isMetric: boolean): string {
  if (isMetric ? isLegacyMetricName(name) : isLegacyLabelName(name)) return name;
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++; // one `_` per code point
    const ok = i === 0 ? (isMetric ? isMetricNameStart(c) : isLabelNameStart(c)) : isMetric ? isMetricNameChar(c) : isLabelNameChar(c);
    if (ok) out += name[i];
    else if (i === 0 && c >= 48 && c <= 57) out += "_" + name[i];
    else out += "_";
  }
  return out || "_";
}

const NEEDS_VALUE_ESCAPE = /[\\"\n]/;
const NEEDS_HELP_ESCAPE = /[\\\n]/;
const NEEDS_OM_HELP_ESCAPE = /[\\"\n]/;

/** Escapes a label value (both formats): `\` → `\\`, `"` → `\"`, newline → `\n`. */
export function escapeLabelValue(v: string): string {
  if (!NEEDS_VALUE_ESCAPE.test(v)) return v;
  return v.replace(/[\\"\n]/g, escapeChar);
}

/** Escapes text-format 0.0.4 HELP text: `\` → `\\`, newline → `\n` (quotes stay as they are). */
export function escapeHelpText(v: string): string {
  if (!NEEDS_HELP_ESCAPE.test(v)) return v;
  return v.replace(/[\\\n]/g, escapeChar);
}

/** Escapes OpenMetrics HELP text: `\` → `\\`, `"` → `\"`, newline → `\n`. */
export function escapeHelpOpenMetrics(v: string): string {
  if (!NEEDS_OM_HELP_ESCAPE.test(v)) return v;
  return v.replace(/[\\"\n]/g, escapeChar);
}

function escapeChar(c: string): string {
  return c === "\n" ? "\\n" : "\\" + c;
}

/** Unescapes a quoted label value or name: `\\`, `\"`, `\n`; any other escape is kept as written. */
export function unescapeLabelValue(s: string, a: number, b: number): string {
  let out = "";
  let from = a;
  for (let i = a; i < b; i++) {
    if (s.charCodeAt(i) !== 92 || i + 1 >= b) continue;
    const d = s.charCodeAt(i + 1);
    const rep = d === 92 ? "\\" : d === 34 ? '"' : d === 110 ? "\n" : null;
    if (rep === null) {
      i++;
      continue;
    }
    out += s.slice(from, i) + rep;
    i++;
    from = i + 1;
  }
  return out + s.slice(from, b);
}

/** Unescapes HELP text: `\\` and `\n`, plus `\"` when `quotes` (OpenMetrics); other escapes stay as written. */
export function unescapeHelp(s: string, a: number, b: number, quotes: boolean): string {
  let i = s.indexOf("\\", a);
  if (i < 0 || i >= b) return s.slice(a, b);
  let out = "";
  let from = a;
  for (; i < b; i++) {
    if (s.charCodeAt(i) !== 92 || i + 1 >= b) continue;
    const d = s.charCodeAt(i + 1);
    const rep = d === 92 ? "\\" : d === 110 ? "\n" : quotes && d === 34 ? '"' : null;
    if (rep === null) {
      i++;
      continue;
    }
    out += s.slice(from, i) + rep;
    i++;
    from = i + 1;
  }
  return out + s.slice(from, b);
}
