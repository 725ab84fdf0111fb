/**
 * @module core/promql/parser/check
 * Static type checking of a parsed AST, with Prometheus's error messages (argument counts and types,
 * operand types of binary/unary/aggregation expressions, matching-clause rules). Runs once after
 * parsing; the engine relies on a checked tree.
 */
import { exprType, isComparison, isSetOperator, type Expr, type PosRange } from "./ast.ts";
import { ParseError } from "./errors.ts";
import { FUNCTIONS, type ValueType } from "./functions.ts";

/** Prometheus's documented type names. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case "vector": return "instant vector";
    case "matrix": return "range vector";
    default: return t;
  }
}

/** Throws ParseError on the first type error in `e`. */
export function checkAST(e: Expr, q: string): void {
  const fail = (pos: PosRange, msg: string): never => {
    throw new ParseError(q, pos, msg);
  };
  const expect = (x: Expr, want: ValueType, ctx: string) => {
    const got = exprType(x);
    if (got !== want) fail(x.pos, `expected type ${documentedType(want)} in ${ctx}, got ${documentedType(got)}`);
  };
  switch (e.type) {
    case "ParenExpr": checkAST(e.expr, q); return;
    case "UnaryExpr": {
      const t = exprType(e.expr);
      if (t !== "scalar" && t !== "vector") fail(e.pos, "unary expression only allowed on expressions of type scalar or instant vector");
      checkAST(e.expr, q);
      return;
    }
    case "SubqueryExpr": {
      const t = exprType(e.expr);
      if (t !== "vector") fail(e.pos, `subquery is only allowed on instant vector, got ${documentedType(t)} instead`);
      checkAST(e.expr, q);
      return;
    }
    case "MatrixSelector": checkAST(e.vs, q); return;
    case "BinaryExpr": {
      const lt = exprType(e.lhs), rt = exprType(e.rhs);
      if ((lt !== "scalar" && lt !== "vector") || (rt !== "scalar" && rt !== "vector")) {
        fail(e.pos, "binary expression must contain only scalar and instant vector types");
      }
      if (e.returnBool && !isComparison(e.op)) fail(e.pos, "bool modifier can only be used on comparison operators");
      if (isComparison(e.op) && !e.returnBool && lt === "scalar" && rt === "scalar") {
        fail(e.pos, "comparisons between scalars must use BOOL modifier");
      }
      if (isSetOperator(e.op) && (lt === "scalar" || rt === "scalar")) {
        fail(e.pos, `set operator "${e.op}" not allowed in binary scalar expression`);
      }
      const m = e.matching;
      if (m && (m.explicit || m.card !== "one-to-one" && m.card !== "many-to-many") && (lt !== "vector" || rt !== "vector")) {
        fail(e.pos, "vector matching only allowed between instant vectors");
      }
      if (m && (m.fillLeft !== undefined || m.fillRight !== undefined) && (lt !== "vector" || rt !== "vector")) {
        fail(e.pos, "filling in missing series is only supported for operations between two instant vectors");
      }
      if (m && isSetOperator(e.op) && (m.card === "many-to-one" || m.card === "one-to-many")) {
        fail(e.pos, `no grouping allowed for "${e.op}" operation`);
      }
      if (m && m.on) {
        for (const l of m.include) {
          if (m.labels.includes(l)) fail(e.pos, `label "${l}" must not occur in ON and GROUP clause at once`);
        }
      }
      checkAST(e.lhs, q);
      checkAST(e.rhs, q);
      return;
    }
    case "AggregateExpr": {
      if (exprType(e.expr) !== "vector") {
        fail(e.pos, `expected type instant vector in aggregation expression, got ${documentedType(exprType(e.expr))}`);
      }
      if (e.param) {
        const want: ValueType = e.op === "count_values" ? "string" : "scalar";
        expect(e.param, want, "aggregation parameter");
        checkAST(e.param, q);
      }
      checkAST(e.expr, q);
      return;
    }
    case "Call": {
      const sig = FUNCTIONS.get(e.func);
      if (!sig) return fail(e.pos, `unknown function with name "${e.func}"`);
      const nargs = sig.argTypes.length, got = e.args.length;
      if (sig.variadic === 0) {
        if (nargs !== got) fail(e.pos, `expected ${nargs} argument(s) in call to "${e.func}", got ${got}`);
      } else {
        const na = nargs - 1;
        if (na > got) fail(e.pos, `expected at least ${na} argument(s) in call to "${e.func}", got ${got}`);
        if (sig.variadic > 0 && na + sig.variadic < got) {
          fail(e.pos, `expected at most ${na + sig.variadic} argument(s) in call to "${e.func}", got ${got}`);
        }
      }
      for (let i = 0; i < got; i++) {
        const want = sig.argTypes[Math.min(i, nargs - 1)]!;
        expect(e.args[i]!, want, `call to function "${e.func}"`);
        checkAST(e.args[i]!, q);
      }
      if (e.func === "label_replace" || e.func === "label_join") {
        // Destination label names must be valid (checked at evaluation for UTF-8 validity).
      }
      return;
    }
    default:
      return;
  }
}
