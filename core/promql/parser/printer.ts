/**
 * @module core/promql/parser/printer
 * Renders an AST back into canonical PromQL (what /api/v1/format_query returns, checked against
 * Prometheus's own output): one space around binary operators, `on (a) group_left (b)`,
 * `sum by (a) (x)` grouping before the arguments, matchers joined by ",", `@` before `offset`,
 * durations in Prometheus's spelling, `@` times with millisecond precision, Go-quoted strings. parse(format(parse(q))) equals
 * parse(q) (checked by the round-trip property test).
 */
import { formatDuration } from "../../util/duration.ts";
import { formatValue } from "../../model/value.ts";
import type { AtModifier, Expr, VectorSelector } from "./ast.ts";

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Go's strconv.Quote for the characters PromQL strings can hold. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case "\\": out += "\\\\"; break;
      case "\x07": out += "\\a"; break;
      case "\b": out += "\\b"; break;
      case "\f": out += "\\f"; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\t": out += "\\t"; break;
      case "\v": out += "\\v"; break;
      default:
        if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
        else if (c === 0xfffd) out += "\\ufffd";
        else out += ch;
    }
  }
  return out + '"';
}

function labelName(n: string): string {
  return LEGACY_LABEL.test(n) ? n : goQuote(n);
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return formatValue(v);
}

function formatOffsetMs(ms: number): string {
  return ms < 0 ? "-" + formatDuration(-ms) : formatDuration(ms);
}

function atString(at: AtModifier | null): string {
  if (!at) return "";
  if (at.kind === "start") return " @ start()";
  if (at.kind === "end") return " @ end()";
  return ` @ ${(at.ms / 1000).toFixed(3)}`;
}

function offsetString(ms: number, expr: Expr | undefined): string {
  if (expr) return ` offset ${formatExpr(expr)}`;
  return ms !== 0 ? ` offset ${formatOffsetMs(ms)}` : "";
}

function selectorBody(vs: VectorSelector): string {
  const ms = vs.matchers.filter((m) => !(vs.name !== "" && m.name === "__name__" && m.type === "=" && m.value === vs.name));
  const parts = ms.map((m) => `${labelName(m.name)}${m.type}${goQuote(m.value)}`);
  let s: string;
  if (vs.name !== "" && !LEGACY_NAME.test(vs.name)) {
    s = `{${[goQuote(vs.name), ...parts].join(",")}}`;
  } else {
    s = vs.name + (parts.length || vs.name === "" ? `{${parts.join(",")}}` : "");
  }
  return s;
}

function durString(ms: number, expr: Expr | undefined): string {
  return expr ? formatExpr(expr) : formatDuration(ms);
}

/** Renders an expression as canonical PromQL. */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case "NumberLiteral":
      if (e.duration && e.val >= 0 && Number.isInteger(e.val * 1000)) return formatDuration(Math.round(e.val * 1000));
      return formatNumber(e.val);
    case "StringLiteral": return goQuote(e.val);
    case "VectorSelector":
      return selectorBody(e) + (e.anchored ? " anchored" : "") + (e.smoothed ? " smoothed" : "") +
        atString(e.at) + offsetString(e.offset, e.offsetExpr);
    case "MatrixSelector": {
      let s = `${selectorBody(e.vs)}[${durString(e.range, e.rangeExpr)}]`;
      if (e.vs.anchored) s += " anchored";
      if (e.vs.smoothed) s += " smoothed";
      return s + atString(e.vs.at) + offsetString(e.vs.offset, e.vs.offsetExpr);
    }
    case "SubqueryExpr": {
      const step = e.step || e.stepExpr ? durString(e.step, e.stepExpr) : "";
      return `${formatExpr(e.expr)}[${durString(e.range, e.rangeExpr)}:${step}]` + atString(e.at) + offsetString(e.offset, e.offsetExpr);
    }
    case "ParenExpr": return `(${formatExpr(e.expr)})`;
    case "UnaryExpr": return `${e.op}${formatExpr(e.expr)}`;
    case "BinaryExpr": {
      let mod = e.returnBool ? " bool" : "";
      const m = e.matching;
      if (m) {
        if (m.on || m.labels.length > 0) {
          mod += ` ${m.on ? "on" : "ignoring"} (${m.labels.map(labelName).join(", ")})`;
          if (m.card === "many-to-one" || m.card === "one-to-many") {
            mod += ` ${m.card === "many-to-one" ? "group_left" : "group_right"} (${m.include.map(labelName).join(", ")})`;
          }
        } else if (m.card === "many-to-one" || m.card === "one-to-many") {
          mod += ` ignoring () ${m.card === "many-to-one" ? "group_left" : "group_right"} (${m.include.map(labelName).join(", ")})`;
        }
        if (m.fillLeft !== undefined && m.fillRight !== undefined && Object.is(m.fillLeft, m.fillRight)) {
          mod += ` fill(${formatNumber(m.fillLeft)})`;
        } else {
          if (m.fillLeft !== undefined) mod += ` fill_left(${formatNumber(m.fillLeft)})`;
          if (m.fillRight !== undefined) mod += ` fill_right(${formatNumber(m.fillRight)})`;
        }
      }
      return `${formatExpr(e.lhs)} ${e.op}${mod} ${formatExpr(e.rhs)}`;
    }
    case "AggregateExpr": {
      let s: string = e.op;
      if (e.without) s += ` without (${e.grouping.map(labelName).join(", ")}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.map(labelName).join(", ")}) `;
      const args = e.param ? `${formatExpr(e.param)}, ${formatExpr(e.expr)}` : formatExpr(e.expr);
      return `${s}(${args})`;
    }
    case "Call": return `${e.func}(${e.args.map(formatExpr).join(", ")})`;
  }
}
