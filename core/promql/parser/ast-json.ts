/**
 * @module core/promql/parser/ast-json
 * The JSON tree /api/v1/parse_query returns (Prometheus's translateAST, used by the UI's tree view):
 * node objects tagged `aggregation`, `binaryExpr`, `call`, `matrixSelector`, `subquery`,
 * `numberLiteral`, `parenExpr`, `stringLiteral`, `unaryExpr`, `vectorSelector`, with durations in ms.
 */
import { formatValue } from "../../model/value.ts";
import type { Matcher } from "../../model/matcher.ts";
import { FUNCTIONS } from "./functions.ts";
import type { AtModifier, Expr } from "./ast.ts";

/** Translates a parsed expression into Prometheus's parse_query JSON shape. */
export function astToJSON(e: Expr | null): unknown {
  if (e === null) return null;
  switch (e.type) {
    case "AggregateExpr":
      return { type: "aggregation", op: e.op, expr: astToJSON(e.expr), param: astToJSON(e.param), grouping: [...e.grouping], without: e.without };
    case "BinaryExpr": {
      const m = e.matching;
      const matching = m
        ? { card: m.card, labels: [...m.labels], on: m.on, include: [...m.include], fillValues: { lhs: m.fillLeft ?? null, rhs: m.fillRight ?? null } }
        : null;
      return { type: "binaryExpr", op: e.op, lhs: astToJSON(e.lhs), rhs: astToJSON(e.rhs), matching, bool: e.returnBool };
    }
    case "Call": {
      const f = FUNCTIONS.get(e.func);
      return {
        type: "call",
        func: { name: e.func, argTypes: f ? [...f.argTypes] : [], variadic: f?.variadic ?? 0, returnType: f?.returnType ?? "none" },
        args: e.args.map(astToJSON),
      };
    }
    case "MatrixSelector": {
      const vs = e.vs;
      return {
        type: "matrixSelector", name: vs.name, range: e.range, offset: vs.offset, matchers: matchers(vs.matchers),
        timestamp: atTime(vs.at), startOrEnd: startOrEnd(vs.at), anchored: vs.anchored ?? false, smoothed: vs.smoothed ?? false,
      };
    }
    case "SubqueryExpr":
      return {
        type: "subquery", expr: astToJSON(e.expr), range: e.range, offset: e.offset, step: e.step,
        timestamp: atTime(e.at), startOrEnd: startOrEnd(e.at), alignEvalTime: false,
      };
    case "NumberLiteral":
      return { type: "numberLiteral", val: formatValue(e.val) };
    case "ParenExpr":
      return { type: "parenExpr", expr: astToJSON(e.expr) };
    case "StringLiteral":
      return { type: "stringLiteral", val: e.val };
    case "UnaryExpr":
      return { type: "unaryExpr", op: e.op, expr: astToJSON(e.expr) };
    case "VectorSelector":
      return {
        type: "vectorSelector", name: e.name, offset: e.offset, matchers: matchers(e.matchers),
        timestamp: atTime(e.at), startOrEnd: startOrEnd(e.at), anchored: e.anchored ?? false, smoothed: e.smoothed ?? false,
      };
  }
}

function matchers(ms: readonly Matcher[]): Array<{ name: string; value: string; type: string }> {
  return ms.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}

function atTime(at: AtModifier | null): number | null {
  return at?.kind === "time" ? at.ms : null;
}

function startOrEnd(at: AtModifier | null): string | null {
  return at && at.kind !== "time" ? at.kind : null;
}
