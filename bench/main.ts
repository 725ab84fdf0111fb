/**
 * @module bench/main
 * `bun run bench [--only storage,exposition,promql,scrape] [--e2e] [--size N] [--scrapes N] [--timestamps jitter|snapped|grid|all]
 * [--seed N] [--json PATH]`: runs the benchmarks on the seeded profile dataset, prints a table and
 * optionally writes the figures as JSON. The default run (~54k series × 240 scrapes) finishes in a few
 * minutes on 2 cores; `--size 1M` scales to a million series.
 */
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { runExpositionBench } from "./exposition/parse.bench.ts";
import { printPromqlTable, runPromqlBench } from "./promql/query.bench.ts";
import { runScrapeBench } from "./scrape/scrape.bench.ts";
import { printE2ETable, runE2EBench } from "./e2e/remote-write.bench.ts";
import { runStorageBench, type StorageBenchResult } from "./tsdb/storage.bench.ts";
import type { TimestampMode } from "./data/generator.ts";

interface Args {
  only: Set<string>;
  /** Run the remote-write ingest comparison (and nothing else unless --only is also given after it). */
  e2e: boolean;
  size: number;
  scrapes: number;
  seed: number;
  timestamps: TimestampMode[];
  json: string | null;
}

const BENCHES = ["storage", "exposition", "promql", "scrape"];
const USAGE = "usage: bun run bench [--only storage,exposition,promql,scrape] [--e2e] [--size N[k|M]] [--scrapes N] [--timestamps jitter|snapped|grid|all] [--seed N] [--json PATH]";

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
  if (!m) throw new Error(`--size: expected a number like 54000, 100k or 1M, got "${s}"`);
  return Math.round(Number(m[1]) * (m[2] === "k" || m[2] === "K" ? 1e3 : m[2] === "m" || m[2] === "M" ? 1e6 : 1));
}

function parseArgs(argv: string[]): Args {
  const a: Args = { only: new Set(BENCHES), e2e: false, size: 54_000, scrapes: 240, seed: 1, timestamps: ["jitter"], json: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value\n${USAGE}`);
      return x;
    };
    switch (k) {
      case "--only": a.only = new Set(v().split(",")); break;
      case "--size": a.size = parseSize(v()); break;
      case "--scrapes": a.scrapes = Number(v()); break;
      case "--seed": a.seed = Number(v()); break;
      case "--timestamps": {
        const x = v();
        a.timestamps = x === "all" ? ["jitter", "snapped", "grid"] : [x as TimestampMode];
        if (!a.timestamps.every((t) => ["jitter", "snapped", "grid"].includes(t))) throw new Error(`--timestamps: unknown mode "${x}"`);
        break;
      }
      case "--json": a.json = v(); break;
      case "--e2e": a.e2e = true; a.only = new Set(); a.size = 100_000; break;
      case "-h": case "--help": console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown flag ${k}\n${USAGE}`);
    }
  }
  if (!Number.isInteger(a.scrapes) || a.scrapes < 2) throw new Error("--scrapes must be an integer ≥ 2");
  return a;
}

function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(n < 10 ? 3 : 1);
}

function printTable(rows: StorageBenchResult[]): void {
  const lines: Array<[string, (r: StorageBenchResult) => string]> = [
    ["series", (r) => String(r.series)],
    ["samples", (r) => String(r.samples)],
    ["append (WAL on), samples/s", (r) => fmt(r.append_samples_per_sec)],
    ["append (WAL on), samples/CPU-s", (r) => fmt(r.append_samples_per_cpu_sec)],
    ["WAL bytes/sample", (r) => r.wal_bytes_per_sample.toFixed(2)],
    ["WAL replay, s (CPU s)", (r) => `${r.wal_replay_seconds.toFixed(2)} (${r.wal_replay_cpu_seconds.toFixed(2)})`],
    ["block write (2 blocks), s (CPU s)", (r) => `${r.block_write_seconds.toFixed(2)} (${r.block_write_cpu_seconds.toFixed(2)})`],
    ["compaction (2 → 1), s (CPU s)", (r) => `${r.compaction_seconds.toFixed(2)} (${r.compaction_cpu_seconds.toFixed(2)})`],
    ["bytes/sample on disk", (r) => r.bytes_per_sample.toFixed(3)],
    ["  data (chunks+timestamps)", (r) => r.bytes_per_sample_data.toFixed(3)],
    ["  index (series+index+meta)", (r) => r.bytes_per_sample_index.toFixed(3)],
    ["head bytes/series", (r) => `${r.head_bytes_per_series}${r.head_bytes_per_series_measured ? " (heap)" : " (est.)"}`],
    ["select+decode 1 series, samples/s", (r) => fmt(r.select_1_series_samples_per_sec)],
    ["select+decode ~1k series, samples/s", (r) => fmt(r.select_1k_series_samples_per_sec)],
    ["select+decode all series, samples/s", (r) => fmt(r.select_all_series_samples_per_sec)],
  ];
  const head = ["storage (timestamps)", ...rows.map((r) => r.timestamps)];
  const table = [head, ...lines.map(([name, f]) => [name, ...rows.map(f)])];
  const w = head.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const [i, r] of table.entries()) {
    console.log(r.map((x, c) => (c === 0 ? x.padEnd(w[c]!) : x.padStart(w[c]!))).join("  "));
    if (i === 0) console.log(w.map((n) => "-".repeat(n)).join("  "));
  }
}

function printKeyValues(title: string, r: Record<string, number>): void {
  const w = Math.max(title.length, ...Object.keys(r).map((k) => k.length));
  console.log(`${title.padEnd(w)}  value`);
  console.log(`${"-".repeat(w)}  ------`);
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(w)}  ${fmt(v)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
  const tpl = join(process.env.QUIVER_SHARED_DIR ?? join(root, "..", "shared"), "reference-outputs", "node_exporter-1.5.0-metrics.txt");
  const templatePath = existsSync(tpl) ? tpl : null;
  if (!templatePath) progress(`node_exporter reference output not found at ${tpl}: using synthesised series names`);
  const out: Record<string, unknown> = {};
  for (const k of args.only) if (!BENCHES.includes(k)) throw new Error(`--only: unknown benchmark "${k}" (${BENCHES.join(", ")})`);
  if (args.only.has("storage")) {
    const rows: StorageBenchResult[] = [];
    for (const ts of args.timestamps) {
      rows.push(await runStorageBench({ series: args.size, scrapes: args.scrapes, seed: args.seed, timestamps: ts, templatePath, progress }));
    }
    printTable(rows);
    Object.assign(out, rows[0]);
    if (rows.length > 1) out.variants = rows;
  }
  if (args.only.has("exposition")) {
    progress("exposition");
    const r = runExpositionBench({});
    out.exposition = r;
    console.log("");
    printKeyValues("exposition", r);
  }
  if (args.only.has("promql")) {
    progress("promql");
    const rows = await runPromqlBench({ log: (m) => progress(`promql: ${m}`), seed: args.seed });
    out.promql = rows;
    console.log("");
    printPromqlTable(rows);
  }
  if (args.only.has("scrape")) {
    progress("scrape");
    const r = await runScrapeBench({ seed: args.seed });
    out.scrape = r;
    console.log("");
    printKeyValues("scrape", r);
  }
  if (args.e2e) {
    progress("e2e remote-write ingest (Quiver, and Prometheus / VictoriaMetrics when installed)");
    const rows = await runE2EBench({ size: args.size, scrapes: args.scrapes, seed: args.seed, log: (m) => progress(`e2e: ${m}`) });
    out.e2e = rows;
    console.log("");
    printE2ETable(rows);
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(out, null, 2) + "\n");
    progress(`wrote ${args.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
