/**
 * @module core/api/v1/prettier
 * Prometheus's PromQL prettier (what /api/v1/format_query returns, `expr.Pretty(0)`): an expression
 * whose one-line form fits in 100 characters stays on one line; a longer one is split by node:
 * aggregations and calls put their arguments on indented lines, binary operators go on their own line
 * between the operands, parentheses wrap an indented body. Indentation is two spaces per level.
 * One-line pieces come from core/promql's printer, so both agree on spelling.
 */
import { formatExpr, type Expr } from "../../promql/parser/index.ts";

/** Prometheus's maxCharactersPerLine. */
export const MAX_CHARACTERS_PER_LINE = 100;

const indent = (n: number) => "  ".repeat(n);
const needsSplit = (e: Expr) => formatExpr(e).length > MAX_CHARACTERS_PER_LINE;

/** Formats `e` as Prometheus's Pretty(level). */
export function prettyExpr(e: Expr, level = 0): string {
  switch (e.type) {
    case "AggregateExpr": {
      if (!needsSplit(e)) return indent(level) + formatExpr(e);
      const full = formatExpr(e);
      const inner = formatExpr(e.expr);
      const paramLen = e.param ? formatExpr(e.param).length + 2 : 0;
      const prefix = full.slice(0, full.length - inner.length - paramLen - 2);
      let s = `${indent(level)}${prefix}(\n`;
      if (e.param) s += `${prettyExpr(e.param, level + 1)},\n`;
      return `${s}${prettyExpr(e.expr, level + 1)}\n${indent(level)})`;
    }
    case "BinaryExpr": {
      if (!needsSplit(e)) return indent(level) + formatExpr(e);
      const full = formatExpr(e);
      const l = formatExpr(e.lhs).length, r = formatExpr(e.rhs).length;
      const op = full.slice(l + 1, full.length - r - 1);
      return `${prettyExpr(e.lhs, level + 1)}\n${indent(level)}${op}\n${prettyExpr(e.rhs, level + 1)}`;
    }
    case "Call":
      if (!needsSplit(e)) return indent(level) + formatExpr(e);
      return `${indent(level)}${e.func}(\n${e.args.map((a) => prettyExpr(a, level + 1)).join(",\n")}\n${indent(level)})`;
    case "ParenExpr":
      if (!needsSplit(e)) return indent(level) + formatExpr(e);
      return `${indent(level)}(\n${prettyExpr(e.expr, level + 1)}\n${indent(level)})`;
    case "SubqueryExpr": {
      // As in Prometheus, a subquery that fits is not indented.
      if (!needsSplit(e)) return formatExpr(e);
      const suffix = formatExpr(e).slice(formatExpr(e.expr).length);
      return prettyExpr(e.expr, level) + suffix;
    }
    case "UnaryExpr":
      return `${indent(level)}${e.op}${prettyExpr(e.expr, level).trim()}`;
    default:
      return indent(level) + formatExpr(e);
  }
}
