/**
 * @module core/promql/functions/time
 * Time functions: time(), timestamp() (for computed vectors; selectors are special-cased by the
 * evaluator to return sample timestamps), and the UTC calendar functions day_of_month, day_of_week,
 * day_of_year, days_in_month, hour, minute, month, year (default argument: vector(time())).
 */
import { Labels } from "../../model/labels.ts";
import { constantVector, mapValues, stepSeconds, vectorArg, type FunctionArgs, type FunctionImpl } from "./types.ts";
import { stepTime, type VectorValue } from "../engine/types.ts";

function calendar(fn: (d: Date) => number): FunctionImpl {
  return (a: FunctionArgs) => {
    const v: VectorValue = a.args.length > 0 ? vectorArg(a, 0) : constantVector(Labels.EMPTY, stepSeconds(a.grid));
    return mapValues(v, (x) => {
      if (!Number.isFinite(x)) return NaN;
      return fn(new Date(Math.trunc(x) * 1000));
    });
  };
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d.getTime() - start) / 86_400_000) + 1;
}

/** Time implementations by name. */
export const TIME_FUNCTIONS: Record<string, FunctionImpl> = {
  time: (a) => ({ kind: "scalar", vals: stepSeconds(a.grid) }),
  timestamp: (a) => mapValues(vectorArg(a, 0), (_x, i) => stepTime(a.grid, i) / 1000),
  day_of_month: calendar((d) => d.getUTCDate()),
  day_of_week: calendar((d) => d.getUTCDay()),
  day_of_year: calendar(dayOfYear),
  days_in_month: calendar((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()),
  hour: calendar((d) => d.getUTCHours()),
  minute: calendar((d) => d.getUTCMinutes()),
  month: calendar((d) => d.getUTCMonth() + 1),
  year: calendar((d) => d.getUTCFullYear()),
};
