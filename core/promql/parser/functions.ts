/**
 * @module core/promql/parser/functions
 * The PromQL function signature table: name → argument types, variadic count, return type and whether
 * the function is experimental (behind `enableExperimentalFunctions`). The engine's implementation
 * table (core/promql/functions/index.ts) has exactly the same key set; a test checks it. The UI's
 * completion reads this table too.
 */

/** The four PromQL value types, plus "none" for invalid positions. */
export type ValueType = "scalar" | "vector" | "matrix" | "string" | "none";

/** A function's signature. */
export interface FunctionSignature {
  name: string;
  argTypes: ValueType[];
  /**
   * 0: exactly argTypes.length arguments; n > 0: up to n extra repetitions of the last argument type
   * are optional (the last one may be omitted too); -1: any number of repetitions of the last type.
   */
  variadic: number;
  returnType: ValueType;
  experimental: boolean;
}

const V: ValueType = "vector", M: ValueType = "matrix", S: ValueType = "scalar", STR: ValueType = "string";

function sig(name: string, argTypes: ValueType[], returnType: ValueType, variadic = 0, experimental = false): FunctionSignature {
  return { name, argTypes, variadic, returnType, experimental };
}

const LIST: FunctionSignature[] = [
  sig("abs", [V], V), sig("absent", [V], V), sig("absent_over_time", [M], V),
  sig("acos", [V], V), sig("acosh", [V], V), sig("asin", [V], V), sig("asinh", [V], V),
  sig("atan", [V], V), sig("atanh", [V], V), sig("avg_over_time", [M], V), sig("ceil", [V], V),
  sig("changes", [M], V), sig("clamp", [V, S, S], V), sig("clamp_max", [V, S], V), sig("clamp_min", [V, S], V),
  sig("cos", [V], V), sig("cosh", [V], V), sig("count_over_time", [M], V),
  sig("days_in_month", [V], V, 1), sig("day_of_month", [V], V, 1), sig("day_of_week", [V], V, 1),
  sig("day_of_year", [V], V, 1), sig("deg", [V], V), sig("delta", [M], V), sig("deriv", [M], V),
  sig("exp", [V], V), sig("floor", [V], V), sig("first_over_time", [M], V, 0, true),
  sig("histogram_avg", [V], V), sig("histogram_count", [V], V), sig("histogram_sum", [V], V),
  sig("histogram_stddev", [V], V), sig("histogram_stdvar", [V], V),
  sig("histogram_fraction", [S, S, V], V), sig("histogram_quantile", [S, V], V),
  sig("histogram_quantiles", [V, STR, S, S], V, -1, true),
  sig("double_exponential_smoothing", [M, S, S], V, 0, true),
  sig("hour", [V], V, 1), sig("idelta", [M], V), sig("increase", [M], V),
  sig("info", [V, V], V, 1, true), sig("irate", [M], V),
  sig("label_replace", [V, STR, STR, STR, STR], V), sig("label_join", [V, STR, STR, STR], V, -1),
  sig("last_over_time", [M], V), sig("ln", [V], V), sig("log10", [V], V), sig("log2", [V], V),
  sig("mad_over_time", [M], V, 0, true), sig("max_over_time", [M], V), sig("min_over_time", [M], V),
  sig("ts_of_first_over_time", [M], V, 0, true), sig("ts_of_last_over_time", [M], V, 0, true),
  sig("ts_of_max_over_time", [M], V, 0, true), sig("ts_of_min_over_time", [M], V, 0, true),
  sig("minute", [V], V, 1), sig("month", [V], V, 1), sig("pi", [], S),
  sig("predict_linear", [M, S], V), sig("present_over_time", [M], V),
  sig("quantile_over_time", [S, M], V), sig("rad", [V], V), sig("rate", [M], V), sig("resets", [M], V),
  sig("round", [V, S], V, 1), sig("scalar", [V], S), sig("sgn", [V], V), sig("sin", [V], V),
  sig("sinh", [V], V), sig("sort", [V], V), sig("sort_desc", [V], V),
  sig("sort_by_label", [V, STR], V, -1, true), sig("sort_by_label_desc", [V, STR], V, -1, true),
  sig("sqrt", [V], V), sig("stddev_over_time", [M], V), sig("stdvar_over_time", [M], V),
  sig("sum_over_time", [M], V), sig("tan", [V], V), sig("tanh", [V], V), sig("time", [], S),
  sig("timestamp", [V], V), sig("vector", [S], V), sig("year", [V], V, 1),
  // Experimental duration-expression helpers; only valid inside `[...]` / offset expressions and `@`.
  sig("step", [], S, 0, true), sig("range", [], S, 0, true), sig("start", [], S, 0, true), sig("end", [], S, 0, true),
  sig("min_of", [S, S], S, -1, true), sig("max_of", [S, S], S, -1, true),
  sig("start_timestamp", [V], V, 0, true),
];

/** The signature table, keyed by function name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(LIST.map((f) => [f.name, f]));

/** Names usable only inside duration expressions (experimental). */
export const DURATION_FUNCTIONS: ReadonlySet<string> = new Set(["step", "range", "min_of", "max_of"]);
