/**
 * @module core/exposition/number
 * The number grammar of the exposition formats and Prometheus's canonical text for `le`/`quantile`.
 *
 * Accepted: Go-syntax decimal floats (optional sign, digits with optional fraction and exponent) and
 * case-insensitive `Inf`/`Infinity` (optionally signed) and `NaN`. Rejected: hex floats and `_`
 * separators, which Prometheus's parsers refuse too.
 */
import { formatGoFloat } from "./float.ts";

/**
 * Parses `s[a, b)` as a Go-syntax decimal float (what Prometheus accepts): optional sign, digits with an
 * optional fraction and exponent, or case-insensitive `Inf`/`Infinity` (optionally signed) and `NaN`.
 * Hex floats and `_` separators are rejected. Returns undefined when the token is not a number.
 */
export function parseFloatToken(s: string, a: number, b: number, allowSpecial = true): number | undefined {
  if (a >= b) return undefined;
  let i = a;
  let c = s.charCodeAt(i);
  let neg = false;
  if (c === 43 || c === 45) {
    neg = c === 45;
    if (++i >= b) return undefined;
    c = s.charCodeAt(i);
  }
  if (c > 57) {
    if (!allowSpecial) return undefined;
    const w = s.slice(i, b).toLowerCase();
    if (w === "inf" || w === "infinity") return neg ? -Infinity : Infinity;
    if (w === "nan" && i === a) return NaN;
    return undefined;
  }
  let int = 0;
  let digits = 0;
  let simple = true;
  let sawDigit = false;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (digits < 15) int = int * 10 + (c - 48);
      else simple = false;
      if (int !== 0) digits++;
      continue;
    }
    if (c === 46) return sawDotOrExp(s, i, b, sawDigit) ? Number(s.slice(a, b)) : undefined;
    if ((c === 101 || c === 69) && sawDigit) return exponentOk(s, i + 1, b) ? Number(s.slice(a, b)) : undefined;
    return undefined;
  }
  if (!sawDigit) return undefined;
  if (simple) return neg ? -int : int;
  return Number(s.slice(a, b));
}

/** Validates the rest of a number from the `.` at `i`: digits, then an optional exponent. */
function sawDotOrExp(s: string, i: number, b: number, sawDigit: boolean): boolean {
  i++;
  for (; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      continue;
    }
    if ((c === 101 || c === 69) && sawDigit) return exponentOk(s, i + 1, b);
    return false;
  }
  return sawDigit;
}

function exponentOk(s: string, i: number, b: number): boolean {
  if (i < b && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  if (i >= b) return false;
  for (; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Prometheus's canonical text for a numeric `le`/`quantile` value: Go's shortest `%g`, with `.0` added when
 * there is neither a `.` nor an exponent (`1` → `1.0`, `1000000` → `1e+06`). Non-numbers stay as written.
 */
export function canonicalFloatLabel(v: string): string {
  const f = parseFloatToken(v, 0, v.length);
  if (f === undefined) return v;
  const out = formatGoFloat(f);
  if (f !== f || f === Infinity || f === -Infinity) return out;
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c === 46 || c === 101) return out;
  }
  return out + ".0";
}
