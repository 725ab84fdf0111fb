/**
 * @module core/promql/engine/limit
 * Series selection helpers for the experimental `limitk` and `limit_ratio` aggregations. Selection is
 * deterministic per label set: series are ordered (limitk) or sampled (limit_ratio) by a hash of their
 * labels, so the same series are picked at every step.
 */
import type { Labels } from "../../model/labels.ts";
import type { StepSeries } from "./types.ts";

/** A 64-bit FNV-1a hash of the label set, as a fraction in [0, 1). */
export function labelsHashFraction(l: Labels): number {
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  const key = l.key();
  for (let i = 0; i < key.length; i++) {
    h ^= BigInt(key.charCodeAt(i) & 0xff);
    h = (h * p) & mask;
  }
  return Number(h >> 11n) / 2 ** 53;
}

/** Orders series for limitk: by label hash (deterministic across steps). */
export function limitkOrder(series: StepSeries[]): StepSeries[] {
  return [...series].sort((a, b) => labelsHashFraction(a.labels) - labelsHashFraction(b.labels));
}

/**
 * Whether limit_ratio(r) keeps a series: r ≥ 0 keeps series whose hash fraction is below r; r < 0 keeps
 * the complement (hash fraction at or above 1 + r), so `limit_ratio(r)` and `limit_ratio(-(1-r))` partition.
 */
export function limitRatioSelect(l: Labels, r: number): boolean {
  const f = labelsHashFraction(l);
  if (r >= 0) return f < Math.min(r, 1);
  return f >= 1 + Math.max(r, -1);
}
