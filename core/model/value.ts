/**
 * @module core/model/value
 * Sample values and the staleness marker.
 *
 * Prometheus marks a series stale by writing a NaN with the exact bit pattern 0x7ff0000000000002. Plain
 * NaN arithmetic may canonicalise NaN payloads, so every check compares the bits, never `isNaN`.
 */

/** The bit pattern of Prometheus's staleness marker (a signalling-style NaN). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
/** The bit pattern of the NaN Go produces for math.NaN() (what a normal NaN sample holds). */
export const NORMAL_NAN_BITS = 0x7ff8000000000001n;

const buf = new DataView(new ArrayBuffer(8));
buf.setBigUint64(0, STALE_NAN_BITS, true);

/** The staleness marker as a number. Write it into Float64Arrays or DataViews only, never through math. */
export const STALE_NAN: number = buf.getFloat64(0, true);

/** Whether `v` carries the staleness-marker bit pattern. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false; // not NaN
  buf.setFloat64(0, v, true);
  return buf.getBigUint64(0, true) === STALE_NAN_BITS;
}

/** A sample as seen by queries: timestamp in ms since the Unix epoch, float value. */
export interface Sample {
  /** Milliseconds since the Unix epoch (integer). */
  t: number;
  /** The value; may be NaN, ±Inf or the staleness marker. */
  v: number;
}

/** Converts a millisecond timestamp to Prometheus's API float seconds. */
export function msToSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * Formats a float as Prometheus's API and text format do: shortest round-trip decimal, "NaN", "+Inf",
 * "-Inf". Go's strconv.FormatFloat(v, 'f', -1, 64) never uses exponents for API values; the exposition
 * writer uses core/exposition's formatGoFloat instead.
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  const s = String(v);
  if (!s.includes("e")) return s;
  return expandExponent(s);
}

/** Expands JS exponent notation into plain decimal digits, as Go's 'f' format with precision -1 does. */
function expandExponent(s: string): string {
  const neg = s.startsWith("-");
  const [mant, expStr] = (neg ? s.slice(1) : s).split("e") as [string, string];
  const exp = Number(expStr);
  const [ip, fp = ""] = mant.split(".") as [string, string?];
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  return (neg ? "-" : "") + out;
}

/** High and low 32-bit words of the staleness marker's bit pattern. */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/**
 * Whether `values[i]` holds the staleness marker, checked on the array's bits. Use this on sample
 * columns: JavaScriptCore (Bun) canonicalises NaN payloads as soon as a NaN is read into a JS number,
 * so `isStaleNaN(values[i])` is always false there, while typed-array storage keeps the bits.
 */
export function isStaleAt(values: Float64Array, i: number): boolean {
  const u = new Uint32Array(values.buffer, values.byteOffset + i * 8, 2);
  return u[1] === STALE_NAN_HI && u[0] === STALE_NAN_LO;
}

/** Writes the staleness marker's exact bits into `values[i]` (works on every runtime). */
export function setStaleAt(values: Float64Array, i: number): void {
  const u = new Uint32Array(values.buffer, values.byteOffset + i * 8, 2);
  u[1] = STALE_NAN_HI;
  u[0] = STALE_NAN_LO;
}
