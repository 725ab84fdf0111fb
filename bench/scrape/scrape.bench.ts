/**
 * @module bench/scrape/scrape.bench
 * End-to-end scrape throughput: HTTP fetch, body parse, label handling, relabeling and append into a real
 * core/tsdb DB, through the same ScrapeLoop the server runs.
 *
 * Data: node_exporter 1.5.0's real output (shared/reference-outputs), or, without the shared folder, a
 * seeded synthetic body of the same shape. It is served by an in-process loopback HTTP server; `targets`
 * scrape targets fetch it, each with its own `instance` label, so every target owns distinct series. Two
 * body variants with different sample values alternate between scrapes, so the head sees real new values.
 * Each target's config carries one metric_relabel_configs rule (drop `go_gc_duration_seconds*`), as most
 * real jobs carry some.
 *
 * Measured: round 0 (every loop's cache is cold: every series is new to the loop and to the DB) and the
 * best of `rounds` steady-state rounds (every series known). A round scrapes all targets concurrently
 * and awaits every commit. Keys: `cold_samples_per_s`, `steady_samples_per_s` (exposed samples, i.e.
 * scrape_samples_scraped summed over targets, per wall second), `*_samples_per_cpu_s` (per second of this
 * process's CPU time, less sensitive to a busy machine; it includes the in-process HTTP server),
 * `cold_ms`, `steady_ms`, `*_cpu_ms`, `samples_per_scrape`, `targets`, `head_series`.
 *
 * `hotpath_samples_per_s` isolates what a scrape costs once the body has arrived: the same bodies run
 * through the loop's own pieces (parse.ts parser, append.ts with a warm ScrapeCache, metadata tracking,
 * commit to the DB) without HTTP, best of `rounds`. The clock is injected, so sample timestamps advance by 15 s per round regardless of speed.
 *
 * Run standalone: `bun run bench/scrape/scrape.bench.ts [--targets 50] [--rounds 10] [--json out.json]`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_GLOBAL } from "../../core/config/global.ts";
import { nopLogger } from "../../core/log/logger.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import { parseScrapeConfig, type ScrapeConfig } from "../../core/scrape/config.ts";
import type { Labels } from "../../core/model/labels.ts";
import { ScrapeLoop, SYSTEM_CLOCK } from "../../core/scrape/loop.ts";
import { ScrapeMetrics } from "../../core/scrape/metrics.ts";
import { appendScrape } from "../../core/scrape/append.ts";
import { ScrapeCache } from "../../core/scrape/cache.ts";
import { MetadataTracker } from "../../core/scrape/metadata.ts";
import { parseScrapeBody } from "../../core/scrape/parse.ts";
import { populateLabels, Target } from "../../core/scrape/target.ts";
import { DB } from "../../core/tsdb/db.ts";
import { sharedPath } from "../../test/helpers/shared.ts";

/** Options of {@link runScrapeBench}. */
export interface ScrapeBenchOptions {
  /** Number of scrape targets (default 50). */
  targets?: number;
  /** Steady-state rounds after the cold one; the best is reported (default 10). */
  rounds?: number;
  /** Seed of the synthetic fallback body (default 42). */
  seed?: number;
  /** Print a table to stdout (default false). */
  print?: boolean;
}

/** Default options of the scrape benchmark. */
export const DEFAULT_SCRAPE_BENCH: Required<Omit<ScrapeBenchOptions, "print">> = { targets: 50, rounds: 10, seed: 42 };

const TEXT_CT = "text/plain; version=0.0.4; charset=utf-8";
const INTERVAL_MS = 15_000;

/** The base body: node_exporter's real output, or a seeded synthetic stand-in. */
function baseBody(seed: number): string {
  const ref = sharedPath("reference-outputs", "node_exporter-1.5.0-metrics.txt");
  if (ref !== null && existsSync(ref)) return readFileSync(ref, "utf8");
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  let out = "";
  for (let f = 0; f < 120; f++) {
    const name = `node_synthetic_metric_${f}_bytes`;
    out += `# HELP ${name} Synthetic metric ${f}.\n# TYPE ${name} ${f % 3 === 0 ? "counter" : "gauge"}\n`;
    for (let s = 0; s < 4; s++) out += `${name}{device="dev${s}",mode="${["user", "system", "idle"][s % 3]}"} ${Math.round(rnd() * 1e9) / 100}\n`;
  }
  return out;
}

/** A variant of `body` whose finite sample values are increased by `delta` (metadata lines unchanged). */
function withValues(body: string, delta: number): string {
  return body.split("\n").map((line) => {
    if (line === "" || line.startsWith("#")) return line;
    const sp = line.lastIndexOf(" ");
    const v = Number(line.slice(sp + 1));
    return Number.isFinite(v) ? `${line.slice(0, sp)} ${v + delta}` : line;
  }).join("\n");
}

/**
 * Runs the benchmark and returns its figures (see the module header for the keys). Opens a loopback
 * port and a temporary DB directory, both removed before returning. Takes a few seconds.
 */
export async function runScrapeBench(opts: ScrapeBenchOptions = {}): Promise<Record<string, number>> {
  const o = { ...DEFAULT_SCRAPE_BENCH, ...opts };
  const base = baseBody(o.seed);
  const bodies = [withValues(base, 0), withValues(base, 1)];
  let variant = 0;
  const server = await detectRuntime().serve(() => new Response(bodies[variant]!, { headers: { "content-type": TEXT_CT } }), { hostname: "127.0.0.1", port: 0 });
  const dir = mkdtempSync(join(tmpdir(), "quiver-scrape-bench-"));
  const db = await DB.open(dir, { backgroundCompaction: false });
  try {
    const cfg = parseScrapeConfig({
      job_name: "node", scrape_interval: "15s", scrape_timeout: "10s",
      metric_relabel_configs: [{ source_labels: ["__name__"], regex: "go_gc_duration_seconds.*", action: "drop" }],
    }, DEFAULT_GLOBAL, "scrape_configs[0]");
    let now = 1_700_000_000_000;
    const clock = { now: () => now, sleep: SYSTEM_CLOCK.sleep };
    const metrics = new ScrapeMetrics();
    const loops: ScrapeLoop[] = [];
    for (let i = 0; i < o.targets; i++) {
      const r = populateLabels(cfg, { __address__: `127.0.0.1:${server.port}`, instance: `host-${String(i).padStart(5, "0")}:9100` }, {});
      if (!r.labels) throw new Error(`bench target dropped: ${r.error}`);
      const target = new Target(r.labels, r.discovered, cfg.params);
      loops.push(new ScrapeLoop({ target, config: cfg, appendable: db, logger: nopLogger, clock, metrics, parse: parseScrapeBody, configDir: process.cwd() }));
    }
    const round = async (): Promise<{ ms: number; cpuMs: number }> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(loops.map((l) => l.scrapeOnce(now)));
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpuMs = (c.user + c.system) / 1000;
      for (const l of loops) if (l.target.health !== "up") throw new Error(`bench scrape failed: ${l.target.lastError}`);
      now += INTERVAL_MS;
      variant ^= 1;
      return { ms, cpuMs };
    };
    const samplesPerScrape = base.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
    const cold = await round();
    let best = Infinity, bestCpu = Infinity;
    for (let r = 0; r < o.rounds; r++) {
      const x = await round();
      best = Math.min(best, x.ms);
      bestCpu = Math.min(bestCpu, x.cpuMs);
    }
    const n = o.targets * samplesPerScrape;
    const hot = await hotPath(db, cfg, loops.map((l) => l.target.publicLabels()), bodies, now, o.rounds);
    const out: Record<string, number> = {
      targets: o.targets, samples_per_scrape: samplesPerScrape,
      cold_ms: cold.ms, cold_samples_per_s: n / (cold.ms / 1000), cold_cpu_ms: cold.cpuMs, cold_samples_per_cpu_s: n / (cold.cpuMs / 1000),
      steady_ms: best, steady_samples_per_s: n / (best / 1000), steady_cpu_ms: bestCpu, steady_samples_per_cpu_s: n / (bestCpu / 1000),
      hotpath_ms: hot, hotpath_samples_per_s: n / (hot / 1000),
      head_series: db.head.numSeries,
    };
    if (opts.print) {
      console.log(`scrape bench: ${o.targets} targets × ${samplesPerScrape} samples, ${o.rounds} steady rounds (best), tsdb head ${out.head_series} series`);
      const fmt = (x: number) => Math.round(x).toLocaleString("en").padStart(14);
      console.log("phase     wall ms   cpu ms      samples/s  samples/cpu-s");
      for (const k of ["cold", "steady"]) {
        console.log(`${k.padEnd(7)} ${out[`${k}_ms`]!.toFixed(1).padStart(9)} ${out[`${k}_cpu_ms`]!.toFixed(1).padStart(8)} ${fmt(out[`${k}_samples_per_s`]!)} ${fmt(out[`${k}_samples_per_cpu_s`]!)}`);
      }
      console.log(`hotpath ${hot.toFixed(1).padStart(9)} ${"".padStart(8)} ${fmt(out.hotpath_samples_per_s!)}   (no HTTP: parse + cache + append + commit)`);
    }
    return out;
  } finally {
    await db.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best time in ms of one round of the no-HTTP hot path over all targets (caches warmed by one round first). */
async function hotPath(db: DB, cfg: ScrapeConfig, targets: Labels[], bodies: string[], start: number, rounds: number): Promise<number> {
  const caches = targets.map(() => new ScrapeCache());
  const metas = targets.map(() => new MetadataTracker());
  const metrics = new ScrapeMetrics();
  let ts = start, best = Infinity;
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < targets.length; i++) {
      const app = db.appender();
      caches[i]!.begin();
      metas[i]!.begin(false);
      const res = appendScrape(parseScrapeBody(bodies[r % 2]!, TEXT_CT, cfg), { app, ts, targetLabels: targets[i]!, cfg, cache: caches[i]!, metrics, meta: metas[i]! });
      if (res.error) throw new Error(`bench hot path failed: ${res.error}`);
      caches[i]!.commitScrape(app, ts);
      metas[i]!.end(2);
      await app.commit();
    }
    if (r > 0) best = Math.min(best, performance.now() - t0);
    ts += INTERVAL_MS;
  }
  return best;
}

function parseArgs(argv: string[]): ScrapeBenchOptions & { json: string | null } {
  const a: ScrapeBenchOptions & { json: string | null } = { json: null, print: true };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return x;
    };
    const num = (name: string) => {
      const n = Number(v());
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
      return n;
    };
    switch (argv[i]) {
      case "--targets": a.targets = num("--targets"); break;
      case "--rounds": a.rounds = num("--rounds"); break;
      case "--seed": a.seed = num("--seed"); break;
      case "--json": a.json = v(); break;
      default: throw new Error(`unknown argument ${JSON.stringify(argv[i])}; usage: bun run bench/scrape/scrape.bench.ts [--targets N] [--rounds N] [--seed N] [--json PATH]`);
    }
  }
  return a;
}

if (import.meta.main) {
  const args = parseArgs(process.argv.slice(2));
  const r = await runScrapeBench(args);
  if (args.json) writeFileSync(args.json, JSON.stringify(r, null, 2) + "\n");
}
