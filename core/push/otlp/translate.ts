/**
 * @module core/push/otlp/translate
 * OTLP metrics → Prometheus series, following Prometheus 3's default translation
 * (UnderscoreEscapingWithSuffixes):
 * - metric names: split on every character that is not a letter or digit, append the unit suffix
 *   (`s` → `seconds`, `By` → `bytes`, `By/s` → `bytes_per_second`; `{…}` annotations dropped) unless a
 *   name token already is that word, `_total` for monotonic cumulative sums, `_ratio` for gauges with
 *   unit `1`, a leading `_` when the name starts with a digit;
 * - label names: invalid characters become `_`, a leading digit gets `key_`, a single leading `_` gets
 *   `key`; attributes that collide after sanitising are joined with `;` in key order;
 * - resource: `job` = `service.namespace/service.name` (or `service.name`), `instance` =
 *   `service.instance.id`; the other resource attributes go to `target_info{job, instance, …} 1`;
 * - gauges and non-monotonic sums are gauges; histograms become `_bucket{le}` (cumulative), `_sum`,
 *   `_count`; summaries `{quantile}`, `_sum`, `_count`; FLAG_NO_RECORDED_VALUE writes staleness markers.
 * Not ingested (counted and reported back as errors): delta temporality (as Prometheus without
 * its delta-conversion feature), exponential histograms (Quiver stores no native histograms).
 */
import { Labels } from "../../model/labels.ts";
import { STALE_NAN } from "../../model/value.ts";
import { formatGoFloat } from "../../exposition/index.ts";
import type { Appender } from "../../storage/interface.ts";
import { Temporality, type Attributes, type OtlpMetric, type OtlpResourceMetrics } from "./decode.ts";

const UNIT_MAP: Record<string, string> = {
  d: "days", h: "hours", min: "minutes", s: "seconds", ms: "milliseconds", us: "microseconds", ns: "nanoseconds",
  By: "bytes", KiBy: "kibibytes", MiBy: "mebibytes", GiBy: "gibibytes", TiBy: "tibibytes",
  KBy: "kilobytes", MBy: "megabytes", GBy: "gigabytes", TBy: "terabytes",
  m: "meters", V: "volts", A: "amperes", J: "joules", W: "watts", g: "grams", Cel: "celsius", Hz: "hertz",
  "1": "", "%": "percent",
};
const PER_UNIT_MAP: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", mo: "month", y: "year" };

function cleanUnit(u: string): string {
  const t = u.trim();
  if (t === "" || /[{}]/.test(t)) return "";
  return t.split(/[^a-zA-Z0-9]+/).filter(Boolean).join("_");
}

/** The Prometheus metric name of an OTLP metric (without the _bucket/_sum/_count of histograms). */
export function prometheusMetricName(m: Pick<OtlpMetric, "name" | "unit" | "kind" | "monotonic">): string {
  const tokens = m.name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const [main = "", per = ""] = m.unit.split("/", 2).map((x) => x.trim());
  const mainSuffix = main in UNIT_MAP ? UNIT_MAP[main]! : cleanUnit(main);
  const perSuffix = per ? (PER_UNIT_MAP[per] ?? cleanUnit(per)) : "";
  if (mainSuffix && !tokens.includes(mainSuffix)) tokens.push(mainSuffix);
  if (perSuffix && !tokens.includes(perSuffix)) tokens.push("per", perSuffix);
  if (m.kind === "sum" && m.monotonic) {
    const i = tokens.indexOf("total");
    if (i >= 0) tokens.splice(i, 1);
    tokens.push("total");
  }
  if (m.unit === "1" && m.kind === "gauge") {
    const i = tokens.indexOf("ratio");
    if (i >= 0) tokens.splice(i, 1);
    tokens.push("ratio");
  }
  let name = tokens.join("_").replace(/[^a-zA-Z0-9_:]/g, "_");
  if (/^[0-9]/.test(name)) name = "_" + name;
  return name;
}

/** A Prometheus label name for an attribute key. */
export function prometheusLabelName(key: string): string {
  let l = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(l)) l = "key_" + l;
  else if (l.startsWith("_") && !l.startsWith("__")) l = "key" + l;
  return l;
}

/** Attributes → label object: sanitised names, colliding values joined with ";" in key order. */
function attributeLabels(attrs: Attributes, into: Record<string, string>): void {
  const keys = [...attrs.keys()].sort();
  const seen: Record<string, string> = {};
  for (const k of keys) {
    const n = prometheusLabelName(k);
    const v = attrs.get(k)!;
    seen[n] = n in seen ? `${seen[n]};${v}` : v;
  }
  Object.assign(into, seen);
}

/** Counts of one translation. */
export interface OtlpStats {
  samples: number;
  errors: string[];
}

/** Appends the samples of decoded resource metrics. Per-sample storage errors are collected, not thrown. */
export function appendOtlp(app: Appender, resources: readonly OtlpResourceMetrics[]): OtlpStats {
  const stats: OtlpStats = { samples: 0, errors: [] };
  const add = (labels: Record<string, string>, t: number, v: number, stale: boolean) => {
    const ls = Labels.from(labels);
    try {
      if (stale) app.appendStale ? app.appendStale(0, ls, t) : app.append(0, ls, t, STALE_NAN);
      else app.append(0, ls, t, v);
      stats.samples++;
    } catch (e) {
      if (stats.errors.length < 10) stats.errors.push(`${ls.toString()}: ${(e as Error).message}`);
    }
  };
  for (const rm of resources) {
    const svc = rm.resource.get("service.name");
    const ns = rm.resource.get("service.namespace");
    const job = svc === undefined ? undefined : ns ? `${ns}/${svc}` : svc;
    const instance = rm.resource.get("service.instance.id");
    const base: Record<string, string> = {};
    if (job) base.job = job;
    if (instance) base.instance = instance;
    let latest = 0;
    for (const scope of rm.scopes) {
      for (const m of scope.metrics) {
        if (m.kind === "exponential_histogram") {
          stats.errors.push(`metric ${m.name}: exponential histograms are not supported (Quiver stores no native histograms)`);
          continue;
        }
        if ((m.kind === "sum" || m.kind === "histogram") && m.temporality !== Temporality.Cumulative) {
          stats.errors.push(`invalid temporality and type combination for metric "${m.name}"`);
          continue;
        }
        if (m.kind === "none") continue;
        const name = prometheusMetricName(m);
        for (const p of m.points) {
          latest = Math.max(latest, p.time);
          const labels: Record<string, string> = {};
          attributeLabels(p.attributes, labels);
          Object.assign(labels, base);
          const stale = p.noRecordedValue;
          if (m.kind === "gauge" || m.kind === "sum") {
            add({ ...labels, __name__: name }, p.time, p.value, stale);
          } else if (m.kind === "histogram") {
            let cum = 0;
            p.explicitBounds.forEach((b, i) => {
              cum += p.bucketCounts[i] ?? 0;
              add({ ...labels, __name__: `${name}_bucket`, le: formatGoFloat(b) }, p.time, cum, stale);
            });
            add({ ...labels, __name__: `${name}_bucket`, le: "+Inf" }, p.time, p.count, stale);
            if (p.sum !== undefined) add({ ...labels, __name__: `${name}_sum` }, p.time, p.sum, stale);
            add({ ...labels, __name__: `${name}_count` }, p.time, p.count, stale);
          } else if (m.kind === "summary") {
            for (const [q, v] of p.quantiles) add({ ...labels, __name__: name, quantile: formatGoFloat(q) }, p.time, v, stale);
            add({ ...labels, __name__: `${name}_sum` }, p.time, p.sum ?? 0, stale);
            add({ ...labels, __name__: `${name}_count` }, p.time, p.count, stale);
          }
        }
      }
    }
    // target_info carries the remaining resource attributes (only when there are any).
    const rest = new Map([...rm.resource].filter(([k]) => k !== "service.name" && k !== "service.namespace" && k !== "service.instance.id"));
    if (rest.size > 0 && latest > 0 && (job || instance)) {
      const labels: Record<string, string> = {};
      attributeLabels(rest, labels);
      add({ ...labels, ...base, __name__: "target_info" }, latest, 1, false);
    }
  }
  return stats;
}
