/**
 * @module core/promql/parser/duration-expr
 * Experimental duration expressions (inside `[...]` and after `offset`): validation of what they may
 * contain (number/duration literals, + - * / % ^, parentheses, step(), range(), min_of(), max_of())
 * and constant folding to seconds. Expressions that use step()/range() stay in the AST and are
 * evaluated per query.
 */
import type { Expr } from "./ast.ts";
import type { Token } from "./lexer.ts";

/** Converts seconds to integer milliseconds, rejecting overflow. */
export function secondsToMs(s: number, p: { err(t: { start: number; end: number }, msg: string): never }, t: Token): number {
  const ms = Math.round(s * 1000);
  if (!Number.isFinite(ms)) p.err(t, `duration out of range`);
  return ms;
}

/** Validates that `e` only uses what a duration expression allows. */
export function checkDurationExpr(e: Expr, p: { err(t: { start: number; end: number }, msg: string): never }): void {
  switch (e.type) {
    case "NumberLiteral": return;
    case "ParenExpr": case "UnaryExpr": checkDurationExpr(e.expr, p); return;
    case "BinaryExpr":
      if (!["+", "-", "*", "/", "%", "^"].includes(e.op)) p.err(e.pos, `unexpected operator ${e.op} in duration expression`);
      checkDurationExpr(e.lhs, p);
      checkDurationExpr(e.rhs, p);
      return;
    case "Call":
      if (!["step", "range", "min_of", "max_of"].includes(e.func)) p.err(e.pos, `unexpected function ${e.func} in duration expression`);
      for (const a of e.args) checkDurationExpr(a, p);
      return;
    default:
      p.err(e.pos, "unexpected expression in duration expression");
  }
}

/** Evaluates a constant duration expression to seconds; null when it depends on step()/range(). */
export function constDurationSeconds(e: Expr, step?: number, range?: number): number | null {
  switch (e.type) {
    case "NumberLiteral": return e.val;
    case "ParenExpr": return constDurationSeconds(e.expr, step, range);
    case "UnaryExpr": {
      const v = constDurationSeconds(e.expr, step, range);
      return v === null ? null : e.op === "-" ? -v : v;
    }
    case "BinaryExpr": {
      const a = constDurationSeconds(e.lhs, step, range), b = constDurationSeconds(e.rhs, step, range);
      if (a === null || b === null) return null;
      switch (e.op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "%": return a % b;
        case "^": return Math.pow(a, b);
        default: return null;
      }
    }
    case "Call": {
      if (e.func === "step") return step ?? null;
      if (e.func === "range") return range ?? null;
      const vals = e.args.map((a) => constDurationSeconds(a, step, range));
      if (vals.some((v) => v === null)) return null;
      return e.func === "min_of" ? Math.min(...(vals as number[])) : Math.max(...(vals as number[]));
    }
    default: return null;
  }
}

