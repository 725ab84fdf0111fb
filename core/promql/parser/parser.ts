/**
 * @module core/promql/parser/parser
 * A recursive-descent / Pratt parser for PromQL as Prometheus 3 accepts it, producing the typed AST of
 * ast.ts, followed by a static type check (check.ts) with Prometheus's messages. Precedence, lowest
 * first: or; and unless; comparisons; + -; * / % atan2; ^ (right-associative); unary +/- binds like `*`
 * (so `-2^2` is -4). Offsets, `@`, ranges and subqueries are postfix modifiers on primaries.
 * Size note (~610 lines): the Parser class is one cohesive state machine over the token list; the
 * free-standing parts live beside it (check.ts, duration-expr.ts, lexer.ts).
 */
import { newMatcher, type Matcher, type MatchType } from "../../model/matcher.ts";
import { RegexError } from "../../model/regex.ts";
import {
  BINARY_PRECEDENCE, exprType, isComparison, isSetOperator, walk,
  type AggregateExpr, type AggregateOp, type AtModifier, type BinaryExpr, type BinaryOp, type Call, type Expr,
  type MatrixSelector, type NumberLiteral, type SubqueryExpr, type VectorMatching, type VectorSelector,
} from "./ast.ts";
import { checkAST } from "./check.ts";
import { checkDurationExpr, constDurationSeconds, secondsToMs } from "./duration-expr.ts";
import { ParseError } from "./errors.ts";
import { DURATION_FUNCTIONS, FUNCTIONS } from "./functions.ts";
import { KEYWORDS, lex, type Token, type TokenKind } from "./lexer.ts";

/** Parser options (experimental syntax is rejected unless enabled). */
export interface ParseOptions {
  /** Allow experimental functions (limitk, limit_ratio, info, sort_by_label, …). Default true. */
  enableExperimentalFunctions?: boolean;
  /** Allow duration arithmetic in `[...]` and offset (`[5m+1m]`, `[step()]`). Default true. */
  enableDurationExpressions?: boolean;
  /** Allow `anchored` / `smoothed` range modifiers. Default true. */
  enableExtendedRangeSelectors?: boolean;
  /** Allow `fill()` / `fill_left()` / `fill_right()` binary modifiers. Default true. */
  enableBinopFillModifiers?: boolean;
}

const AGGREGATORS: ReadonlySet<string> = new Set([
  "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
  "bottomk", "topk", "quantile", "limitk", "limit_ratio",
]);
const PARAM_AGGREGATORS: ReadonlySet<string> = new Set(["count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"]);
/** Keywords that are also valid metric names outside their modifier position. */
const SOFT_KEYWORDS: ReadonlySet<string> = new Set(["anchored", "smoothed", "fill", "fill_left", "fill_right"]);
const EXPERIMENTAL_AGGREGATORS: ReadonlySet<string> = new Set(["limitk", "limit_ratio"]);

/** Parses a PromQL expression. Throws {@link ParseError}. */
export function parseExpr(query: string, opts: ParseOptions = {}): Expr {
  const p = new Parser(query, opts);
  const e = p.parseTop();
  checkAST(e, query);
  normalizeMatching(e);
  return e;
}

/** Gives every vector/vector binary expression a matching clause (the default when none was written). */
function normalizeMatching(e: Expr): void {
  walk(e, (n) => {
    if (n.type === "BinaryExpr" && !n.matching && exprType(n.lhs) === "vector" && exprType(n.rhs) === "vector") {
      n.matching = { card: isSetOperator(n.op) ? "many-to-many" : "one-to-one", on: false, explicit: false, labels: [], include: [] };
    }
  });
}

/** Parses a series selector such as `foo{bar="baz"}` (as used by load lines and match[]). */
export function parseSeriesSelector(query: string): VectorSelector {
  const p = new Parser(query, {});
  const e = p.parseTop();
  if (e.type !== "VectorSelector") throw new ParseError(query, e.pos, "expected a series selector");
  return e;
}

function tokDesc(t: Token): string {
  if (t.kind === "EOF") return "end of input";
  if (t.kind === "IDENT") return KEYWORDS.has(t.text.toLowerCase()) ? t.text : `identifier "${t.text}"`;
  if (t.kind === "NUMBER") return `number "${t.text}"`;
  if (t.kind === "DURATION") return `duration "${t.text}"`;
  if (t.kind === "STRING") return `string ${t.text}`;
  const names: Partial<Record<TokenKind, string>> = {
    "(": "(", ")": ")", "{": "{", "}": "}", "[": "[", "]": "]", ",": ",", ":": ":", "@": "@",
    "=": "=", "==": "==", "!=": "!=", "=~": "=~", "!~": "!~",
  };
  return names[t.kind] ?? t.text;
}

class Parser {
  readonly q: string;
  readonly toks: Token[];
  i = 0;
  readonly opts: Required<ParseOptions>;
  /** Depth of `[...]` duration contexts (duration functions are only valid there). */
  durationDepth = 0;
  /** Set while parsing info()'s second argument. */
  allowEmptySelector = false;

  constructor(q: string, opts: ParseOptions) {
    this.q = q;
    this.toks = lex(q);
    this.opts = {
      enableExperimentalFunctions: opts.enableExperimentalFunctions ?? true,
      enableDurationExpressions: opts.enableDurationExpressions ?? true,
      enableExtendedRangeSelectors: opts.enableExtendedRangeSelectors ?? true,
      enableBinopFillModifiers: opts.enableBinopFillModifiers ?? true,
    };
  }

  peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  err(t: { start: number; end: number }, msg: string): never {
    throw new ParseError(this.q, { start: t.start, end: t.end }, msg);
  }
  unexpected(ctx: string, expected?: string): never {
    const t = this.peek();
    let msg = `unexpected ${tokDesc(t)}`;
    if (ctx) msg += ` in ${ctx}`;
    if (expected) msg += `, expected ${expected}`;
    this.err(t, msg);
  }
  expect(kind: TokenKind, ctx: string, expected?: string): Token {
    if (this.peek().kind !== kind) this.unexpected(ctx, expected ?? `"${kind}"`);
    return this.next();
  }
  isKw(t: Token, kw: string): boolean {
    return t.kind === "IDENT" && t.text.toLowerCase() === kw;
  }

  parseTop(): Expr {
    if (this.peek().kind === "EOF") this.err(this.peek(), "no expression found in input");
    const e = this.parseExpr(0);
    if (this.peek().kind !== "EOF") {
      const t = this.peek();
      this.unexpected("");
      void t;
    }
    return e;
  }

  /** Binary operator at the current token, if any. */
  binOp(): BinaryOp | null {
    const t = this.peek();
    switch (t.kind) {
      case "+": case "-": case "*": case "/": case "%": case "^":
      case "==": case "!=": case "<": case "<=": case ">": case ">=":
        return t.kind;
      case "IDENT": {
        const w = t.text.toLowerCase();
        if (w === "and" || w === "or" || w === "unless" || w === "atan2") return w;
        return null;
      }
      default:
        return null;
    }
  }

  parseExpr(minPrec: number): Expr {
    let lhs = this.parseUnary();
    while (true) {
      const op = this.binOp();
      if (!op) break;
      const prec = BINARY_PRECEDENCE[op];
      if (prec < minPrec) break;
      this.next();
      const bin = this.parseBinaryModifiers(op);
      const rhs = this.parseExpr(op === "^" ? prec : prec + 1);
      const e: BinaryExpr = {
        type: "BinaryExpr", op, lhs, rhs, returnBool: bin.returnBool, matching: bin.matching,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
      lhs = e;
    }
    return lhs;
  }

  parseBinaryModifiers(op: BinaryOp): { returnBool: boolean; matching: VectorMatching | null } {
    let returnBool = false;
    if (this.isKw(this.peek(), "bool")) {
      const t = this.next();
      if (!isComparison(op)) this.err(t, "bool modifier can only be used on comparison operators");
      returnBool = true;
    }
    let matching: VectorMatching | null = null;
    const mk = (): VectorMatching => (matching ??= {
      card: isSetOperator(op) ? "many-to-many" : "one-to-one", on: false, explicit: false, labels: [], include: [],
    });
    const t = this.peek();
    if (this.isKw(t, "on") || this.isKw(t, "ignoring")) {
      this.next();
      const m = mk();
      m.on = t.text.toLowerCase() === "on";
      m.explicit = true;
      m.labels = this.parseLabelList("grouping opts");
      const g = this.peek();
      if (this.isKw(g, "group_left") || this.isKw(g, "group_right")) {
        this.next();
        if (isSetOperator(op)) this.err(g, `no grouping allowed for "${op}" operation`);
        m.card = g.text.toLowerCase() === "group_left" ? "many-to-one" : "one-to-many";
        if (this.peek().kind === "(") m.include = this.parseLabelList("grouping opts");
      }
    } else if (this.isKw(t, "group_left") || this.isKw(t, "group_right")) {
      this.unexpected("binary expression");
    }
    // Experimental fill modifiers.
    while (true) {
      const f = this.peek();
      const w = f.kind === "IDENT" ? f.text.toLowerCase() : "";
      if ((w !== "fill" && w !== "fill_left" && w !== "fill_right") || this.peek(1).kind !== "(") break;
      if (!this.opts.enableBinopFillModifiers) this.err(f, "fill modifiers are experimental and not enabled");
      this.next();
      this.next();
      const v = this.parseSignedNumber("fill modifier");
      this.expect(")", "fill modifier");
      const m = mk();
      if (w === "fill" || w === "fill_left") m.fillLeft = v;
      if (w === "fill" || w === "fill_right") m.fillRight = v;
    }
    if (this.isKw(this.peek(), "bool") && !returnBool) this.err(this.peek(), "unexpected bool");
    return { returnBool, matching };
  }

  parseSignedNumber(ctx: string): number {
    let sign = 1;
    while (this.peek().kind === "-" || this.peek().kind === "+") if (this.next().kind === "-") sign = -sign;
    const t = this.peek();
    if (t.kind === "NUMBER") {
      this.next();
      return sign * (t.value as number);
    }
    if (t.kind === "DURATION") {
      this.next();
      return (sign * (t.value as number)) / 1000;
    }
    if (t.kind === "IDENT") {
      const w = t.text.toLowerCase();
      if (w === "inf" || w === "nan") {
        this.next();
        return w === "inf" ? sign * Infinity : NaN;
      }
    }
    this.unexpected(ctx, "number");
  }

  parseLabelList(ctx: string): string[] {
    this.expect("(", ctx, '"("');
    const out: string[] = [];
    while (this.peek().kind !== ")") {
      const t = this.next();
      if (t.kind === "IDENT") out.push(t.text);
      else if (t.kind === "STRING") out.push(t.value as string);
      else {
        this.i--;
        this.unexpected(ctx, "label");
      }
      if (this.peek().kind === ",") this.next();
      else if (this.peek().kind !== ")") this.unexpected(ctx, '"," or ")"');
    }
    this.next();
    return out;
  }

  parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === "-" || t.kind === "+") {
      this.next();
      const operand = this.parseExpr(BINARY_PRECEDENCE["^"]);
      if (operand.type === "NumberLiteral") {
        return { ...operand, val: t.kind === "-" ? -operand.val : operand.val, pos: { start: t.start, end: operand.pos.end } };
      }
      return { type: "UnaryExpr", op: t.kind, expr: operand, pos: { start: t.start, end: operand.pos.end } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case "NUMBER":
        this.next();
        return { type: "NumberLiteral", val: t.value as number, pos: { start: t.start, end: t.end } };
      case "DURATION":
        this.next();
        return { type: "NumberLiteral", val: (t.value as number) / 1000, duration: true, pos: { start: t.start, end: t.end } };
      case "STRING":
        this.next();
        return { type: "StringLiteral", val: t.value as string, pos: { start: t.start, end: t.end } };
      case "(": {
        this.next();
        const inner = this.parseExpr(0);
        const close = this.expect(")", "paren expression", '")"');
        return { type: "ParenExpr", expr: inner, pos: { start: t.start, end: close.end } };
      }
      case "{":
        return this.parseVectorSelector(null);
      case "IDENT":
        return this.parseIdentPrimary();
      default:
        if (t.kind === "EOF") this.err(t, "unexpected end of input");
        this.unexpected("");
    }
  }

  parseIdentPrimary(): Expr {
    const t = this.peek();
    const w = t.text.toLowerCase();
    const nt = this.peek(1);
    if (w === "inf" || w === "nan") {
      this.next();
      return { type: "NumberLiteral", val: w === "inf" ? Infinity : NaN, pos: { start: t.start, end: t.end } };
    }
    if (AGGREGATORS.has(w) && (nt.kind === "(" || this.isKw(nt, "by") || this.isKw(nt, "without"))) {
      return this.parseAggregate();
    }
    if (nt.kind === "(") return this.parseCall();
    if (KEYWORDS.has(w) && !AGGREGATORS.has(w) && !SOFT_KEYWORDS.has(w)) this.unexpected("");
    return this.parseVectorSelector(this.next());
  }

  parseCall(): Call {
    const nameTok = this.next();
    let name = nameTok.text;
    if (this.durationDepth > 0 && DURATION_FUNCTIONS.has(name.toLowerCase())) name = name.toLowerCase();
    const sig = FUNCTIONS.get(name);
    if (!sig) this.err(nameTok, `unknown function with name "${name}"`);
    if (sig.experimental && !this.opts.enableExperimentalFunctions) {
      this.err(nameTok, `function "${name}" is not enabled`);
    }
    this.next(); // (
    const args: Expr[] = [];
    while (this.peek().kind !== ")") {
      // info()'s data-label selector may consist of matchers that all accept the empty string.
      this.allowEmptySelector = name === "info" && args.length === 1;
      args.push(this.parseExpr(0));
      this.allowEmptySelector = false;
      if (this.peek().kind === ",") {
        this.next();
        if (this.peek().kind === ")") this.unexpected("function call");
      } else if (this.peek().kind !== ")") this.unexpected("function call", '"," or ")"');
    }
    const close = this.next();
    return { type: "Call", func: name, args, pos: { start: nameTok.start, end: close.end } };
  }

  parseAggregate(): AggregateExpr {
    const opTok = this.next();
    const op = opTok.text.toLowerCase() as AggregateOp;
    if (EXPERIMENTAL_AGGREGATORS.has(op) && !this.opts.enableExperimentalFunctions) {
      this.err(opTok, `limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions`);
    }
    let grouping: string[] = [];
    let without = false;
    let groupingWritten = false;
    const parseGrouping = () => {
      const g = this.next();
      without = g.text.toLowerCase() === "without";
      grouping = this.parseLabelList("grouping opts");
      groupingWritten = true;
    };
    if (this.isKw(this.peek(), "by") || this.isKw(this.peek(), "without")) parseGrouping();
    this.expect("(", "aggregation", '"("');
    const args: Expr[] = [];
    while (this.peek().kind !== ")") {
      args.push(this.parseExpr(0));
      if (this.peek().kind === ",") this.next();
      else if (this.peek().kind !== ")") this.unexpected("aggregation", '"," or ")"');
    }
    let close = this.next();
    if (this.isKw(this.peek(), "by") || this.isKw(this.peek(), "without")) {
      if (groupingWritten) this.unexpected("aggregation");
      parseGrouping();
      close = this.toks[this.i - 1]!;
    }
    if (args.length === 0) this.err({ start: opTok.start, end: close.end }, "no arguments for aggregate expression provided");
    let param: Expr | null = null;
    let expr: Expr;
    if (PARAM_AGGREGATORS.has(op)) {
      if (args.length !== 2) this.err({ start: opTok.start, end: close.end }, `wrong number of arguments for aggregate expression provided, expected 2, got ${args.length}`);
      param = args[0]!;
      expr = args[1]!;
    } else {
      if (args.length !== 1) this.err({ start: opTok.start, end: close.end }, `wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
      expr = args[0]!;
    }
    return { type: "AggregateExpr", op, expr, param, grouping, without, groupingWritten, pos: { start: opTok.start, end: close.end } };
  }

  parseVectorSelector(nameTok: Token | null): VectorSelector {
    const start = nameTok ? nameTok.start : this.peek().start;
    let name = nameTok ? nameTok.text : "";
    const matchers: Matcher[] = [];
    let end = nameTok ? nameTok.end : start;
    if (this.peek().kind === "{") {
      this.next();
      while (this.peek().kind !== "}") {
        const lt = this.next();
        let lname: string;
        if (lt.kind === "IDENT") lname = lt.text;
        else if (lt.kind === "STRING") lname = lt.value as string;
        else {
          this.i--;
          this.unexpected("label matching", "label matching operator");
        }
        const opTok = this.peek();
        if (lt.kind === "STRING" && (opTok.kind === "," || opTok.kind === "}")) {
          // A quoted metric name inside braces: {"my.metric"}.
          if (name !== "") this.err(lt, "metric name must not be set twice: " + JSON.stringify(name) + " or " + JSON.stringify(lname));
          name = lname;
        } else {
          if (opTok.kind !== "=" && opTok.kind !== "!=" && opTok.kind !== "=~" && opTok.kind !== "!~") {
            if (opTok.kind === "EOF") this.unexpected("label matching");
            this.unexpected("label matching", "label matching operator");
          }
          this.next();
          const vt = this.peek();
          if (vt.kind !== "STRING") this.unexpected("label matching", "string");
          this.next();
          try {
            matchers.push(newMatcher(opTok.kind as MatchType, lname, vt.value as string));
          } catch (e) {
            if (e instanceof RegexError) this.err(lt, e.message.startsWith("error parsing regexp") ? e.message : `error parsing regexp: ${e.message}`);
            throw e;
          }
        }
        if (this.peek().kind === ",") this.next();
        else if (this.peek().kind !== "}") this.unexpected("label matching", '"," or "}"');
      }
      end = this.next().end;
    }
    const nameMatchers = matchers.filter((m) => m.name === "__name__");
    if (name !== "") {
      if (nameTok && nameMatchers.length > 0 && false) this.err({ start, end }, "metric name must not be set twice");
      matchers.unshift(newMatcher("=", "__name__", name));
    }
    if (!nameTok && name === "" && nameMatchers.length === 1 && nameMatchers[0]!.type === "=") {
      name = "";
    }
    // At least one matcher must not match the empty string.
    if (!this.allowEmptySelector && !matchers.some((m) => !m.matchesEmpty())) {
      this.err({ start, end }, "vector selector must contain at least one non-empty matcher");
    }
    return {
      type: "VectorSelector", name, matchers, bareName: nameTok !== null, offset: 0, at: null,
      pos: { start, end },
    };
  }

  parsePostfix(e: Expr): Expr {
    while (true) {
      const t = this.peek();
      if (t.kind === "[") {
        e = this.parseRangeOrSubquery(e);
      } else if (this.isKw(t, "offset")) {
        this.next();
        e = this.applyOffset(e, t);
      } else if (t.kind === "@") {
        this.next();
        e = this.applyAt(e, t);
      } else if ((this.isKw(t, "anchored") || this.isKw(t, "smoothed")) && (e.type === "MatrixSelector" || e.type === "VectorSelector")) {
        if (!this.opts.enableExtendedRangeSelectors) this.err(t, `${t.text} modifier is experimental and not enabled`);
        this.next();
        const vs = e.type === "MatrixSelector" ? e.vs : e;
        if (vs.anchored || vs.smoothed) this.err(t, "anchored and smoothed modifiers cannot be used together");
        if (t.text.toLowerCase() === "anchored") vs.anchored = true;
        else vs.smoothed = true;
        e.pos = { start: e.pos.start, end: t.end };
      } else {
        return e;
      }
    }
  }

  parseRangeOrSubquery(e: Expr): Expr {
    const open = this.next();
    const range = this.parseDuration("range");
    if (this.peek().kind === "]") {
      const close = this.next();
      if (e.type !== "VectorSelector") {
        this.err({ start: e.pos.start, end: close.end }, "ranges only allowed for vector selectors");
      }
      if (e.offset !== 0 || e.offsetExpr || e.at) {
        this.err({ start: open.start, end: close.end }, "no offset modifiers allowed before range");
      }
      const ms: MatrixSelector = { type: "MatrixSelector", vs: e, range: range.ms, pos: { start: e.pos.start, end: close.end } };
      if (range.expr) ms.rangeExpr = range.expr;
      return ms;
    }
    if (this.peek().kind !== ":") this.unexpected("subquery or range", '":" or "]"');
    this.next();
    let step: { ms: number; expr?: Expr } = { ms: 0 };
    if (this.peek().kind !== "]") step = this.parseDuration("subquery step");
    const close = this.expect("]", "subquery selector", '"]"');
    const sq: SubqueryExpr = {
      type: "SubqueryExpr", expr: e, range: range.ms, step: step.ms, offset: 0, at: null,
      pos: { start: e.pos.start, end: close.end },
    };
    if (range.expr) sq.rangeExpr = range.expr;
    if (step.expr) sq.stepExpr = step.expr;
    return sq;
  }

  /** Parses a duration (literal, number of seconds, or experimental duration expression). */
  parseDuration(ctx: string): { ms: number; expr?: Expr } {
    const t = this.peek();
    const t1 = this.peek(1);
    if (t.kind === "DURATION" && (t1.kind === "]" || t1.kind === ":")) {
      this.next();
      return { ms: t.value as number };
    }
    if (t.kind === "NUMBER" && (t1.kind === "]" || t1.kind === ":")) {
      this.next();
      return { ms: secondsToMs(t.value as number, this, t) };
    }
    if (t.kind === "]" || t.kind === ":" || t.kind === "EOF") this.unexpected(ctx, "number or duration");
    if (!this.opts.enableDurationExpressions) this.unexpected(ctx, "number or duration");
    this.durationDepth++;
    const e = this.parseExpr(0);
    this.durationDepth--;
    return this.foldDuration(e);
  }

  /** Folds a constant duration expression to ms; keeps it as an expression when it needs step()/range(). */
  foldDuration(e: Expr): { ms: number; expr?: Expr } {
    checkDurationExpr(e, this);
    const v = constDurationSeconds(e);
    if (v === null) return { ms: 0, expr: e };
    const ms = Math.round(v * 1000);
    if (!Number.isFinite(v)) this.err(e.pos, "duration must be finite");
    return { ms };
  }

  applyOffset(e: Expr, kw: Token): Expr {
    let ms: number;
    let expr: Expr | undefined;
    const t = this.peek();
    let neg = false;
    let j = 0;
    if (t.kind === "-" || t.kind === "+") {
      neg = t.kind === "-";
      j = 1;
    }
    const lit = this.peek(j);
    if (lit.kind === "DURATION" || lit.kind === "NUMBER") {
      // Simple literal offset; binary operators after it belong to the outer expression.
      this.i += j + 1;
      ms = lit.kind === "DURATION" ? (lit.value as number) : secondsToMs(lit.value as number, this, lit);
      if (neg) ms = -ms;
    } else if ((lit.kind === "(" || (lit.kind === "IDENT" && this.peek(j + 1).kind === "(")) && this.opts.enableDurationExpressions) {
      // A duration expression term: (expr), step(), min_of(...), optionally signed.
      this.i += j;
      this.durationDepth++;
      let inner = this.parsePrimary();
      this.durationDepth--;
      if (j === 1) inner = { type: "UnaryExpr", op: t.kind as "-" | "+", expr: inner, pos: { start: t.start, end: inner.pos.end } };
      const f = this.foldDuration(inner);
      ms = f.ms;
      expr = f.expr;
    } else {
      this.unexpected("offset", "number or duration");
    }
    const end = this.toks[this.i - 1]!.end;
    const target = e.type === "MatrixSelector" ? e.vs : e;
    if (target.type !== "VectorSelector" && target.type !== "SubqueryExpr") {
      this.err(kw, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }
    if (target.offset !== 0 || target.offsetExpr) this.err(kw, "offset may not be set multiple times");
    target.offset = ms;
    if (expr) target.offsetExpr = expr;
    e.pos = { start: e.pos.start, end };
    return e;
  }

  applyAt(e: Expr, atTok: Token): Expr {
    let at: AtModifier;
    const t = this.peek();
    const w = t.kind === "IDENT" ? t.text.toLowerCase() : "";
    if ((w === "start" || w === "end") && this.peek(1).kind === "(") {
      this.next();
      this.next();
      this.expect(")", "@ modifier", '")"');
      at = { kind: w };
    } else {
      let sign = 1;
      let j = 0;
      if (t.kind === "-" || t.kind === "+") {
        sign = t.kind === "-" ? -1 : 1;
        j = 1;
      }
      const lit = this.peek(j);
      if (lit.kind === "NUMBER") {
        this.i += j + 1;
        const v = sign * (lit.value as number);
        if (!Number.isFinite(v)) this.err(lit, `timestamp out of bounds for @ modifier: ${v}`);
        at = { kind: "time", ms: Math.round(v * 1000) };
      } else if (lit.kind === "DURATION") {
        this.i += j + 1;
        at = { kind: "time", ms: sign * (lit.value as number) };
      } else {
        this.unexpected("@", "timestamp");
      }
    }
    const end = this.toks[this.i - 1]!.end;
    const target = e.type === "MatrixSelector" ? e.vs : e;
    if (target.type !== "VectorSelector" && target.type !== "SubqueryExpr") {
      this.err(atTok, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }
    if (target.at) this.err(atTok, "@ <timestamp> may not be set multiple times");
    target.at = at;
    e.pos = { start: e.pos.start, end };
    return e;
  }
}

export type { NumberLiteral };
export { constDurationSeconds };
