/**
 * @module core/promql/engine/labels-util
 * Label helpers shared by the evaluators: Prometheus-style label set rendering for error messages,
 * matching signatures for on/ignoring, and merging of series that end up with equal label sets.
 */
import { Labels, METRIC_NAME } from "../../model/labels.ts";
import { goQuote } from "../parser/printer.ts";
import { ExecutionError } from "./errors.ts";
import type { StepSeries } from "./types.ts";

/** Labels that go with the metric name: dropped together with it (type-and-unit labels feature). */
export function isNameBound(n: string): boolean {
  return n === METRIC_NAME || n === "__type__" || n === "__unit__";
}

/** The labels without `__name__` (and the `__type__`/`__unit__` labels that describe it). */
export function dropMetricName(l: Labels): Labels {
  return l.filter((n) => !isNameBound(n));
}

/** Renders labels as Go's labels.String(): `{__name__="a", b="c"}`. */
export function labelsString(l: Labels): string {
  const parts: string[] = [];
  l.forEach((n, v) => parts.push(`${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n) ? n : goQuote(n)}=${goQuote(v)}`));
  return `{${parts.join(", ")}}`;
}

/** Labels kept for matching: `on` keeps only `names`; otherwise drops `names` and `__name__`. */
export function matchLabels(l: Labels, on: boolean, names: readonly string[]): Labels {
  if (on) {
    const set = new Set(names);
    return l.filter((n) => set.has(n));
  }
  const set = new Set(names);
  return l.filter((n) => n !== METRIC_NAME && !set.has(n));
}

/** A string key for the matching signature of `l`. */
export function signature(l: Labels, on: boolean, names: readonly string[]): string {
  return matchLabels(l, on, names).key();
}

/** The error Prometheus raises when two series of one vector share a label set. */
export const DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

/**
 * Merges series with equal labels (and equal dropName) into one. Throws the duplicate-labelset error
 * if two of them have a value at the same step.
 */
export function mergeSameLabels(series: StepSeries[]): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  let merged = false;
  const out: StepSeries[] = [];
  for (const s of series) {
    const k = (s.dropName ? "1" : "0") + s.labels.key();
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, s);
      out.push(s);
      continue;
    }
    merged = true;
    for (let i = 0; i < s.has.length; i++) {
      if (!s.has[i]) continue;
      if (prev.has[i]) throw new ExecutionError(DUPLICATE_LABELSET);
      prev.has[i] = 1;
      prev.vals[i] = s.vals[i]!;
    }
  }
  return merged ? out : series;
}

/** Whether `name` is a valid Prometheus 3 label name: non-empty, well-formed UTF-16 without U+FFFD. */
export function isValidLabelName(name: string): boolean {
  if (name === "") return false;
  return !/[\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name);
}
