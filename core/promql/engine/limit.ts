/**
 * @module core/promql/engine/limit
 * Series selection for the experimental `limitk` and `limit_ratio` aggregations, as Prometheus does
 * it: limitk keeps the first k series of each group in input order (storage order, i.e. sorted by
 * labels); limit_ratio keeps a series when its label hash (XXH64, see xxhash.ts) scaled to [0, 1)
 * falls below the ratio (r ≥ 0) or at/above 1 + r (r < 0), so `limit_ratio(r)` and
 * `limit_ratio(-(1 - r))` partition a vector and the same series are picked at every step.
 */
import type { Labels } from "../../model/labels.ts";
import type { StepSeries } from "./types.ts";
import { labelsHash } from "./xxhash.ts";

const TWO_64 = 18446744073709551616;

/** The label hash of `l` as a fraction in [0, 1] (Prometheus's sampleOffset). */
export function labelsHashFraction(l: Labels): number {
  return Number(labelsHash(l)) / TWO_64;
}

/** Orders series for limitk: input order (Prometheus keeps the first k it sees). */
export function limitkOrder(series: StepSeries[]): StepSeries[] {
  return series;
}

/** Whether limit_ratio(r) keeps a series whose hash fraction is `f` (r already capped to [-1, 1]). */
export function limitRatioSelect(f: number, r: number): boolean {
  return (r >= 0 && f < r) || (r < 0 && f >= 1 + r);
}
