/**
 * @module core/exposition/families
 * Convenience parsing into {@link MetricFamily} objects (for tests, federation input, tools): runs the
 * pull parser and groups samples by family. Not for the scrape hot path; use the pull parser there.
 *
 * Grouping: a sample joins the family named by the latest metadata when its name is that family's name
 * plus a suffix its type allows (text: `_sum`/`_count`/`_bucket` for summaries and histograms;
 * OpenMetrics: the type's suffix table); otherwise it joins (or starts) an untyped family ("unknown" in
 * OpenMetrics) named after the sample. Text-format families may be interleaved and are merged by name.
 * Families without samples are dropped, as prometheus/common does.
 */
import type { ExposedSample, MetricFamily, MetricType } from "../model/metric-family.ts";
import { selectScrapeFormat, type ExpositionFormat } from "./content-type.ts";
import { OM_TYPE_SUFFIXES } from "./openmetrics-parser.ts";
import type { ParserOptions } from "./parser-base.ts";
import { createParser } from "./parser.ts";

const TEXT_SUFFIXES: Partial<Record<MetricType, readonly string[]>> = {
  summary: ["", "_sum", "_count"],
  histogram: ["_bucket", "_sum", "_count"],
};

/**
 * Parses an exposition body into metric families. `contentType` picks the format as a scraper would
 * (blank/unknown → text 0.0.4); pass "openmetrics" or "text" to force one.
 * @throws ExpositionParseError for malformed input (line, column, reason).
 */
export function parseToFamilies(text: string, contentType: string | ExpositionFormat | null | undefined, options: ParserOptions = {}): MetricFamily[] {
  const format: ExpositionFormat = contentType === "openmetrics" || contentType === "text" ? contentType : selectScrapeFormat(contentType).format;
  const om = format === "openmetrics";
  const p = createParser(text, format, options);
  const byName = new Map<string, MetricFamily>();
  const order: MetricFamily[] = [];
  let current: MetricFamily | null = null;
  const family = (name: string, type: MetricType): MetricFamily => {
    let f = byName.get(name);
    if (f === undefined || (om && f !== current)) {
      f = { name, type, samples: [] };
      byName.set(name, f);
      order.push(f);
    }
    return f;
  };
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e === "series") {
      const name = p.metricName();
      let f: MetricFamily | null = current;
      if (f === null || !accepts(f, name, om)) {
        f = om ? null : findTextFamily(byName, name);
        f ??= family(name, om ? "unknown" : "untyped");
      }
      current = f;
      const s: ExposedSample = { name, labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      const ex = p.exemplar();
      if (ex !== undefined) s.exemplar = ex;
      f.samples.push(s);
      continue;
    }
    const name = p.metaName();
    const f: MetricFamily = current !== null && current.name === name ? current : family(name, om ? "unknown" : "untyped");
    current = f;
    if (e === "help") f.help = p.helpText();
    else if (e === "type") f.type = p.metricType();
    else if (p.unit() !== "") f.unit = p.unit();
  }
  return order.filter((f) => f.samples.length > 0);
}

function accepts(f: MetricFamily, sample: string, om: boolean): boolean {
  if (!sample.startsWith(f.name)) return false;
  const suffix = sample.slice(f.name.length);
  const allowed = om ? OM_TYPE_SUFFIXES[f.type] : TEXT_SUFFIXES[f.type] ?? [""];
  return allowed.includes(suffix);
}

/** The text-format family a sample belongs to: its own name, or a typed summary/histogram base. */
function findTextFamily(byName: Map<string, MetricFamily>, name: string): MetricFamily | null {
  const own = byName.get(name);
  if (own !== undefined) return own;
  for (const suf of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suf)) continue;
    const base = byName.get(name.slice(0, -suf.length));
    if (base !== undefined && accepts(base, name, false)) return base;
  }
  return null;
}
