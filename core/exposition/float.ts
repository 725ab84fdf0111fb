/**
 * @module core/exposition/float
 * Number formatting and parsing as Go's exposition code does it.
 *
 * Writers format values as Go's `strconv.FormatFloat(v, 'g', -1, 64)` (what client_golang, node_exporter
 * and Prometheus's federation write): the shortest round-trip digits, in exponent form (`1.757232e+06`,
 * `1e-05`, at least two exponent digits) when the decimal exponent is < -4 or >= 6; `NaN`, `+Inf`, `-Inf`;
 * negative zero as `-0`. Note: core/model/value.ts `formatExposition` switches to exponents only at 1e21
 * (Go's `%v`), which is not what exposition writers emit, hence this separate function.
 */

/** Formats `v` as Go's `strconv.FormatFloat(v, 'g', -1, 64)`. */
export function formatGoFloat(v: number): string {
  if (v !== v) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return 1 / v < 0 ? "-0" : "0";
  const a = v < 0 ? -v : v;
  if (a >= 1e-4 && a < 1e6) return String(v); // JS prints plain decimal for every exponent in [-4, 5]
  const s = v.toExponential(); // shortest round-trip digits, e.g. "1.757232e+6"
  const e = s.indexOf("e");
  const sign = s.charCodeAt(e + 1) === 45 ? "-" : "+";
  const digits = s.slice(e + 2);
  return s.slice(0, e) + "e" + sign + (digits.length < 2 ? "0" + digits : digits);
}

/** Formats a millisecond timestamp as plain decimal seconds (OpenMetrics timestamps), e.g. `1700000000.123`. */
export function formatSecondsFromMs(ms: number): string {
  if (Number.isSafeInteger(ms)) {
    // Exact decimal shift: no float rounding between the ms value and its text.
    const neg = ms < 0;
    const a = neg ? -ms : ms;
    const whole = Math.floor(a / 1000);
    const rem = a - whole * 1000;
    let out = String(whole);
    if (rem !== 0) out += "." + String(rem).padStart(3, "0").replace(/0+$/, "");
    return neg ? "-" + out : out;
  }
  const s = ms / 1000;
  const str = String(s);
  if (str.indexOf("e") < 0) return str;
  // Tiny or huge magnitudes only; fall back to Go-style exponent form, which OpenMetrics also accepts.
  return formatGoFloat(s);
}
