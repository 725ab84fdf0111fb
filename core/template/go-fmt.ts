/**
 * @module core/template/go-fmt
 * Go's fmt formatting for template values: `%v` printing (`fmt.Sprint`) and `printf` with the verbs
 * rule and notification templates use (%s %d %f %e %g %v %q %x %X %t %c %%, flags `-+ 0#`, width,
 * precision). Floats follow strconv's rules, so `{{ $value }}` of 1234567 prints `1.234567e+06` and
 * `%.4g` of 1234.5 prints `1234`, as in Prometheus.
 *
 * Value model: Go ints are bigint, floats are number, strings, booleans, null (nil), arrays (slices),
 * plain objects and Maps (maps, printed with sorted keys), Date (time.Time, printed as Go's Time.String).
 */

/** Exact decimal expansion of finite |v| > 0: all significant digits and the decimal point position. */
function exactDigits(v: number): { d: string; dp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  const lead = digits.match(/^0*/)![0].length;
  digits = digits.slice(lead);
  return { d: digits.replace(/0+$/, ""), dp };
}

/** Rounds exact digits to `n` digits, half to even (as Go's strconv does). */
function roundDigits(d: string, dp: number, n: number): { d: string; dp: number } {
  if (n < 0) return { d: "", dp };
  if (d.length <= n) return { d, dp };
  const next = d.charCodeAt(n) - 48;
  let up = next > 5 || (next === 5 && (d.length > n + 1 || (n > 0 && (d.charCodeAt(n - 1) - 48) % 2 === 1)));
  let kept = d.slice(0, n);
  if (up) {
    const arr = kept.split("").map(Number);
    let i = arr.length - 1;
    while (i >= 0) {
      if (arr[i]! < 9) {
        arr[i]!++;
        break;
      }
      arr[i] = 0;
      i--;
    }
    kept = arr.join("");
    if (i < 0) {
      kept = "1" + kept;
      dp++;
      kept = kept.slice(0, Math.max(n, 1));
    }
    up = false;
  }
  return { d: kept.replace(/0+$/, ""), dp };
}

/** Shortest (prec < 0) or `prec`-significant-digit decimal digits of |v|, trailing zeros trimmed. */
function digitsOf(v: number, prec: number): { d: string; dp: number } {
  const a = Math.abs(v);
  if (a === 0) return { d: "", dp: 0 };
  if (prec < 0) {
    const [mant, exp] = a.toExponential().split("e") as [string, string];
    return { d: mant.replace(".", "").replace(/0+$/, ""), dp: Number(exp) + 1 };
  }
  const x = exactDigits(a);
  return roundDigits(x.d, x.dp, prec);
}

function fmtE(neg: boolean, d: string, dp: number, prec: number, ch: "e" | "E"): string {
  let s = (d[0] ?? "0");
  if (prec > 0) s += "." + (d.slice(1) + "0".repeat(prec)).slice(0, prec);
  const exp = d === "" ? 0 : dp - 1;
  const ae = Math.abs(exp);
  return (neg ? "-" : "") + s + ch + (exp < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae;
}

function fmtF(neg: boolean, d: string, dp: number, prec: number): string {
  let s = dp > 0 ? (d + "0".repeat(Math.max(0, dp - d.length))).slice(0, dp) : "0";
  if (prec > 0) {
    let frac = "";
    for (let i = 0; i < prec; i++) {
      const j = dp + i;
      frac += j < 0 || j >= d.length ? "0" : d[j];
    }
    s += "." + frac;
  }
  return (neg ? "-" : "") + s;
}

function special(v: number, plus: boolean): string | null {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (plus && v >= 0 && !Object.is(v, -0)) return null;
  return null;
}

/**
 * Formats a float like Go's strconv.FormatFloat with verb 'e', 'f' or 'g' (prec -1 = shortest).
 * @example formatFloat(1234567, "g", -1) // "1.234567e+06"
 */
export function formatFloat(v: number, verb: "e" | "E" | "f" | "g" | "G", prec: number): string {
  const sp = special(v, false);
  if (sp !== null) return sp;
  const neg = v < 0 || Object.is(v, -0);
  if (verb === "f") {
    if (prec < 0) {
      const { d, dp } = digitsOf(v, -1);
      return fmtF(neg, d, dp, Math.max(d.length - dp, 0));
    }
    if (v === 0) return fmtF(neg, "", 0, prec);
    const x = exactDigits(v);
    const r = roundDigits(x.d, x.dp, x.dp + prec);
    return fmtF(neg, r.d, r.dp, prec);
  }
  if (verb === "e" || verb === "E") {
    const { d, dp } = digitsOf(v, prec < 0 ? -1 : prec + 1);
    return fmtE(neg, d, dp, prec < 0 ? Math.max(d.length - 1, 0) : prec, verb);
  }
  // %g
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const { d, dp } = digitsOf(v, shortest ? -1 : p);
  const nd = Math.max(d.length, 1);
  if (shortest) p = nd;
  let eprec = p;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  if (d !== "" && (exp < -4 || exp >= eprec)) {
    if (p > nd) p = nd;
    return fmtE(neg, d, dp, p - 1, verb === "G" ? "E" : "e");
  }
  if (p > dp) p = nd;
  return fmtF(neg, d, dp, Math.max(p - dp, 0));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Date);
}

/** Go's time.Time.String() for a UTC instant: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTimeString(d: Date, nanos?: number): string {
  const iso = d.toISOString();
  let frac = "";
  const ns = nanos ?? d.getUTCMilliseconds() * 1e6;
  if (ns > 0) frac = "." + String(ns).padStart(9, "0").replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} +0000 UTC`;
}

/** Prints a value as Go's `%v` does (fmt.Sprint for one operand). Undefined prints `<no value>`. */
export function formatV(v: unknown): string {
  if (v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  switch (typeof v) {
    case "string": return v;
    case "bigint": return v.toString();
    case "number": return formatFloat(v, "g", -1);
    case "boolean": return v ? "true" : "false";
    case "function": return "<func>";
  }
  if (v instanceof Date) return goTimeString(v);
  if (Array.isArray(v)) return "[" + v.map(formatV).join(" ") + "]";
  if (v instanceof Map) {
    const keys = [...v.keys()].map(String).sort();
    return "map[" + keys.map((k) => `${k}:${formatV(v.get(k))}`).join(" ") + "]";
  }
  if (typeof (v as { toString?: unknown }).toString === "function" && (v as object).toString !== Object.prototype.toString) {
    return String(v);
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return "map[" + keys.map((k) => `${k}:${formatV(v[k])}`).join(" ") + "]";
  }
  return String(v);
}

function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "float64";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (width <= s.length) return s;
  if (left) return s + " ".repeat(width - s.length);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(width - s.length) + s.slice(sign.length);
  }
  return " ".repeat(width - s.length) + s;
}

/** Go-style quoting of a string (%q). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/**
 * Go's fmt.Sprintf for template values. Wrong argument kinds render as Go does (`%!d(string=x)`),
 * missing ones as `%!d(MISSING)`.
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let ai = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    let j = i + 1;
    let left = false, zero = false, plus = false, space = false, sharp = false;
    for (; j < format.length; j++) {
      const f = format[j]!;
      if (f === "-") left = true;
      else if (f === "0") zero = true;
      else if (f === "+") plus = true;
      else if (f === " ") space = true;
      else if (f === "#") sharp = true;
      else break;
    }
    let width = 0;
    while (j < format.length && /[0-9]/.test(format[j]!)) width = width * 10 + Number(format[j++]);
    let prec = -1;
    if (format[j] === ".") {
      j++;
      prec = 0;
      while (j < format.length && /[0-9]/.test(format[j]!)) prec = prec * 10 + Number(format[j++]);
    }
    const verb = format[j];
    i = j;
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[ai++];
    const bad = () => `%!${verb}(${goTypeName(a)}=${formatV(a)})`;
    const signed = (s: string) => (plus && !s.startsWith("-") ? "+" + s : space && !s.startsWith("-") ? " " + s : s);
    let s: string;
    switch (verb) {
      case "v":
        s = typeof a === "number" || typeof a === "bigint" ? signed(formatV(a)) : formatV(a);
        if (sharp && typeof a === "string") s = goQuote(a);
        break;
      case "s":
        s = typeof a === "string" ? a : formatV(a);
        if (prec >= 0) s = s.slice(0, prec);
        break;
      case "q":
        s = typeof a === "string" ? goQuote(a) : typeof a === "bigint" ? `'${String.fromCodePoint(Number(a))}'` : bad();
        break;
      case "d":
        if (typeof a === "bigint") s = signed(a.toString());
        else if (typeof a === "number" && Number.isInteger(a)) s = signed(a.toFixed(0));
        else s = bad();
        break;
      case "c":
        s = typeof a === "bigint" || typeof a === "number" ? String.fromCodePoint(Number(a)) : bad();
        break;
      case "x":
      case "X": {
        if (typeof a === "bigint" || (typeof a === "number" && Number.isInteger(a))) {
          const n = BigInt(a);
          s = (n < 0n ? "-" : "") + (sharp ? "0x" : "") + (n < 0n ? -n : n).toString(16);
        } else if (typeof a === "string") {
          s = [...new TextEncoder().encode(a)].map((b) => b.toString(16).padStart(2, "0")).join("");
        } else s = bad();
        if (verb === "X") s = s.toUpperCase();
        break;
      }
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G": {
        const n = typeof a === "bigint" ? null : typeof a === "number" ? a : null;
        if (n === null) {
          s = bad();
          break;
        }
        const vb = verb === "F" ? "f" : verb;
        s = signed(formatFloat(n, vb as "e" | "E" | "f" | "g" | "G", prec < 0 && vb !== "g" && vb !== "G" ? 6 : prec));
        if (!Number.isFinite(n)) zero = false;
        break;
      }
      case "t":
        s = typeof a === "boolean" ? String(a) : bad();
        break;
      default:
        s = `%!${verb}(${goTypeName(a)}=${formatV(a)})`;
    }
    out += pad(s, width, left, zero && !left && verb !== "s" && verb !== "q" && verb !== "v");
  }
  if (ai < args.length) {
    out += "%!(EXTRA " + args.slice(ai).map((a) => `${goTypeName(a)}=${formatV(a)}`).join(", ") + ")";
  }
  return out;
}
