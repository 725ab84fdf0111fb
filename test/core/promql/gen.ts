/**
 * @module test/core/promql/gen
 * fast-check generators of well-formed PromQL query strings (typed: instant-vector and scalar
 * expressions), shared by the parser round-trip and engine robustness property tests.
 */
import fc from "fast-check";

const metric = fc.constantFrom("foo", "bar", "http_requests_total", "x_bucket", "up");
const label = fc.constantFrom("job", "instance", "le", "a", "b", '"utf8.label"', '"ü x"');
const value = fc.constantFrom("api", "0", "1", "x.y", "", "a\"b", "+Inf", "ü");
const matchOp = fc.constantFrom("=", "!=", "=~", "!~");
const regexValue = fc.constantFrom(".*", ".+", "a|b", "[0-9]+", "api");
const duration = fc.constantFrom("1s", "30s", "1m", "5m", "1h30m", "90s", "2m");
const number = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.constantFrom("0.5", "1e3", "Inf", "NaN", "0x10", "2.5"),
);

/** A vector selector like `foo{job="api"}`. */
export const selector: fc.Arbitrary<string> = fc
  .tuple(metric, fc.array(fc.tuple(label, matchOp, value, regexValue), { maxLength: 2 }), fc.option(duration), fc.boolean(),
    fc.option(fc.constantFrom("@ 100", "@ start()", "@ end()", "@ 1.5")))
  .map(([m, ms, off, neg, at]) => {
    const body = ms.map(([l, op, v, re]) => `${l}${op}${JSON.stringify(op.includes("~") ? re : v)}`).join(", ");
    const mods = [at ?? "", off ? `offset ${neg ? "-" : ""}${off}` : ""].filter(Boolean).join(" ");
    return `${m}${ms.length ? `{${body}}` : ""}${mods ? ` ${mods}` : ""}`;
  });

const rangeFn = fc.constantFrom("rate", "increase", "delta", "irate", "idelta", "deriv", "changes", "resets",
  "avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "count_over_time", "last_over_time",
  "stddev_over_time", "present_over_time", "absent_over_time");
const instFn = fc.constantFrom("abs", "ceil", "floor", "exp", "ln", "sqrt", "sgn", "round", "timestamp", "sort",
  "sort_desc", "absent", "sin", "deg", "hour", "day_of_week");
const aggOp = fc.constantFrom("sum", "min", "max", "avg", "count", "group", "stddev", "stdvar");
const kOp = fc.constantFrom("topk", "bottomk");
const arith = fc.constantFrom("+", "-", "*", "/", "%", "^", "atan2");
const cmp = fc.constantFrom("==", "!=", ">", "<", ">=", "<=");
const setOp = fc.constantFrom("and", "or", "unless");

/** Generators of vector- and scalar-typed query strings. */
export const queries = fc.letrec<{ vector: string; scalar: string }>((tie) => ({
  scalar: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    number,
    fc.constant("time()"),
    fc.constant("pi()"),
    tie("vector").map((v) => `scalar(${v})`),
    fc.tuple(tie("scalar"), arith, tie("scalar")).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    tie("scalar").map((s) => `(${s})`),
    tie("scalar").map((s) => `-(${s})`),
  ),
  vector: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    selector,
    fc.tuple(rangeFn, selector, duration).map(([f, s, d]) => {
      const i = s.search(/ (offset|@)/);
      return i < 0 ? `${f}(${s}[${d}])` : `${f}(${s.slice(0, i)}[${d}]${s.slice(i)})`;
    }),
    fc.tuple(rangeFn, tie("vector"), duration, fc.option(duration)).map(([f, v, d, st]) => `${f}((${v})[${d}:${st ?? ""}])`),
    fc.tuple(instFn, tie("vector")).map(([f, v]) => `${f}(${v})`),
    fc.tuple(aggOp, fc.option(fc.tuple(fc.boolean(), fc.array(label, { maxLength: 2 }))), tie("vector")).map(([op, g, v]) =>
      g ? `${op} ${g[0] ? "without" : "by"} (${g[1].join(", ")}) (${v})` : `${op}(${v})`),
    fc.tuple(kOp, tie("scalar"), tie("vector")).map(([op, k, v]) => `${op}(${k}, ${v})`),
    fc.tuple(tie("scalar"), tie("vector")).map(([q, v]) => `quantile(${q}, ${v})`),
    fc.tuple(tie("vector"), arith, tie("scalar")).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie("vector"), cmp, fc.boolean(), tie("scalar")).map(([a, o, b, s]) => `(${a}) ${o}${b ? " bool" : ""} (${s})`),
    fc.tuple(tie("vector"), fc.oneof(arith, cmp), fc.option(fc.tuple(fc.boolean(), fc.array(label, { maxLength: 2 }))), tie("vector"))
      .map(([a, o, m, b]) => `(${a}) ${o} ${m ? `${m[0] ? "on" : "ignoring"}(${m[1].join(", ")}) ` : ""}(${b})`),
    fc.tuple(tie("vector"), setOp, tie("vector")).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie("scalar"), tie("vector")).map(([q, v]) => `histogram_quantile(${q}, ${v})`),
    tie("vector").map((v) => `label_replace(${v}, "dst", "$1-x", "job", "(.*)")`),
    tie("scalar").map((s) => `vector(${s})`),
    tie("vector").map((v) => `(${v})`),
    tie("vector").map((v) => `-(${v})`),
  ),
}));
