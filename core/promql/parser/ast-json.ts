/**
 * @module core/promql/parser/ast-json
 * The JSON form of the AST that /api/v1/parse_query returns, in the shape Prometheus's UI uses
 * (type tags such as "vectorSelector", "binaryExpr", durations in ms, number values as strings).
 */
import { formatValue } from "../../model/value.ts";
import type { AtModifier, Expr, VectorSelector } from "./ast.ts";
import { FUNCTIONS } from "./functions.ts";
import { formatExpr } from "./printer.ts";

function matchers(vs: VectorSelector): Array<{ type: string; name: string; value: string }> {
  return vs.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value }));
}

function at(a: AtModifier | null): { timestamp: number | null; startOrEnd: string | null } {
  if (!a) return { timestamp: null, startOrEnd: null };
  if (a.kind === "time") return { timestamp: a.ms, startOrEnd: null };
  return { timestamp: null, startOrEnd: a.kind };
}

function num(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return formatValue(v);
}

/** Converts an AST to the JSON tree of /api/v1/parse_query. */
export function astToJSON(e: Expr): unknown {
  switch (e.type) {
    case "NumberLiteral": return { type: "numberLiteral", val: num(e.val) };
    case "StringLiteral": return { type: "stringLiteral", val: e.val };
    case "ParenExpr": return { type: "parenExpr", expr: astToJSON(e.expr) };
    case "UnaryExpr": return { type: "unaryExpr", op: e.op, expr: astToJSON(e.expr) };
    case "VectorSelector":
      return { type: "vectorSelector", name: e.name, offset: e.offset, matchers: matchers(e), ...at(e.at) };
    case "MatrixSelector":
      return {
        type: "matrixSelector", name: e.vs.name, range: e.range, offset: e.vs.offset, matchers: matchers(e.vs), ...at(e.vs.at),
      };
    case "SubqueryExpr":
      return { type: "subquery", expr: astToJSON(e.expr), range: e.range, offset: e.offset, step: e.step, ...at(e.at) };
    case "BinaryExpr": {
      const m = e.matching;
      return {
        type: "binaryExpr", op: e.op, lhs: astToJSON(e.lhs), rhs: astToJSON(e.rhs), bool: e.returnBool,
        matching: m ? { card: m.card, labels: m.labels, on: m.on, include: m.include } : null,
      };
    }
    case "AggregateExpr":
      return {
        type: "aggregation", op: e.op, expr: astToJSON(e.expr), param: e.param ? astToJSON(e.param) : null,
        grouping: e.grouping, without: e.without,
      };
    case "Call": {
      const f = FUNCTIONS.get(e.func)!;
      return {
        type: "call",
        func: { name: f.name, argTypes: f.argTypes, variadic: f.variadic, returnType: f.returnType },
        args: e.args.map(astToJSON),
      };
    }
  }
}

/** Re-export for API handlers that format and describe in one place. */
export { formatExpr };
