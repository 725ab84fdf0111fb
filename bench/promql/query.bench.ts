/**
 * @module bench/promql/query.bench
 * PromQL query benchmarks on a seeded dataset: `series` counter series `http_requests_total{job,
 * instance, status}` plus classic histogram buckets `http_request_duration_seconds_bucket{job,
 * instance, le}` (12 buckets per instance), scraped every 15 s for `hours` (plus 5 min of warm-up so
 * every rate window is full). Each query runs as a range query over the last hour at a 15 s step.
 *
 * Stores: "columnar" (a zero-copy in-memory Queryable handing out subarray views of per-series
 * Float64Arrays: the engine's own cost), "tsdb" (core/tsdb's DB head: decoding included) and, on
 * request, "memory" (core/storage/memory.ts MemoryStorage, which copies on every select). Reported: ms per query (median of `repeat` runs after one warm-up)
 * and samples/s (samples read from storage per second).
 *
 * Standalone: `bun run bench/promql/query.bench.ts [--series N] [--repeat N] [--store columnar|tsdb|memory|all]`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DB } from "../../core/tsdb/db.ts";
import { compareLabels, Labels } from "../../core/model/labels.ts";
import { matchAll, type Matcher } from "../../core/model/matcher.ts";
import { Engine } from "../../core/promql/index.ts";
import type { Querier, Queryable, SelectHints, Series } from "../../core/storage/interface.ts";
import { MemoryStorage } from "../../core/storage/memory.ts";
import { Rng } from "../data/generator.ts";

/** Options of {@link runPromqlBench}. */
export interface PromqlBenchOptions {
  /** Number of counter series (default 10,000). */
  series?: number;
  /** Hours of data queried (default 1). */
  hours?: number;
  /** Query step in ms (default 15,000). */
  stepMs?: number;
  /** Timed runs per query (default 5). */
  repeat?: number;
  /**
   * Stores to measure (default columnar and tsdb). "tsdb" is core/tsdb's DB (head, no WAL) in a
   * temporary directory; "memory" loads slowly (MemoryStorage checks appends one by one).
   */
  stores?: Array<"columnar" | "memory" | "tsdb">;
  seed?: number;
  log?: (msg: string) => void;
}

/** One measured query. */
export interface PromqlBenchResult {
  store: string;
  name: string;
  query: string;
  /** Median wall-clock time per query (ms). */
  msPerQuery: number;
  /** Median CPU time per query (ms; user+system of this process), less sensitive to a busy machine. */
  cpuMsPerQuery: number;
  samplesPerSec: number;
  samplesRead: number;
  resultSeries: number;
}

/** The benchmark queries (the first one is the comparison point with Prometheus and VictoriaMetrics). */
export const PROMQL_BENCH_QUERIES: ReadonlyArray<{ name: string; query: string }> = [
  { name: "sum by status (rate)", query: "sum(rate(http_requests_total[5m])) by (status)" },
  { name: "sum by job (rate)", query: "sum by (job) (rate(http_requests_total[5m]))" },
  { name: "topk", query: "topk(10, rate(http_requests_total[5m]))" },
  { name: "histogram_quantile", query: "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))" },
  { name: "count all", query: 'count({__name__=~".+"})' },
  { name: "subquery", query: "max_over_time(sum by (job) (rate(http_requests_total[5m]))[30m:1m])" },
];

const BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
const STATUSES = ["200", "201", "301", "404", "500"];
const INTERVAL = 15_000;

interface ColSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

/** Generates the dataset as columns (deterministic for a seed). */
export function generateDataset(series: number, spanMs: number, start: number, seed: number): ColSeries[] {
  const rng = new Rng(seed);
  const n = Math.floor(spanMs / INTERVAL) + 1;
  const out: ColSeries[] = [];
  const instances = Math.max(1, Math.ceil(series / (10 * STATUSES.length)));
  let made = 0;
  for (let i = 0; i < instances && made < series; i++) {
    const offset = 1000 + Math.floor(rng.next() * 13_000);
    const instance = `host-${String(i).padStart(5, "0")}:9100`;
    const job = `job-${i % 10}`;
    for (let h = 0; h < 10 && made < series; h++) {
      for (const status of STATUSES) {
        if (made >= series) break;
        const ts = new Float64Array(n), vs = new Float64Array(n);
        const rate = status === "200" ? 20 * rng.next() : rng.next();
        let v = Math.floor(rng.next() * 1000);
        for (let k = 0; k < n; k++) {
          ts[k] = start + offset + k * INTERVAL;
          v += Math.floor(rate * 15 * (0.5 + rng.next()));
          vs[k] = v;
        }
        out.push({ labels: Labels.from({ __name__: "http_requests_total", job, instance, status, handler: `/h${h}` }), ts, vs });
        made++;
      }
    }
  }
  // Histogram buckets: one 12-bucket histogram per instance.
  for (let i = 0; i < instances; i++) {
    const instance = `host-${String(i).padStart(5, "0")}:9100`;
    const job = `job-${i % 10}`;
    const counts = new Float64Array(BUCKETS.length);
    const cols = BUCKETS.map(() => ({ ts: new Float64Array(n), vs: new Float64Array(n) }));
    for (let k = 0; k < n; k++) {
      const obs = Math.floor(rng.next() * 50);
      for (let o = 0; o < obs; o++) {
        const lat = Math.exp(rng.normal() * 1.2 - 3);
        for (let b = 0; b < BUCKETS.length; b++) if (lat <= Number(BUCKETS[b] === "+Inf" ? Infinity : BUCKETS[b])) counts[b]!++;
      }
      for (let b = 0; b < BUCKETS.length; b++) {
        cols[b]!.ts[k] = start + k * INTERVAL;
        cols[b]!.vs[k] = counts[b]!;
      }
    }
    BUCKETS.forEach((le, b) => {
      out.push({ labels: Labels.from({ __name__: "http_request_duration_seconds_bucket", job, instance, le }), ...cols[b]! });
    });
  }
  out.sort((a, b) => compareLabels(a.labels, b.labels));
  return out;
}

/** A zero-copy columnar Queryable over pre-built series (views into the series' arrays). */
export class ColumnarStore implements Queryable {
  constructor(readonly series: ColSeries[]) {}

  async querier(): Promise<Querier> {
    const all = this.series;
    const select = async (ms: readonly Matcher[], h: SelectHints) => {
      const out: Series[] = [];
      for (const s of all) {
        if (!matchAll(ms, s.labels)) continue;
        const lo = lowerBound(s.ts, h.start), hi = lowerBound(s.ts, h.end + 1);
        if (hi <= lo) continue;
        out.push({ labels: s.labels, timestamps: s.ts.subarray(lo, hi), values: s.vs.subarray(lo, hi) });
      }
      return { series: out, warnings: [] };
    };
    return {
      select,
      labelNames: async () => [],
      labelValues: async () => [],
      close() {},
    };
  }
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

async function toMemoryStorage(series: ColSeries[]): Promise<MemoryStorage> {
  const m = new MemoryStorage();
  // One commit per series: MemoryStorage checks each append against the pending batch.
  for (const s of series) {
    const app = m.appender();
    let ref = 0;
    for (let k = 0; k < s.ts.length; k++) ref = app.append(ref, s.labels, s.ts[k]!, s.vs[k]!);
    await app.commit();
  }
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the PromQL benchmarks and returns one row per (store, query). */
export async function runPromqlBench(o: PromqlBenchOptions = {}): Promise<PromqlBenchResult[]> {
  const series = o.series ?? 10_000, hours = o.hours ?? 1, step = o.stepMs ?? 15_000, repeat = o.repeat ?? 5;
  const log = o.log ?? (() => {});
  const start = Date.UTC(2026, 0, 1);
  const span = hours * 3_600_000 + 300_000;
  log(`generating ${series} counter series + buckets, ${hours} h at 15 s`);
  const data = generateDataset(series, span, start, o.seed ?? 1);
  const qStart = start + 300_000 + 15_000, qEnd = qStart + hours * 3_600_000;
  const engine = new Engine({ maxSamples: 500_000_000, timeoutMs: 600_000 });
  const results: PromqlBenchResult[] = [];
  for (const storeName of o.stores ?? ["columnar", "tsdb"]) {
    log(`store ${storeName}: loading`);
    let cleanup = async () => {};
    let store: Queryable;
    if (storeName === "columnar") store = new ColumnarStore(data);
    else if (storeName === "memory") store = await toMemoryStorage(data);
    else {
      const dir = mkdtempSync(join(tmpdir(), "quiver-promql-bench-"));
      const db = await DB.open(dir, { walEnabled: false, backgroundCompaction: false, noLockfile: true });
      for (let i = 0; i < data.length; i += 500) {
        const app = db.appender();
        for (const s of data.slice(i, i + 500)) {
          let ref = 0;
          for (let k = 0; k < s.ts.length; k++) ref = app.append(ref, s.labels, s.ts[k]!, s.vs[k]!);
        }
        await app.commit();
      }
      store = db;
      cleanup = async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
    for (const q of PROMQL_BENCH_QUERIES) {
      const warm = await engine.rangeQuery(store, q.query, qStart, qEnd, step);
      const times: number[] = [], cpu: number[] = [];
      for (let r = 0; r < repeat; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await engine.rangeQuery(store, q.query, qStart, qEnd, step);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      const ms = median(times);
      const cpuMs = median(cpu);
      const read = warm.stats?.samples.totalQueryableSamples ?? 0;
      const row: PromqlBenchResult = {
        store: storeName, name: q.name, query: q.query, msPerQuery: Math.round(ms * 10) / 10,
        cpuMsPerQuery: Math.round(cpuMs * 10) / 10,
        samplesPerSec: Math.round(read / (Math.min(ms, cpuMs) / 1000)), samplesRead: read,
        resultSeries: warm.resultType === "matrix" ? warm.result.length : 1,
      };
      log(`${storeName} ${q.name}: ${row.msPerQuery} ms wall, ${row.cpuMsPerQuery} ms CPU`);
      results.push(row);
    }
    await cleanup();
  }
  return results;
}

/** Prints results as a table. */
export function printPromqlTable(rows: PromqlBenchResult[]): void {
  console.log("| store | query | ms/query (wall) | ms/query (CPU) | samples read | samples/s | result series |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(`| ${r.store} | \`${r.query}\` | ${r.msPerQuery} | ${r.cpuMsPerQuery} | ${r.samplesRead.toLocaleString("en")} | ${(r.samplesPerSec / 1e6).toFixed(1)} M | ${r.resultSeries} |`);
  }
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const arg = (k: string) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const storeArg = arg("--store") ?? "default";
  const rows = await runPromqlBench({
    series: Number(arg("--series") ?? 10_000),
    repeat: Number(arg("--repeat") ?? 5),
    stores: storeArg === "default" ? undefined : storeArg === "all" ? ["columnar", "tsdb", "memory"] : [storeArg as "columnar" | "memory" | "tsdb"],
    log: (m) => process.stderr.write(`[promql bench] ${m}\n`),
  });
  printPromqlTable(rows);
  const out = join(dirname(new URL(import.meta.url).pathname), "..", "results", "promql.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  console.log(`wrote ${out}`);
}
