/**
 * @module core/exposition/number
 * The number grammar of the exposition formats and Prometheus's canonical text for `le`/`quantile`.
 *
 * Accepted: Go-syntax decimal floats (optional sign, digits with optional fraction and exponent) and
 * case-insensitive `Inf`/`Infinity` (optionally signed) and `NaN`. Rejected: hex floats and `_`
 * separators, which Prometheus's parsers refuse too.
 */
import { formatGoFloat } from "./float.ts";

/** Exact powers of ten representable as doubles (10^0 … 10^22). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Parses `s[a, b)` as a Go-syntax decimal float (what Prometheus accepts): optional sign, digits with an
 * optional fraction and exponent, or case-insensitive `Inf`/`Infinity` (optionally signed) and `NaN`.
 * Hex floats and `_` separators are rejected. Returns undefined when the token is not a number.
 *
 * One pass, no allocation for the common case: up to 15 significant digits with a decimal exponent of
 * magnitude at most 22 are converted exactly (an exact integer times or divided by an exact power of ten
 * is correctly rounded); anything longer goes through `Number()`.
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
  let mant = 0;
  let sig = 0;
  let frac = 0;
  let exact = true;
  let sawDigit = false;
  let sawDot = false;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (sig < 15) {
        mant = mant * 10 + (c - 48);
        if (mant !== 0) sig++;
        if (sawDot) frac++;
      } else exact = false;
      continue;
    }
    if (c === 46 && !sawDot) {
      sawDot = true;
      continue;
    }
    break;
  }
  if (!sawDigit) return undefined;
  let exp = 0;
  if (i < b) {
    if (c !== 101 && c !== 69) return undefined;
    if (++i < b && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
    const eneg = c === 45;
    if (i >= b) return undefined;
    for (; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      if (exp < 100000) exp = exp * 10 + (c - 48);
    }
    if (eneg) exp = -exp;
  }
  if (!exact) return Number(s.slice(a, b));
  const e10 = exp - frac;
  let v: number;
  if (e10 === 0) v = mant;
  else if (e10 > 0 && e10 <= 22) v = mant * POW10[e10]!;
  else if (e10 < 0 && e10 >= -22) v = mant / POW10[-e10]!;
  else return Number(s.slice(a, b));
  return neg ? -v : v;
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
