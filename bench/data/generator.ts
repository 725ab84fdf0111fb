/**
 * @module bench/data/generator
 * The seeded, deterministic benchmark dataset of ../shared/bench-profile.md: `instances` node_exporter
 * targets of 540 series each, scraped every 15 s with a fixed per-instance offset in [1, 14) s and
 * lateness floor(Exp(mean 2 ms)) capped at 50 ms (or snapped / perfect-grid variants). Each instance
 * has its own PRNG, so a scrape's values depend only on (seed, instance, scrape number).
 *
 * Usage: `const g = new ProfileGenerator({instances: 100}); const t = g.scrape(i, out)` fills the 540
 * values of instance i's next scrape into `out` and returns its timestamp (ms). Reused by the PromQL
 * benchmarks.
 */
import { Labels } from "../../core/model/labels.ts";
import { loadTemplate, SERIES_PER_INSTANCE, type TemplateSeries } from "./template.ts";

/** Timestamp variants of the profile. */
export type TimestampMode = "jitter" | "snapped" | "grid";

/** Options of {@link ProfileGenerator}. */
export interface ProfileOptions {
  instances: number;
  seed?: number;
  timestamps?: TimestampMode;
  /** First scrape slot (ms); default 2026-01-01T00:00:00Z, aligned to 2h. */
  start?: number;
  /** Scrape interval (ms); default 15000. */
  intervalMs?: number;
  /** node_exporter exposition to take names from; null synthesises them. */
  templatePath?: string | null;
}

/** Default start: 2026-01-01T00:00:00Z. */
export const DEFAULT_START = Date.UTC(2026, 0, 1);

/** sfc32 PRNG: fast, seedable, deterministic across runtimes. */
export class Rng {
  #a: number; #b: number; #c: number; #d: number;
  constructor(seed: number) {
    this.#a = 0x9e3779b9; this.#b = 0x243f6a88; this.#c = 0xb7e15162; this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    let a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.#a = a; this.#b = b; this.#c = c; this.#d = d;
    return (t >>> 0) / 4294967296;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = this.next() || 1e-12, v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  /** Poisson (Knuth for small λ, normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const L = Math.exp(-lambda);
    let k = 0, p = 1;
    do { k++; p *= this.next(); } while (p > L);
    return k - 1;
  }
}

/** The dataset generator. */
export class ProfileGenerator {
  readonly template: TemplateSeries[];
  readonly instances: number;
  readonly intervalMs: number;
  readonly start: number;
  readonly mode: TimestampMode;
  readonly #rng: Rng[] = [];
  readonly #offset: Float64Array;
  readonly #scrapeNo: Uint32Array;
  /** Per series state: current value (or integer units), rate, activity. */
  readonly #val: Float64Array;
  readonly #rate: Float64Array;
  readonly #act: Float64Array;
  /** Histogram cumulative bucket state per instance × 2 histograms × 12 buckets, plus sum and count. */
  readonly #hist: Float64Array;

  constructor(opts: ProfileOptions) {
    this.template = loadTemplate(opts.templatePath ?? null);
    this.instances = opts.instances;
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.start = opts.start ?? DEFAULT_START;
    this.mode = opts.timestamps ?? "jitter";
    const seed = opts.seed ?? 1;
    const n = this.instances * SERIES_PER_INSTANCE;
    this.#offset = new Float64Array(this.instances);
    this.#scrapeNo = new Uint32Array(this.instances);
    this.#val = new Float64Array(n);
    this.#rate = new Float64Array(n);
    this.#act = new Float64Array(n);
    this.#hist = new Float64Array(this.instances * 2 * 14);
    for (let i = 0; i < this.instances; i++) {
      const r = new Rng(seed * 1_000_003 + i);
      this.#rng.push(r);
      this.#offset[i] = 1000 + Math.floor(r.next() * 13_000);
      for (let j = 0; j < SERIES_PER_INSTANCE; j++) {
        const s = this.template[j]!, k = i * SERIES_PER_INSTANCE + j;
        this.#rate[k] = Math.exp(Math.log(0.01) + r.next() * Math.log(1e5)); // 0.01 … 1000 units/s
        this.#act[k] = 0.5 + r.next();
        switch (s.cls) {
          case "counter": case "rare_counter":
            this.#val[k] = Math.round(Math.abs(s.initial) * (s.kind === "ticks" ? 100 : s.kind === "ms" ? 1000 : s.kind === "bytes" ? 1 / 4096 : 1)) + Math.floor(r.next() * 1e6);
            break;
          case "gauge":
            this.#val[k] = s.kind === "load" ? Math.round(r.next() * 400) : s.kind === "bytes" ? Math.round(Math.abs(s.initial) / 4096) || 1 + Math.floor(r.next() * 1e6) : Math.round(Math.abs(s.initial)) || Math.floor(r.next() * 1000);
            break;
          default:
            this.#val[k] = s.initial;
        }
      }
    }
  }

  /** Total series. */
  get numSeries(): number {
    return this.instances * SERIES_PER_INSTANCE;
  }

  /** Labels of every series, instance-major (series j of instance i at i*540+j). */
  labels(): Labels[] {
    const out: Labels[] = [];
    for (let i = 0; i < this.instances; i++) {
      const instance = `host-${String(i).padStart(5, "0")}:9100`;
      for (const s of this.template) out.push(Labels.from({ ...s.labels, __name__: s.name, job: "node", instance }));
    }
    return out;
  }

  /**
   * Produces instance `i`'s next scrape: writes 540 values into `out` and returns the timestamp (ms).
   * Values are exact decimal-looking floats as real exporters produce (ticks/100, 4 KiB pages, ns/1e9).
   */
  scrape(i: number, out: Float64Array): number {
    const r = this.#rng[i]!;
    const k = this.#scrapeNo[i]!;
    this.#scrapeNo[i] = k + 1;
    const sched = this.start + this.#offset[i]! + k * this.intervalMs;
    let late = Math.min(50, Math.floor(r.exp(2)));
    if (this.mode === "grid" || (this.mode === "snapped" && late <= 2)) late = 0;
    const t = sched + late;
    const base = i * SERIES_PER_INSTANCE;
    const sec = this.intervalMs / 1000;
    const tpl = this.template;
    for (let j = 0; j < SERIES_PER_INSTANCE; j++) {
      const s = tpl[j]!, x = base + j;
      switch (s.cls) {
        case "constant":
          out[j] = s.initial;
          break;
        case "counter": {
          if (r.next() < 0.95) {
            this.#act[x] = Math.min(2, Math.max(0.1, this.#act[x]! + 0.05 * r.normal()));
            const inc = Math.max(1, Math.round(this.#rate[x]! * sec * this.#act[x]! * (0.7 + 0.6 * r.next())));
            this.#val[x] = this.#val[x]! + inc;
          }
          const v = this.#val[x]!;
          out[j] = s.kind === "ticks" ? v / 100 : s.kind === "ms" ? v / 1000 : s.kind === "bytes" ? v * 4096 : v;
          break;
        }
        case "rare_counter":
          if (r.next() < 0.03) this.#val[x] = this.#val[x]! + 1 + Math.floor(r.next() * 3);
          out[j] = s.kind === "ms" ? this.#val[x]! / 1000 : this.#val[x]!;
          break;
        case "gauge":
          if (r.next() < 0.5) {
            if (s.kind === "load") this.#val[x] = Math.max(0, this.#val[x]! + Math.round(r.normal() * 8));
            else if (s.kind === "bytes") this.#val[x] = Math.max(1, this.#val[x]! + Math.round(r.normal() * 40));
            else this.#val[x] = Math.max(0, this.#val[x]! + Math.round(r.normal() * 3));
          }
          out[j] = s.kind === "load" ? this.#val[x]! / 100 : s.kind === "bytes" ? this.#val[x]! * 4096 : this.#val[x]!;
          break;
        case "noisy":
          if (s.kind === "time") out[j] = (t * 1e6 + Math.floor(r.next() * 1e6)) / 1e9;
          else out[j] = Math.round(Math.exp(Math.log(0.002) + 0.8 * r.normal()) * 1e9) / 1e9;
          break;
        case "histogram": {
          const h = (i * 2 + s.hist!) * 14;
          if (s.kind === "bucket" && s.le === 0.005) this.#observe(r, h); // once per histogram per scrape
          out[j] = s.kind === "bucket" ? this.#hist[h + BUCKET_INDEX.get(s.le!)!]! : s.kind === "sum" ? this.#hist[h + 12]! : this.#hist[h + 13]!;
          break;
        }
      }
    }
    return t;
  }

  #observe(r: Rng, h: number): void {
    const n = r.poisson(20);
    const hist = this.#hist;
    for (let q = 0; q < n; q++) {
      const lat = Math.exp(Math.log(0.05) + r.normal());
      for (let b = 0; b < 12; b++) if (lat <= BOUNDS[b]!) hist[h + b]!++;
      hist[h + 12] = hist[h + 12]! + lat;
    }
    hist[h + 13] = hist[h + 13]! + n;
  }
}

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];
const BUCKET_INDEX = new Map(BOUNDS.map((b, i) => [b, i]));
