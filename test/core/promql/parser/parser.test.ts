import { describe, expect, test } from "bun:test";
import { astToJSON } from "../../../../core/promql/parser/ast-json.ts";
import { parseExpr, ParseError, formatExpr } from "../../../../core/promql/parser/index.ts";

// [query, canonical form]; the forms were checked against Prometheus's /api/v1/format_query.
const FORMAT_CASES: Array<[string, string]> = [
  ["sum by(job)(rate(x[5m]))", "sum by (job) (rate(x[5m]))"],
  ["sum(rate(x[5m])) by (job)", "sum by (job) (rate(x[5m]))"],
  ["sum without(a,b)(x)", "sum without (a, b) (x)"],
  ["topk(3,x)", "topk(3, x)"],
  ["a+b*c", "a + b * c"],
  ["(a+b)*c", "(a + b) * c"],
  ["a > bool 1", "a > bool 1"],
  ["a + on(x) group_left(y) b", "a + on (x) group_left (y) b"],
  ["a + ignoring(x) b", "a + ignoring (x) b"],
  ["a and on() b", "a and on () b"],
  ['foo{a="b", c=~"d.*",e!="f",g!~"h"}', 'foo{a="b",c=~"d.*",e!="f",g!~"h"}'],
  ['{__name__="foo"}', '{__name__="foo"}'],
  ['{"my.metric", "l.1"="v"}', '{"my.metric","l.1"="v"}'],
  ["x offset 5m", "x offset 5m"],
  ["x offset -5m", "x offset -5m"],
  ["x @ 100", "x @ 100.000"],
  ["x @ start()", "x @ start()"],
  ["x[1h30m] @ end() offset 1m", "x[1h30m] @ end() offset 1m"],
  ["rate(x[5m:])", "rate(x[5m:])"],
  ["rate(x[5m:30s] offset 1m)", "rate(x[5m:30s] offset 1m)"],
  ["-x", "-x"],
  ["-1", "-1"],
  ["- 2 ^ 2", "-2 ^ 2"],
  ["1e3", "1000"],
  ["0x1f", "31"],
  ["Inf", "+Inf"],
  ["-inf", "-Inf"],
  ["nan", "NaN"],
  ['"a\\nb"', '"a\\nb"'],
  ["`raw\\n`", '"raw\\\\n"'],
  ["x # comment", "x"],
  ["count_values(\"v\", x)", 'count_values("v", x)'],
  ["histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"],
  ["label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")", 'label_replace(x, "a", "$1", "b", "(.*)")'],
];

// [query, message]
const ERROR_CASES: Array<[string, string]> = [
  ["", "1:1: parse error: no expression found in input"],
  ["foo{", "1:5: parse error: unexpected end of input inside braces"],
  ["sum(", "1:5: parse error: unclosed left parenthesis"],
  ["1 +", "1:4: parse error: unexpected end of input"],
  ["foo)", "1:5: parse error: unexpected right parenthesis ')'"],
  ["foo[5m", "1:7: parse error: unclosed left bracket"],
  ["rate(x)", '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ["nosuchfn(x)", '1:1: parse error: unknown function with name "nosuchfn"'],
  ["1 > 2", "1:1: parse error: comparisons between scalars must use BOOL modifier"],
  ["x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"],
  ["rate(x[5m]) offset 1m", "1:13: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"],
  ['{a=""}', "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ["1 and 2", '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ["sum(x, y)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"],
  ["round(x, 1, 2)", '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ["x\n+ ~", "2:3: parse error: unexpected character: '~'"],
];

describe("parser", () => {
  test.each(FORMAT_CASES)("formats %p", (q, want) => {
    expect(formatExpr(parseExpr(q))).toBe(want);
  });

  test.each(ERROR_CASES)("rejects %p", (q, msg) => {
    let err: unknown;
    try {
      parseExpr(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toBe(msg);
    expect((err as ParseError).code).toBe("bad_data");
  });

  test("precedence and associativity", () => {
    const e = parseExpr("a - b - c");
    expect(e.type === "BinaryExpr" && e.lhs.type === "BinaryExpr").toBe(true);
    const p = parseExpr("a ^ b ^ c");
    expect(p.type === "BinaryExpr" && p.rhs.type === "BinaryExpr").toBe(true);
    const u = parseExpr("-a * b");
    expect(u.type === "BinaryExpr" && u.op === "*" && u.lhs.type === "UnaryExpr").toBe(true);
    const o = parseExpr("a or b and c");
    expect(o.type === "BinaryExpr" && o.op === "or").toBe(true);
  });

  test("durations", () => {
    const e = parseExpr("x[1h30m]");
    expect(e.type === "MatrixSelector" && e.range).toBe(5_400_000);
    const f = parseExpr("x[1.5m]");
    expect(f.type === "MatrixSelector" && f.range).toBe(90_000);
    const n = parseExpr("5m");
    expect(n.type === "NumberLiteral" && n.val).toBe(300);
  });

  test("experimental syntax is rejected unless enabled", () => {
    expect(() => parseExpr("limitk(1, x)", { enableExperimentalFunctions: false })).toThrow(ParseError);
    expect(() => parseExpr("x[5m+1m]", { enableDurationExpressions: false })).toThrow(ParseError);
    expect(() => parseExpr("a + fill(0) b", { enableBinopFillModifiers: false })).toThrow(ParseError);
  });

  test("positions", () => {
    const e = parseExpr("sum(rate(foo[5m]))");
    expect(e.pos).toEqual({ start: 0, end: 18 });
    if (e.type !== "AggregateExpr") throw new Error("not an aggregation");
    expect(e.expr.pos).toEqual({ start: 4, end: 17 });
  });

  test("AST JSON for parse_query", () => {
    expect(astToJSON(parseExpr('sum by (job) (foo{a="b"} offset 1m)'))).toEqual({
      type: "aggregation", op: "sum", param: null, grouping: ["job"], without: false,
      expr: {
        type: "vectorSelector", name: "foo", offset: 60000, timestamp: null, startOrEnd: null, anchored: false, smoothed: false,
        matchers: [{ type: "=", name: "__name__", value: "foo" }, { type: "=", name: "a", value: "b" }],
      },
    });
  });
});
