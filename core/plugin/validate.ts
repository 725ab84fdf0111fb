/**
 * @module core/plugin/validate
 * Checks what an exporter plugin returned before any of it reaches the scrape loop: a plugin that returns
 * garbage fails its own collect, it never corrupts stored data.
 */
import type { MetricFamily } from "../model/metric-family.ts";

const TYPES = new Set(["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown", "untyped"]);

/** Returns a reason when `v` is not a valid MetricFamily[], else undefined. Checks every sample. */
export function validateFamilies(v: unknown): string | undefined {
  if (!Array.isArray(v)) return `expected an array of metric families, got ${v === null ? "null" : typeof v}`;
  for (let i = 0; i < v.length; i++) {
    const f = v[i] as Partial<MetricFamily> | null;
    if (typeof f !== "object" || f === null) return `family ${i} is not an object`;
    if (typeof f.name !== "string" || f.name === "") return `family ${i} has no name`;
    if (!TYPES.has(f.type as string)) return `family ${f.name} has unknown type ${JSON.stringify(f.type)}`;
    if (!Array.isArray(f.samples)) return `family ${f.name} has no samples array`;
    for (const s of f.samples) {
      if (typeof s !== "object" || s === null) return `family ${f.name} has a non-object sample`;
      if (typeof s.name !== "string" || s.name === "") return `family ${f.name} has a sample without a name`;
      if (typeof s.value !== "number") return `sample ${s.name} has a non-numeric value ${JSON.stringify(s.value)}`;
      if (typeof s.labels !== "object" || s.labels === null) return `sample ${s.name} has no labels object`;
      for (const [k, lv] of Object.entries(s.labels)) {
        if (typeof lv !== "string") return `sample ${s.name} label ${k} is not a string`;
      }
      if (s.timestampMs !== undefined && !Number.isFinite(s.timestampMs)) return `sample ${s.name} has an invalid timestamp`;
    }
  }
  return undefined;
}
