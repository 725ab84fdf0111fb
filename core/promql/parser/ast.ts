/**
 * @module core/promql/parser/ast
 * The typed PromQL syntax tree. Every node is a plain object tagged by `type` ("NumberLiteral",
 * "VectorSelector", …) and carries `pos: {start, end}`, byte offsets into the query text (end exclusive).
 * Durations (ranges, offsets, steps, `@` times) are held in milliseconds. Trees are immutable after
 * parsing; the engine never mutates them (it keeps its own per-query state).
 */
import type { Matcher } from "../../model/matcher.ts";
import { FUNCTIONS } from "./functions.ts";

/** A half-open range of character offsets [start, end) in the query text. */
export interface PosRange {
  start: number;
  end: number;
}

export type { ValueType } from "./functions.ts";
import type { ValueType } from "./functions.ts";

/** A number literal, e.g. `1.5`, `0x1f`, `Inf`, or a duration used as seconds (`5m` = 300). */
export interface NumberLiteral {
  type: "NumberLiteral";
  val: number;
  /** True when written as a duration (`5m`); the printer keeps that spelling. */
  duration?: boolean;
  pos: PosRange;
}

/** A string literal; `val` is the unescaped text. */
export interface StringLiteral {
  type: "StringLiteral";
  val: string;
  pos: PosRange;
}

/** Where an `@` modifier pins evaluation: a fixed time (ms) or the query's start/end. */
export type AtModifier = { kind: "time"; ms: number } | { kind: "start" } | { kind: "end" };

/** An instant vector selector: `name{l="v"} offset 5m @ 100`. */
export interface VectorSelector {
  type: "VectorSelector";
  /** The metric name if given outside or as `{"name"}` / `__name__="x"`, else "". */
  name: string;
  /** All matchers, including the `__name__` equality matcher derived from `name`. */
  matchers: Matcher[];
  /** Whether the metric name was written before the braces (printer detail). */
  bareName: boolean;
  /** Offset in ms (positive looks back, negative forward). */
  offset: number;
  /** Experimental duration expression for the offset; overrides `offset` when set. */
  offsetExpr?: DurationExpr;
  at: AtModifier | null;
  /** Experimental extended range modifiers (only meaningful inside a matrix selector). */
  anchored?: boolean;
  smoothed?: boolean;
  pos: PosRange;
}

/** A range vector selector `vs[range]`. */
export interface MatrixSelector {
  type: "MatrixSelector";
  vs: VectorSelector;
  /** Range in ms. */
  range: number;
  rangeExpr?: DurationExpr;
  pos: PosRange;
}

/** A subquery `expr[range:step]` with optional offset and `@`. */
export interface SubqueryExpr {
  type: "SubqueryExpr";
  expr: Expr;
  range: number;
  rangeExpr?: DurationExpr;
  /** Step in ms; 0 means "use the default evaluation interval". */
  step: number;
  stepExpr?: DurationExpr;
  offset: number;
  offsetExpr?: DurationExpr;
  at: AtModifier | null;
  pos: PosRange;
}

/** A parenthesised expression. */
export interface ParenExpr {
  type: "ParenExpr";
  expr: Expr;
  pos: PosRange;
}

/** Unary `-` or `+` applied to a non-literal expression. */
export interface UnaryExpr {
  type: "UnaryExpr";
  op: "-" | "+";
  expr: Expr;
  pos: PosRange;
}

/** Binary operators, spelled as in PromQL. */
export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "^" | "atan2"
  | "==" | "!=" | ">" | "<" | ">=" | "<="
  | "and" | "or" | "unless";

/** Vector matching cardinality. */
export type Cardinality = "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";

/** The `on`/`ignoring`/`group_*` clause of a binary operation between two vectors. */
export interface VectorMatching {
  card: Cardinality;
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  on: boolean;
  /** Whether an `on`/`ignoring` clause was written at all (printer detail). */
  explicit: boolean;
  labels: string[];
  /** The extra labels of `group_left(...)` / `group_right(...)`. */
  include: string[];
  /** Experimental fill modifiers: value used when the left/right side has no match. */
  fillLeft?: number;
  fillRight?: number;
}

/** A binary operation. */
export interface BinaryExpr {
  type: "BinaryExpr";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** The `bool` modifier of comparison operators. */
  returnBool: boolean;
  /** Set when both sides are vectors (or a matching clause was written). */
  matching: VectorMatching | null;
  pos: PosRange;
}

/** Aggregation operators. */
export type AggregateOp =
  | "sum" | "min" | "max" | "avg" | "group" | "stddev" | "stdvar" | "count" | "count_values"
  | "bottomk" | "topk" | "quantile" | "limitk" | "limit_ratio";

/** An aggregation `op by (l) (param, expr)`. */
export interface AggregateExpr {
  type: "AggregateExpr";
  op: AggregateOp;
  expr: Expr;
  param: Expr | null;
  grouping: string[];
  without: boolean;
  /** Whether a by/without clause was written (so `sum by () (x)` prints as written). */
  groupingWritten: boolean;
  pos: PosRange;
}

/** A function call. */
export interface Call {
  type: "Call";
  func: string;
  args: Expr[];
  pos: PosRange;
}

/** Any expression. */
export type Expr =
  | NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | SubqueryExpr
  | ParenExpr | UnaryExpr | BinaryExpr | AggregateExpr | Call;

/**
 * An experimental duration expression (inside `[...]` or after `offset`): arithmetic over number and
 * duration literals, `step()`, `range()`, `min_of()`, `max_of()`. Evaluates to seconds.
 */
export type DurationExpr = Expr;

/** Operators whose precedence, lowest first. */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2, unless: 2,
  "==": 3, "!=": 3, ">": 3, "<": 3, ">=": 3, "<=": 3,
  "+": 4, "-": 4,
  "*": 5, "/": 5, "%": 5, atan2: 5,
  "^": 6,
};

/** Whether the operator is a comparison (==, !=, <, >, <=, >=). */
export function isComparison(op: BinaryOp): boolean {
  return BINARY_PRECEDENCE[op] === 3;
}

/** Whether the operator is a set operator (and, or, unless). */
export function isSetOperator(op: BinaryOp): boolean {
  return op === "and" || op === "or" || op === "unless";
}

/** The static type of an expression. */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case "NumberLiteral": return "scalar";
    case "StringLiteral": return "string";
    case "VectorSelector": return "vector";
    case "MatrixSelector": return "matrix";
    case "SubqueryExpr": return "matrix";
    case "ParenExpr": return exprType(e.expr);
    case "UnaryExpr": return exprType(e.expr);
    case "BinaryExpr": {
      const l = exprType(e.lhs), r = exprType(e.rhs);
      return l === "scalar" && r === "scalar" ? "scalar" : "vector";
    }
    case "AggregateExpr": return "vector";
    case "Call": return callReturnType(e.func);
  }
}

function callReturnType(name: string): ValueType {
  return FUNCTIONS.get(name)?.returnType ?? "none";
}

/** Calls `fn` for every node of the tree, parents before children. Return false to skip children. */
export function walk(e: Expr, fn: (e: Expr) => boolean | void): void {
  if (fn(e) === false) return;
  switch (e.type) {
    case "MatrixSelector": walk(e.vs, fn); break;
    case "SubqueryExpr": case "ParenExpr": case "UnaryExpr": walk(e.expr, fn); break;
    case "BinaryExpr": walk(e.lhs, fn); walk(e.rhs, fn); break;
    case "AggregateExpr": if (e.param) walk(e.param, fn); walk(e.expr, fn); break;
    case "Call": for (const a of e.args) walk(a, fn); break;
    default: break;
  }
}
