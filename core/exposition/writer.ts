/**
 * @module core/exposition/writer
 * Renders {@link MetricFamily} lists as the Prometheus text format 0.0.4 ({@link writeText}) or OpenMetrics
 * 1.0.0 text ({@link writeOpenMetrics}, ending with `# EOF`).
 *
 * Invariants and conventions:
 * - Samples are written in the order given, with their labels in object order; nothing is sorted.
 * - Values use Go's `'g'` formatting ({@link formatGoFloat}); text timestamps are integer ms, OpenMetrics
 *   timestamps are seconds.
 * - Counter families may be named with or without `_total`. Text 0.0.4 uses the `_total` name in HELP/TYPE
 *   when the samples carry it (as client_golang does); OpenMetrics uses the name without `_total` and
 *   renames a bare counter sample `x` to `x_total`. Info families work the same way with `_info`.
 * - Text 0.0.4 has no created timestamps, units or exemplars: `<family>_created` samples, UNIT and exemplars
 *   are omitted there. Types the text format lacks map to its nearest type: info and stateset → gauge,
 *   unknown → untyped; a gaugehistogram's buckets go
 *   under TYPE histogram and its `_gsum`/`_gcount` become gauge families.
 * - OpenMetrics exemplars are written only where the format allows them (counter `_total` and
 *   (gauge)histogram `_bucket` samples).
 * - Names outside the legacy charset are written quoted (`{"my.metric","label.x"="v"}`) under the default
 *   `allow-utf-8` escaping, or rewritten with underscores when `escaping: "underscores"` is asked for.
 */
import type { ExposedSample, MetricFamily, MetricType } from "../model/metric-family.ts";
import type { EscapingScheme } from "./content-type.ts";
import { formatGoFloat, formatSecondsFromMs } from "./float.ts";
import {
  escapeHelpOpenMetrics,
  escapeHelpText,
  escapeLabelValue,
  escapeNameUnderscores,
  isLegacyLabelName,
  isLegacyMetricName,
} from "./names.ts";

/** Options of the writers. */
export interface WriteOptions {
  /** How to write names outside the legacy charset. Default "allow-utf-8" (quoted names). */
  escaping?: EscapingScheme;
}

const TEXT_TYPE: Record<MetricType, string> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "untyped",
  unknown: "untyped",
  info: "gauge",
  stateset: "gauge",
  gaugehistogram: "gauge",
};

const OM_TYPE: Record<MetricType, string> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "unknown",
  unknown: "unknown",
  info: "info",
  stateset: "stateset",
  gaugehistogram: "gaugehistogram",
};

/**
 * Renders families in the Prometheus text format 0.0.4. Serve it with `CONTENT_TYPE_TEXT`.
 * @example writeText([{ name: "up", type: "gauge", help: "Target up.", samples: [{ name: "up", labels: {}, value: 1 }] }])
 * // "# HELP up Target up.\n# TYPE up gauge\nup 1\n"
 */
export function writeText(families: readonly MetricFamily[], options: WriteOptions = {}): string {
  const underscores = options.escaping !== undefined && options.escaping !== "allow-utf-8";
  let out = "";
  for (const f of families) {
    if (f.type === "gaugehistogram") {
      out += gaugeHistogramAsText(f, underscores);
      continue;
    }
    const base = f.type === "counter" && f.name.endsWith("_total") ? f.name.slice(0, -6) : f.name;
    let metaName = f.name;
    if (f.type === "counter" && !f.name.endsWith("_total") && hasSampleNamed(f.samples, f.name + "_total")) {
      metaName = f.name + "_total";
    } else if (f.type === "info" && !f.name.endsWith("_info") && hasSampleNamed(f.samples, f.name + "_info")) {
      metaName = f.name + "_info";
    }
    const name = metricNameToken(metaName, underscores);
    if (f.help !== undefined) out += "# HELP " + name + " " + escapeHelpText(f.help) + "\n";
    out += "# TYPE " + name + " " + TEXT_TYPE[f.type] + "\n";
    const created = base + "_created";
    for (const s of f.samples) {
      if (s.name === created) continue;
      out += sampleHead(s.name, s.labels, underscores) + " " + formatGoFloat(s.value);
      if (s.timestampMs !== undefined) out += " " + String(Math.trunc(s.timestampMs));
      out += "\n";
    }
  }
  return out;
}

/**
 * Renders families as OpenMetrics 1.0.0 text, terminated by `# EOF\n`. Serve it with
 * `CONTENT_TYPE_OPENMETRICS`.
 * @example writeOpenMetrics([{ name: "jobs", type: "counter", samples: [{ name: "jobs_total", labels: {}, value: 3 }] }])
 * // "# TYPE jobs counter\njobs_total 3\n# EOF\n"
 */
export function writeOpenMetrics(families: readonly MetricFamily[], options: WriteOptions = {}): string {
  const underscores = options.escaping !== undefined && options.escaping !== "allow-utf-8";
  let out = "";
  for (const f of families) {
    let base = f.name;
    if (f.type === "counter" && base.endsWith("_total")) base = base.slice(0, -6);
    else if (f.type === "info" && base.endsWith("_info")) base = base.slice(0, -5);
    const name = metricNameToken(base, underscores);
    if (f.help !== undefined) out += "# HELP " + name + " " + escapeHelpOpenMetrics(f.help) + "\n";
    out += "# TYPE " + name + " " + OM_TYPE[f.type] + "\n";
    if (f.unit !== undefined && f.unit !== "") out += "# UNIT " + name + " " + f.unit + "\n";
    const exemplarsOn = f.type === "counter" || f.type === "histogram" || f.type === "gaugehistogram";
    for (const s of f.samples) {
      let sname = s.name;
      if (sname === base && (f.type === "counter" || f.type === "info")) sname = base + (f.type === "counter" ? "_total" : "_info");
      out += sampleHead(sname, s.labels, underscores) + " " + formatGoFloat(s.value);
      if (s.timestampMs !== undefined) out += " " + formatSecondsFromMs(s.timestampMs);
      const ex = s.exemplar;
      if (ex !== undefined && exemplarsOn && (sname.endsWith("_total") || sname.endsWith("_bucket"))) {
        out += " # " + labelSet(ex.labels, underscores) + " " + formatGoFloat(ex.value);
        if (ex.timestampMs !== undefined) out += " " + formatSecondsFromMs(ex.timestampMs);
      }
      out += "\n";
    }
  }
  return out + "# EOF\n";
}

/**
 * Text 0.0.4 has no gauge histogram: its `_bucket` samples go under `TYPE <name> histogram` (the only type
 * whose samples may carry `le`), and `_gsum` / `_gcount` become gauge families of their own with the same
 * HELP. No sample is lost and `promtool check metrics` stays clean.
 */
function gaugeHistogramAsText(f: MetricFamily, underscores: boolean): string {
  const groups = new Map<string, ExposedSample[]>();
  groups.set(f.name + "_bucket", []);
  for (const s of f.samples) {
    const g = groups.get(s.name);
    if (g === undefined) groups.set(s.name, [s]);
    else g.push(s);
  }
  let out = "";
  for (const [sname, samples] of groups) {
    const isBucket = sname === f.name + "_bucket";
    if (isBucket && samples.length === 0 && groups.size > 1) continue;
    const name = metricNameToken(isBucket ? f.name : sname, underscores);
    if (f.help !== undefined) out += "# HELP " + name + " " + escapeHelpText(f.help) + "\n";
    out += "# TYPE " + name + (isBucket ? " histogram\n" : " gauge\n");
    for (const s of samples) {
      out += sampleHead(s.name, s.labels, underscores) + " " + formatGoFloat(s.value);
      if (s.timestampMs !== undefined) out += " " + String(Math.trunc(s.timestampMs));
      out += "\n";
    }
  }
  return out;
}

function hasSampleNamed(samples: readonly ExposedSample[], name: string): boolean {
  for (const s of samples) if (s.name === name) return true;
  return false;
}

/** The name as it appears after `# HELP ` / `# TYPE `: bare when legacy, else quoted or escaped. */
function metricNameToken(name: string, underscores: boolean): string {
  if (isLegacyMetricName(name)) return name;
  if (underscores) return escapeNameUnderscores(name, true);
  return '"' + escapeLabelValue(name) + '"';
}

/** `name{a="b",…}`, or `{"name",a="b"}` for a name outside the legacy charset. */
function sampleHead(name: string, labels: Readonly<Record<string, string>>, underscores: boolean): string {
  if (isLegacyMetricName(name)) {
    let empty = true;
    for (const _ in labels) {
      empty = false;
      break;
    }
    return empty ? name : name + labelSet(labels, underscores);
  }
  if (underscores) {
    const esc = escapeNameUnderscores(name, true);
    const ls = labelSet(labels, underscores);
    return ls === "{}" ? esc : esc + ls;
  }
  const inner = labelPairs(labels, underscores);
  return '{"' + escapeLabelValue(name) + '"' + (inner === "" ? "" : "," + inner) + "}";
}

function labelSet(labels: Readonly<Record<string, string>>, underscores: boolean): string {
  return "{" + labelPairs(labels, underscores) + "}";
}

function labelPairs(labels: Readonly<Record<string, string>>, underscores: boolean): string {
  let out = "";
  let first = true;
  for (const k in labels) {
    const v = labels[k]!;
    const key = isLegacyLabelName(k) ? k : underscores ? escapeNameUnderscores(k, false) : '"' + escapeLabelValue(k) + '"';
    out += (first ? "" : ",") + key + '="' + escapeLabelValue(v) + '"';
    first = false;
  }
  return out;
}
