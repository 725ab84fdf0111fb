/**
 * @module core/promql/functions
 * The function implementation table: name → implementation. Its key set equals the signature table
 * in core/promql/parser/functions.ts (test/core/promql/functions/index.test.ts checks it).
 */
import { ExecutionError } from "../engine/errors.ts";
import { HISTOGRAM_FUNCTIONS } from "./histogram.ts";
import { INFO_FUNCTIONS } from "./info.ts";
import { LABEL_FUNCTIONS } from "./labels.ts";
import { MATH_FUNCTIONS } from "./math.ts";
import { OVER_TIME_FUNCTIONS } from "./over-time.ts";
import { RATE_FUNCTIONS } from "./rate.ts";
import { TIME_FUNCTIONS } from "./time.ts";
import { scalarArg, type FunctionImpl } from "./types.ts";

export type { FunctionArgs, FunctionImpl } from "./types.ts";

const DURATION_HELPERS: Record<string, FunctionImpl> = {
  step: (a) => ({ kind: "scalar", vals: new Float64Array(a.grid.n).fill(a.ctx.topStep / 1000) }),
  range: (a) => ({ kind: "scalar", vals: new Float64Array(a.grid.n).fill((a.ctx.o.end - a.ctx.o.start) / 1000) }),
  start: (a) => ({ kind: "scalar", vals: new Float64Array(a.grid.n).fill(a.ctx.o.start / 1000) }),
  end: (a) => ({ kind: "scalar", vals: new Float64Array(a.grid.n).fill(a.ctx.o.end / 1000) }),
  min_of: (a) => minMax(a, Math.min),
  max_of: (a) => minMax(a, Math.max),
  start_timestamp: () => {
    throw new ExecutionError("start_timestamp() needs sample start timestamps, which this storage does not keep");
  },
};

function minMax(a: Parameters<FunctionImpl>[0], f: (...v: number[]) => number) {
  const cols = a.args.map((_, i) => scalarArg(a, i));
  const out = new Float64Array(a.grid.n);
  for (let i = 0; i < a.grid.n; i++) out[i] = f(...cols.map((c) => c[i]!));
  return { kind: "scalar" as const, vals: out };
}

/** Function implementations by name. */
export const FUNCTION_IMPLS: ReadonlyMap<string, FunctionImpl> = new Map(Object.entries({
  ...RATE_FUNCTIONS, ...OVER_TIME_FUNCTIONS, ...MATH_FUNCTIONS, ...LABEL_FUNCTIONS,
  ...HISTOGRAM_FUNCTIONS, ...TIME_FUNCTIONS, ...INFO_FUNCTIONS, ...DURATION_HELPERS,
}));
