/**
 * @module core/promql/parser/lexer
 * A hand-written state-machine lexer for PromQL. It turns the query into a flat token list; keyword
 * recognition is left to the parser (via {@link KEYWORDS}) because the same word is a keyword in an
 * expression but a plain label name inside braces. Invariants: tokens never overlap, positions are
 * character offsets, comments (`# …` to end of line) and whitespace are skipped, and every error names
 * the offset where lexing stopped.
 */
import { ParseError } from "./errors.ts";

/** Token kinds. */
export type TokenKind =
  | "IDENT" | "NUMBER" | "DURATION" | "STRING"
  | "(" | ")" | "{" | "}" | "[" | "]" | "," | ":" | "@"
  | "=" | "==" | "!=" | "=~" | "!~" | "<" | "<=" | ">" | ">="
  | "+" | "-" | "*" | "/" | "%" | "^"
  | "EOF";

/** One token. `text` is the raw source; `value` is the decoded string / number (seconds for durations). */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Unescaped content for STRING; numeric value for NUMBER (float) and DURATION (milliseconds). */
  value?: string | number;
}

/** Lower-case keyword table: words with a meaning in expression context. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right",
  "bool", "offset", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
  "bottomk", "topk", "quantile", "limitk", "limit_ratio", "anchored", "smoothed",
  "fill", "fill_left", "fill_right",
]);

const DURATION_UNITS: Record<string, number> = {
  ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000,
};
const UNIT_ORDER = ["y", "w", "d", "h", "m", "s", "ms"];

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isAlpha(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isAlnum(c: string): boolean {
  return isAlpha(c) || isDigit(c);
}

/** Lexes a whole query. Throws ParseError on an unterminated string or an unexpected character. */
export function lex(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = q.length;
  const err = (at: number, msg: string): never => {
    throw new ParseError(q, { start: at, end: Math.min(at + 1, n) }, msg);
  };
  let braceDepth = 0, parenDepth = 0, bracketOpen = false;
  while (i < n) {
    const c = q[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < n && q[i] !== "\n") i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'" || c === "`") {
      const { value, end } = lexString(q, i, err);
      out.push({ kind: "STRING", text: q.slice(start, end), start, end, value });
      i = end;
      continue;
    }
    if (braceDepth === 0 && (isDigit(c) || (c === "." && i + 1 < n && isDigit(q[i + 1]!)))) {
      const tok = lexNumberOrDuration(q, i, err);
      out.push(tok);
      i = tok.end;
      continue;
    }
    if (isAlpha(c) || (c === ":" && braceDepth === 0 && i + 1 < n && isAlpha(q[i + 1]!) && prevAllowsIdent(out))) {
      let j = i + 1;
      while (j < n && (isAlnum(q[j]!) || (q[j] === ":" && braceDepth === 0))) j++;
      const text = q.slice(i, j);
      out.push({ kind: "IDENT", text, start, end: j, value: text });
      i = j;
      continue;
    }
    if (braceDepth > 0 && isDigit(c)) {
      // Inside braces digits only appear in invalid positions; lex a word so the parser can complain.
      let j = i + 1;
      while (j < n && isAlnum(q[j]!)) j++;
      out.push({ kind: "NUMBER", text: q.slice(i, j), start, end: j, value: Number(q.slice(i, j)) });
      i = j;
      continue;
    }
    const two = q.slice(i, i + 2);
    let kind: TokenKind | undefined;
    if (two === "==" || two === "!=" || two === "=~" || two === "!~" || two === "<=" || two === ">=") kind = two;
    if (kind) {
      out.push({ kind, text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    switch (c) {
      case "(": kind = c; parenDepth++; break;
      case ")":
        if (parenDepth === 0) err(i + 1, "unexpected right parenthesis ')'");
        kind = c;
        parenDepth--;
        break;
      case "[":
        if (bracketOpen) err(i, "unexpected left bracket '['");
        kind = c;
        bracketOpen = true;
        break;
      case "]":
        if (!bracketOpen) err(i, "unexpected right bracket ']'");
        kind = c;
        bracketOpen = false;
        break;
      case ",": case ":": case "@":
      case "=": case "<": case ">": case "+": case "-": case "*": case "/": case "%": case "^":
        kind = c;
        break;
      case "{": kind = "{"; braceDepth++; break;
      case "}":
        kind = "}";
        if (braceDepth === 0) err(i, "unexpected right brace '}'");
        braceDepth--;
        break;
      case "!": err(i, "unexpected character after '!': " + (q[i + 1] === undefined ? "EOF" : `'${q[i + 1]}'`)); break;
      default:
        err(i, `unexpected character: '${c}'`);
    }
    out.push({ kind: kind!, text: c, start, end: i + 1 });
    i++;
  }
  if (braceDepth > 0) err(n, "unexpected end of input inside braces");
  if (parenDepth > 0) err(n, "unclosed left parenthesis");
  if (bracketOpen) err(n, "unclosed left bracket");
  out.push({ kind: "EOF", text: "", start: n, end: n });
  return out;
}

function prevAllowsIdent(out: Token[]): boolean {
  const p = out[out.length - 1];
  return !p || (p.kind !== "DURATION" && p.kind !== "NUMBER" && p.kind !== ")" && p.kind !== "IDENT");
}

function lexNumberOrDuration(q: string, i: number, err: (at: number, m: string) => never): Token {
  const start = i, n = q.length;
  // Hex.
  if (q[i] === "0" && (q[i + 1] === "x" || q[i + 1] === "X")) {
    let j = i + 2;
    while (j < n && /[0-9a-fA-F]/.test(q[j]!)) j++;
    if (j === i + 2) err(i, `bad number or duration syntax: "${q.slice(i, j)}"`);
    if (j < n && isAlnum(q[j]!)) err(i, `bad number or duration syntax: "${q.slice(i, j + 1)}"`);
    return { kind: "NUMBER", text: q.slice(i, j), start, end: j, value: parseInt(q.slice(i + 2, j), 16) };
  }
  let j = i;
  while (j < n && isDigit(q[j]!)) j++;
  if (q[j] === ".") {
    j++;
    while (j < n && isDigit(q[j]!)) j++;
  }
  // Duration: number followed by a unit.
  if (j < n && /[smhdwy]/.test(q[j]!)) {
    let ms = 0, k = i, lastUnit = -1;
    while (true) {
      let e = k;
      while (e < n && isDigit(q[e]!)) e++;
      if (q[e] === ".") {
        e++;
        while (e < n && isDigit(q[e]!)) e++;
      }
      if (e === k) break;
      let unit = "";
      if (q.startsWith("ms", e)) unit = "ms";
      else if (/[smhdwy]/.test(q[e] ?? "")) unit = q[e]!;
      if (!unit) {
        if (k === i) break;
        err(start, `bad number or duration syntax: "${q.slice(start, e)}"`);
      }
      const ui = UNIT_ORDER.indexOf(unit);
      if (ui <= lastUnit) err(start, `not a valid duration string: "${q.slice(start, e + unit.length)}"`);
      lastUnit = ui;
      ms += Number(q.slice(k, e)) * DURATION_UNITS[unit]!;
      k = e + unit.length;
    }
    if (k < n && isAlnum(q[k]!)) err(start, `bad number or duration syntax: "${q.slice(start, k + 1)}"`);
    return { kind: "DURATION", text: q.slice(start, k), start, end: k, value: ms };
  }
  if (q[j] === "e" || q[j] === "E") {
    let e = j + 1;
    if (q[e] === "+" || q[e] === "-") e++;
    if (isDigit(q[e] ?? "")) {
      while (e < n && isDigit(q[e]!)) e++;
      j = e;
    }
  }
  if (j < n && (isAlnum(q[j]!) || q[j] === ".")) {
    let e = j;
    while (e < n && (isAlnum(q[e]!) || q[e] === ".")) e++;
    err(start, `bad number or duration syntax: "${q.slice(start, e)}"`);
  }
  return { kind: "NUMBER", text: q.slice(i, j), start, end: j, value: Number(q.slice(i, j)) };
}

/** Lexes a quoted string starting at `i`, returning the unescaped value and the end offset. */
export function lexString(q: string, i: number, err: (at: number, m: string) => never): { value: string; end: number } {
  const quote = q[i]!;
  const n = q.length;
  let j = i + 1;
  if (quote === "`") {
    while (j < n && q[j] !== "`") j++;
    if (j >= n) err(i, "unterminated raw string");
    return { value: q.slice(i + 1, j), end: j + 1 };
  }
  let out = "";
  const bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length) {
      out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes.length = 0;
    }
  };
  while (true) {
    if (j >= n || q[j] === "\n") err(i, "unterminated quoted string");
    const c = q[j]!;
    if (c === quote) break;
    if (c !== "\\") {
      flushBytes();
      out += c;
      j++;
      continue;
    }
    const e = q[j + 1];
    j += 2;
    switch (e) {
      case "a": flushBytes(); out += "\x07"; break;
      case "b": flushBytes(); out += "\b"; break;
      case "f": flushBytes(); out += "\f"; break;
      case "n": flushBytes(); out += "\n"; break;
      case "r": flushBytes(); out += "\r"; break;
      case "t": flushBytes(); out += "\t"; break;
      case "v": flushBytes(); out += "\v"; break;
      case "\\": flushBytes(); out += "\\"; break;
      case '"': case "'":
        if (e !== quote) err(j - 2, "unknown escape sequence");
        flushBytes();
        out += e;
        break;
      case "x": {
        const h = q.slice(j, j + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) err(j - 2, "illegal character in escape sequence");
        bytes.push(parseInt(h, 16));
        j += 2;
        break;
      }
      case "u": case "U": {
        const len = e === "u" ? 4 : 8;
        const h = q.slice(j, j + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) err(j - 2, "illegal character in escape sequence");
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) err(j - 2, "escape sequence is an invalid Unicode code point");
        flushBytes();
        out += String.fromCodePoint(cp);
        j += len;
        break;
      }
      default:
        if (e !== undefined && e >= "0" && e <= "7") {
          const o = q.slice(j - 1, j + 2);
          if (!/^[0-7]{3}$/.test(o)) err(j - 2, "illegal character in escape sequence");
          const v = parseInt(o, 8);
          if (v > 255) err(j - 2, "escape sequence is invalid");
          bytes.push(v);
          j += 2;
          break;
        }
        err(j - 2, "unknown escape sequence");
    }
  }
  flushBytes();
  return { value: out, end: j + 1 };
}
