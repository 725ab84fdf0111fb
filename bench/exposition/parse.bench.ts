/**
 * @module bench/exposition/parse.bench
 * Throughput of the exposition parsers and writers on a large, deterministic scrape body.
 *
 * Data: the real node_exporter 1.5.0 output (shared/reference-outputs) parsed once, then replicated as
 * `instances` copies whose samples each gain `instance="host-NNNNN:9100"` and `job="node"` labels (the
 * families stay merged, as one big target would expose them). Without the shared folder a seeded
 * synthetic family set of the same shape is used. Bodies are written with our writers, so the text and
 * OpenMetrics inputs hold exactly the same samples.
 *
 * Measured (best of `rounds`, each round at least `minMs`):
 * - `text_pull_*`: pull parser over text 0.0.4 reading seriesKey(), value and timestamp (the scrape-cache
 *   hit path); `text_pull_labels_*` also materialises labels() (the cache-miss path);
 * - `om_pull_*`: the same over OpenMetrics; `text_families_*`: parseToFamilies;
 * - `write_text_*` / `write_om_*`: the writers.
 * Keys end in `_mb_per_s` (input or output MB/s, 1 MB = 1e6 bytes of UTF-16 text length) or
 * `_samples_per_s`.
 *
 * Run standalone: `bun run bench/exposition/parse.bench.ts [--mb 8] [--rounds 5] [--json out.json]`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createParser, parseToFamilies, writeOpenMetrics, writeText } from "../../core/exposition/index.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { sharedPath } from "../../test/helpers/shared.ts";

/** Options of {@link runExpositionBench}. */
export interface ExpositionBenchOptions {
  /** Approximate size of the text body in MB (default 8). */
  targetMB?: number;
  /** Measurement rounds; the best is reported (default 5). */
  rounds?: number;
  /** Minimum duration of one round in ms (default 300). */
  minMs?: number;
  /** Seed for the synthetic fallback data (default 42). */
  seed?: number;
  /** Print a table to stdout (default false). */
  print?: boolean;
}

/** Default options of the exposition benchmark. */
export const DEFAULT_EXPOSITION_BENCH: Required<Omit<ExpositionBenchOptions, "print">> = { targetMB: 8, rounds: 5, minMs: 300, seed: 42 };

/** Builds the base families: node_exporter's real output, or a seeded synthetic stand-in. */
function baseFamilies(seed: number): MetricFamily[] {
  const ref = sharedPath("reference-outputs", "node_exporter-1.5.0-metrics.txt");
  if (ref !== null && existsSync(ref)) return parseToFamilies(readFileSync(ref, "utf8"), "text", { normalizeFloatLabels: false });
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const fams: MetricFamily[] = [];
  for (let f = 0; f < 120; f++) {
    const name = `node_synthetic_metric_${f}_bytes`;
    const fam: MetricFamily = { name, type: f % 3 === 0 ? "counter" : "gauge", help: `Synthetic metric ${f}.`, samples: [] };
    for (let s = 0; s < 4; s++) fam.samples.push({ name, labels: { device: `dev${s}`, mode: ["user", "system", "idle"][s % 3]! }, value: Math.round(rnd() * 1e9) / 100 });
    fams.push(fam);
  }
  return fams;
}

/** Replicates `base` until the text body reaches about `targetMB`. */
export function buildBenchFamilies(targetMB: number, seed = 42): MetricFamily[] {
  const base = baseFamilies(seed);
  // HELP/TYPE lines are written once, so size grows by (two copies − one copy) per extra copy.
  const one = writeText(replicate(base, 1)).length;
  const perCopy = writeText(replicate(base, 2)).length - one;
  return replicate(base, Math.max(1, 1 + Math.round((targetMB * 1e6 - one) / perCopy)));
}

function replicate(base: MetricFamily[], copies: number): MetricFamily[] {
  return base.map((f) => {
    const samples = [];
    for (let k = 0; k < copies; k++) {
      const instance = `host-${String(k).padStart(5, "0")}:9100`;
      for (const s of f.samples) samples.push({ ...s, labels: { ...s.labels, instance, job: "node" } });
    }
    return { ...f, samples };
  });
}

function measure(rounds: number, minMs: number, fn: () => number): { ms: number; units: number } {
  let best = Infinity;
  let units = 0;
  fn(); // warm-up
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    let iters = 0;
    const t0 = performance.now();
    let el = 0;
    do {
      n += fn();
      iters++;
      el = performance.now() - t0;
    } while (el < minMs);
    if (el / iters < best) {
      best = el / iters;
      units = n / iters;
    }
  }
  return { ms: best, units };
}

/**
 * Runs the benchmark and returns its figures (see the module header for the keys). Blocks for a few
 * seconds of CPU time.
 */
export function runExpositionBench(opts: ExpositionBenchOptions = {}): Record<string, number> {
  const o = { ...DEFAULT_EXPOSITION_BENCH, ...opts };
  const fams = buildBenchFamilies(o.targetMB, o.seed);
  const text = writeText(fams);
  const om = writeOpenMetrics(fams);
  const out: Record<string, number> = { text_body_mb: text.length / 1e6, om_body_mb: om.length / 1e6 };
  const record = (key: string, bytes: number, r: { ms: number; units: number }) => {
    out[`${key}_mb_per_s`] = bytes / 1e6 / (r.ms / 1000);
    out[`${key}_samples_per_s`] = r.units / (r.ms / 1000);
  };
  let sink = 0;
  const pull = (body: string, format: "text" | "openmetrics", labels: boolean) => () => {
    const p = createParser(body, format);
    let n = 0;
    for (let e = p.next(); e !== null; e = p.next()) {
      if (e !== "series") continue;
      sink += p.seriesKey().length + p.value + (p.timestampMs ?? 0);
      if (labels) sink += p.labelCount() + Object.keys(p.labels()).length;
      n++;
    }
    return n;
  };
  record("text_pull", text.length, measure(o.rounds, o.minMs, pull(text, "text", false)));
  record("text_pull_labels", text.length, measure(o.rounds, o.minMs, pull(text, "text", true)));
  record("om_pull", om.length, measure(o.rounds, o.minMs, pull(om, "openmetrics", false)));
  record("text_families", text.length, measure(o.rounds, o.minMs, () => parseToFamilies(text, "text").reduce((n, f) => n + f.samples.length, 0)));
  const samples = fams.reduce((n, f) => n + f.samples.length, 0);
  record("write_text", text.length, measure(o.rounds, o.minMs, () => (writeText(fams).length > 0 ? samples : 0)));
  record("write_om", om.length, measure(o.rounds, o.minMs, () => (writeOpenMetrics(fams).length > 0 ? samples : 0)));
  if (sink === 42) console.log(""); // keep the work observable
  if (opts.print) {
    console.log(`exposition bench: text body ${out.text_body_mb!.toFixed(2)} MB, OpenMetrics body ${out.om_body_mb!.toFixed(2)} MB, ${samples} samples`);
    console.log("case                 MB/s      samples/s");
    for (const k of ["text_pull", "text_pull_labels", "om_pull", "text_families", "write_text", "write_om"]) {
      console.log(`${k.padEnd(18)} ${out[`${k}_mb_per_s`]!.toFixed(1).padStart(8)} ${Math.round(out[`${k}_samples_per_s`]!).toLocaleString("en").padStart(14)}`);
    }
  }
  return out;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const res = runExpositionBench({
    targetMB: Number(arg("--mb") ?? DEFAULT_EXPOSITION_BENCH.targetMB),
    rounds: Number(arg("--rounds") ?? DEFAULT_EXPOSITION_BENCH.rounds),
    print: true,
  });
  const json = arg("--json");
  if (json !== undefined) writeFileSync(json, JSON.stringify(res, null, 2) + "\n");
  else console.log(JSON.stringify(res));
}

