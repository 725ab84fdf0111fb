/**
 * @module bench/data/template
 * The per-instance series template of the benchmark profile (../shared/bench-profile.md): the 507
 * series of a node_exporter 1.5.0 scrape (read from the shared reference output when present,
 * synthesised with the same class counts otherwise), the 5 scrape series and 2 classic histograms,
 * each assigned one value class: 321 constant, 71 counter, 71 slow gauge, 49 noisy float, 28 histogram.
 */
import { readFileSync } from "node:fs";

/** Value classes of the profile. */
export type SeriesClass = "constant" | "counter" | "rare_counter" | "gauge" | "noisy" | "histogram";

/** One series of the instance template. */
export interface TemplateSeries {
  name: string;
  /** Labels besides __name__, job and instance. */
  labels: Record<string, string>;
  cls: SeriesClass;
  /** Sub-kind steering the value model (e.g. "ticks", "bytes", "ms", "int", "load", "time", "bucket"). */
  kind: string;
  /** Initial value (from the reference scrape when known). */
  initial: number;
  /** Histogram bucket upper bound (for kind "bucket"). */
  le?: number;
  /** Index of the histogram (0 or 1) for histogram series. */
  hist?: number;
}

/** Target class counts per instance. */
export const CLASS_COUNTS = { constant: 321, counter: 71, gauge: 71, noisy: 49, histogram: 28 } as const;
/** Series per instance. */
export const SERIES_PER_INSTANCE = 540;
/** Classic histogram bucket bounds (12 including +Inf). */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

interface Parsed { name: string; labels: Record<string, string>; value: number; type: string }

function parseExposition(text: string): Parsed[] {
  const types = new Map<string, string>();
  const out: Parsed[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [, , n, t] = line.split(" ");
      types.set(n!, t!);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let lm: RegExpExecArray | null;
      while ((lm = re.exec(m[3]))) if (lm[2] !== "") labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, "$1");
    }
    const name = m[1]!;
    const base = name.replace(/_(sum|count|bucket)$/, "");
    out.push({ name, labels, value: Number(m[4]), type: types.get(name) ?? types.get(base) ?? "untyped" });
  }
  return out;
}

const CONST_RE = /(_info$|_limit|_max|boot_time|_flags$|_id$|_mtu_bytes|_type$|_up$|_success$|version|_bits|start_time|_assign|_link|_group$|protocol|_speed|_dormant|_queue_length|_size_bytes$|_total_bytes$|_avail$|_capacity)/;
const RARE_RE = /(err|drop|fifo|colls|carrier|compressed|retrans|rsts|fail|overflow|invalid|changes|frame|discard)/i;

/** Builds the template from a node_exporter scrape's text (or synthesises it when `text` is null). */
export function buildTemplate(text: string | null): TemplateSeries[] {
  const parsed = text ? parseExposition(text) : synthesise();
  const scrape: Parsed[] = [
    { name: "up", labels: {}, value: 1, type: "gauge" },
    { name: "scrape_duration_seconds", labels: {}, value: 0.01, type: "gauge" },
    { name: "scrape_samples_scraped", labels: {}, value: parsed.length, type: "gauge" },
    { name: "scrape_samples_post_metric_relabeling", labels: {}, value: parsed.length, type: "gauge" },
    { name: "scrape_series_added", labels: {}, value: 0, type: "gauge" },
  ];
  const pool = [...parsed.slice(0, 507), ...scrape];
  const taken = new Set<number>();
  const cls = new Map<number, SeriesClass>();
  const pick = (n: number, c: SeriesClass, rank: (p: Parsed) => number) => {
    const cand = pool.map((p, i) => ({ i, r: rank(p) })).filter((x) => !taken.has(x.i) && x.r > 0);
    cand.sort((a, b) => b.r - a.r || a.i - b.i);
    for (const x of cand.slice(0, n)) { taken.add(x.i); cls.set(x.i, c); }
  };
  pick(CLASS_COUNTS.noisy, "noisy", (p) =>
    /collector_duration|^node_time_seconds$|^scrape_duration_seconds$/.test(p.name) ? 3 : p.type === "gauge" && /seconds/.test(p.name) && !/boot|start/.test(p.name) && p.value !== 0 ? 2 : p.type === "summary" && p.value !== 0 ? 1 : 0);
  pick(CLASS_COUNTS.counter, "counter", (p) =>
    (p.type === "counter" || p.name.endsWith("_total") || p.name.startsWith("node_netstat_") || p.name.startsWith("node_vmstat_")) && p.value > 0 && !CONST_RE.test(p.name) ? 2 : 0);
  pick(CLASS_COUNTS.gauge, "gauge", (p) => (p.type === "gauge" || p.type === "untyped") && p.value !== 0 && !CONST_RE.test(p.name) ? 2 : p.value !== 0 ? 1 : 0);
  // Fill any class that fell short with the next best remaining series.
  const count = (c: SeriesClass) => [...cls.values()].filter((x) => x === c).length;
  pick(CLASS_COUNTS.noisy - count("noisy"), "noisy", (p) => (p.type === "gauge" && p.value !== 0 ? 1 : 0));
  pick(CLASS_COUNTS.counter - count("counter"), "counter", (p) => (p.type === "counter" || p.name.endsWith("_total") ? 2 : 1));
  pick(CLASS_COUNTS.gauge - count("gauge"), "gauge", (p) => (CONST_RE.test(p.name) ? 1 : 2));
  const out: TemplateSeries[] = [];
  let rare = 0;
  pool.forEach((p, i) => {
    let c: SeriesClass = cls.get(i) ?? "constant";
    let kind = "const";
    if (c === "counter") {
      if (RARE_RE.test(p.name) && rare < 20) { c = "rare_counter"; rare++; }
      kind = /cpu.*seconds_total/.test(p.name) ? "ticks" : /bytes_total/.test(p.name) ? "bytes" : /seconds_total/.test(p.name) ? "ms" : "int";
    } else if (c === "gauge") kind = /^node_load/.test(p.name) ? "load" : /bytes/.test(p.name) ? "bytes" : "int";
    else if (c === "noisy") kind = p.name === "node_time_seconds" ? "time" : "duration";
    out.push({ name: p.name, labels: p.labels, cls: c, kind, initial: Number.isFinite(p.value) ? p.value : 0 });
  });
  // Rare counters: top up to 20 from ordinary counters if the names gave fewer.
  for (const s of out) if (rare < 20 && s.cls === "counter" && s.kind === "int") { s.cls = "rare_counter"; rare++; }
  for (let h = 0; h < 2; h++) {
    const handler = h === 0 ? "/api/v1/query" : "/metrics";
    for (const le of BUCKETS) {
      out.push({ name: "http_request_duration_seconds_bucket", labels: { handler, le: le === Infinity ? "+Inf" : String(le) }, cls: "histogram", kind: "bucket", initial: 0, le, hist: h });
    }
    out.push({ name: "http_request_duration_seconds_sum", labels: { handler }, cls: "histogram", kind: "sum", initial: 0, hist: h });
    out.push({ name: "http_request_duration_seconds_count", labels: { handler }, cls: "histogram", kind: "count", initial: 0, hist: h });
  }
  if (out.length !== SERIES_PER_INSTANCE) throw new Error(`template has ${out.length} series, expected ${SERIES_PER_INSTANCE}`);
  return out;
}

function synthesise(): Parsed[] {
  const out: Parsed[] = [];
  for (let i = 0; i < 46; i++) out.push({ name: "node_scrape_collector_duration_seconds", labels: { collector: `c${i}` }, value: 0.001, type: "gauge" });
  out.push({ name: "node_time_seconds", labels: {}, value: 1.7e9, type: "gauge" });
  for (let i = 0; i < 16; i++) out.push({ name: "node_cpu_seconds_total", labels: { cpu: String(i >> 3), mode: `m${i & 7}` }, value: 1000 + i, type: "counter" });
  for (let i = 0; i < 55; i++) out.push({ name: i < 20 ? "node_network_receive_errs_total" : "node_network_receive_bytes_total", labels: { device: `eth${i}` }, value: 100 + i, type: "counter" });
  for (let i = 0; i < 71; i++) out.push({ name: i < 40 ? "node_memory_X_bytes" : "node_sockstat_used", labels: { idx: String(i) }, value: 4096 * (i + 1), type: "gauge" });
  while (out.length < 507) out.push({ name: "node_static_info", labels: { idx: String(out.length) }, value: 1, type: "gauge" });
  return out;
}

/** Reads the template from a node_exporter exposition file, or synthesises it when `path` is null. */
export function loadTemplate(path: string | null): TemplateSeries[] {
  return buildTemplate(path ? readFileSync(path, "utf8") : null);
}
