/**
 * @module bench/tsdb/storage.bench
 * The storage-throughput benchmark: appends the seeded profile dataset (bench/data) into a fresh TSDB
 * with the WAL on (one commit per instance scrape, as a scrape loop does), then measures WAL replay,
 * head → block writes, compaction of those blocks into one, bytes per sample on disk, head memory per
 * series, and select+decode throughput for 1, ~1k and all series. Only the storage calls are timed
 * (each scrape round is generated before its appends); wall and CPU time are both reported, since CPU
 * time is the steadier figure on a shared machine.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newMatcher } from "../../core/model/matcher.ts";
import { DB } from "../../core/tsdb/db.ts";
import { dirSize } from "../../core/tsdb/wal/wal.ts";
import { ProfileGenerator, type TimestampMode } from "../data/generator.ts";
import { SERIES_PER_INSTANCE } from "../data/template.ts";

/** Options of {@link runStorageBench}. */
export interface StorageBenchOptions {
  /** Approximate number of series (rounded up to whole instances of 540). */
  series: number;
  /** Scrapes per series (240 = 1 h at 15 s). */
  scrapes: number;
  seed: number;
  timestamps: TimestampMode;
  templatePath: string | null;
  /** Progress lines go here. */
  progress: (msg: string) => void;
  /** Directory for the temporary store (default: OS temp). */
  tmp?: string;
}

/** Figures of one run (keys as the JSON output). */
export interface StorageBenchResult {
  series: number;
  samples: number;
  timestamps: TimestampMode;
  append_samples_per_sec: number;
  /** Samples per CPU second of this process (user + system): steadier than wall time on a busy machine. */
  append_samples_per_cpu_sec: number;
  append_seconds: number;
  wal_replay_cpu_seconds: number;
  block_write_cpu_seconds: number;
  compaction_cpu_seconds: number;
  wal_bytes_per_sample: number;
  wal_replay_seconds: number;
  block_write_seconds: number;
  compaction_seconds: number;
  bytes_per_sample: number;
  bytes_per_sample_data: number;
  bytes_per_sample_index: number;
  /** Heap bytes per series of the head (measured after a full GC where the runtime allows, else estimated). */
  head_bytes_per_series: number;
  head_bytes_per_series_measured: boolean;
  /** Structural estimate (chunk bytes, series objects, postings), for comparison. */
  head_bytes_per_series_estimate: number;
  select_1_series_samples_per_sec: number;
  select_1k_series_samples_per_sec: number;
  select_all_series_samples_per_sec: number;
  select_samples_per_sec: number;
}

function now(): number {
  return performance.now();
}

/** CPU seconds (user + system) of this process since `c0`. */
function cpuSeconds(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Runs the storage benchmark and returns its figures. */
export async function runStorageBench(o: StorageBenchOptions): Promise<StorageBenchResult> {
  const instances = Math.max(1, Math.ceil(o.series / SERIES_PER_INSTANCE));
  const gen = new ProfileGenerator({ instances, seed: o.seed, timestamps: o.timestamps, templatePath: o.templatePath });
  const heap = await heapMeter();
  const heap0 = heap();
  const labels = gen.labels();
  const nSeries = labels.length;
  const dir = mkdtempSync(join(o.tmp ?? tmpdir(), "quiver-bench-"));
  try {
    let db = await DB.open(dir, { backgroundCompaction: false });
    const refs = new Float64Array(nSeries);
    const round = new Float64Array(nSeries);
    const roundT = new Float64Array(instances);
    let appendMs = 0, appendCpu = 0, samples = 0, lastReport = now();
    o.progress(`append: ${nSeries} series × ${o.scrapes} scrapes (${instances} instances, timestamps=${o.timestamps})`);
    for (let k = 0; k < o.scrapes; k++) {
      // Generate the whole scrape round first, then time only the appends (one commit per target).
      for (let i = 0; i < instances; i++) roundT[i] = gen.scrape(i, round.subarray(i * SERIES_PER_INSTANCE, (i + 1) * SERIES_PER_INSTANCE));
      const c0 = process.cpuUsage();
      const t0 = now();
      for (let i = 0; i < instances; i++) {
        const t = roundT[i]!;
        const base = i * SERIES_PER_INSTANCE;
        const app = db.appender();
        for (let j = base; j < base + SERIES_PER_INSTANCE; j++) refs[j] = app.append(refs[j]!, labels[j]!, t, round[j]!);
        app.commitSync();
        samples += SERIES_PER_INSTANCE;
      }
      appendMs += now() - t0;
      appendCpu += cpuSeconds(c0);
      if (now() - lastReport > 2000) {
        lastReport = now();
        o.progress(`append: ${Math.round((100 * (k + 1)) / o.scrapes)}% (${(samples / (appendMs / 1000) / 1e6).toFixed(2)} M samples/s)`);
      }
    }
    const walBytes = dirSize(join(dir, "wal"));
    const headEstimate = estimateHeadBytes(db);
    // Measured: heap growth since before the label sets existed (labels, head, postings), minus the
    // benchmark's own per-scrape buffers.
    const headMeasured = heap() - heap0 - (refs.byteLength + round.byteLength + roundT.byteLength);
    const headBytes = Number.isFinite(headMeasured) ? headMeasured : headEstimate;
    await db.close();

    o.progress("wal replay");
    let t0 = now();
    let c0 = process.cpuUsage();
    db = await DB.open(dir, { backgroundCompaction: false });
    const replaySec = (now() - t0) / 1000;
    const replayCpu = cpuSeconds(c0);
    if (db.head.numSeries !== nSeries) throw new Error(`replay restored ${db.head.numSeries} series, expected ${nSeries}`);

    o.progress("block write (head → 2 blocks)");
    const h = db.head;
    const mid = Math.floor((h.minTime + h.maxTime) / 2);
    t0 = now();
    c0 = process.cpuUsage();
    db.flushHead(mid);
    db.flushHead();
    const blockSec = (now() - t0) / 1000;
    const blockCpu = cpuSeconds(c0);

    o.progress(`compaction (${db.blocks.length} blocks → 1)`);
    t0 = now();
    c0 = process.cpuUsage();
    db.compactor.compactGroup(db.blocks.map((b) => b.meta.ulid));
    const compactSec = (now() - t0) / 1000;
    const compactCpu = cpuSeconds(c0);
    const block = db.blocks[0]!;
    if (db.blocks.length !== 1 || block.meta.stats.numSamples !== samples) throw new Error(`compaction produced ${db.blocks.length} blocks with ${block?.meta.stats.numSamples} samples, expected ${samples}`);
    let dataBytes = 0, indexBytes = 0;
    for (const f of readdirSync(block.dir)) {
      const sz = statSync(join(block.dir, f)).size;
      if (f === "chunks.arrow" || f === "timestamps.arrow") dataBytes += sz;
      else indexBytes += sz;
    }

    o.progress("select + decode");
    const q = db.querierSync(-Infinity, Infinity);
    const inst0 = "host-00000:9100";
    const one = [newMatcher("=", "__name__", "node_load1"), newMatcher("=", "instance", inst0)];
    const oneAlt = [newMatcher("=", "__name__", gen.template[0]!.name), newMatcher("=", "instance", inst0)];
    const probe = q.selectSync(one, -Infinity, Infinity);
    const sel1 = probe.length === 1 ? one : oneAlt;
    const kInst = Math.min(instances, Math.ceil(1000 / SERIES_PER_INSTANCE));
    const k1 = [newMatcher("=~", "instance", Array.from({ length: kInst }, (_, i) => `host-${String(i).padStart(5, "0")}:9100`).map((s) => s.replace(/[.]/g, "\\.")).join("|"))];
    const allM = [newMatcher("=~", "__name__", ".+")];
    const rate = (ms: typeof one, minMs: number) => {
      let n = 0, runs = 0;
      const start = now();
      do {
        for (const s of q.selectSync(ms, -Infinity, Infinity)) n += s.timestamps.length;
        runs++;
      } while (now() - start < minMs);
      return n / ((now() - start) / 1000);
    };
    const s1 = rate(sel1, 300), s1k = rate(k1, 500), sAll = rate(allM, 1);
    q.close();
    await db.close();
    const diskBytes = dataBytes + indexBytes;
    return {
      series: nSeries,
      samples,
      timestamps: o.timestamps,
      append_samples_per_sec: Math.round(samples / (appendMs / 1000)),
      append_samples_per_cpu_sec: Math.round(samples / appendCpu),
      append_seconds: appendMs / 1000,
      wal_replay_cpu_seconds: replayCpu,
      block_write_cpu_seconds: blockCpu,
      compaction_cpu_seconds: compactCpu,
      wal_bytes_per_sample: walBytes / samples,
      wal_replay_seconds: replaySec,
      block_write_seconds: blockSec,
      compaction_seconds: compactSec,
      bytes_per_sample: diskBytes / samples,
      bytes_per_sample_data: dataBytes / samples,
      bytes_per_sample_index: indexBytes / samples,
      head_bytes_per_series: Math.round(headBytes / nSeries),
      head_bytes_per_series_measured: Number.isFinite(headMeasured),
      head_bytes_per_series_estimate: Math.round(headEstimate / nSeries),
      select_1_series_samples_per_sec: Math.round(s1),
      select_1k_series_samples_per_sec: Math.round(s1k),
      select_all_series_samples_per_sec: Math.round(sAll),
      select_samples_per_sec: Math.round(sAll),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Structural estimate of head memory: chunk bytes and buffers, per-series object and label strings,
 * postings entries and map overhead. (Heap deltas are too noisy without a forced GC.)
 */
function estimateHeadBytes(db: DB): number {
  let b = 0;
  for (const s of db.head.series) {
    if (!s) continue;
    b += s.sampleBytes() + 160; // MemSeries object + open chunk state
    b += 16 + s.labels.flat.length * 8; // Labels object and flat array of references
    b += 8 * (s.labels.flat.length / 2) + 4; // postings entries (u32 + amortised growth) and all-postings
    b += 80; // byKey map entry and key string header
    for (const x of s.labels.flat) b += x.length / 64; // strings are shared across series; amortised
  }
  return b;
}

/**
 * Returns a function giving the heap size after a full GC, using JavaScriptCore's hooks when running on
 * Bun (optional import, so the benchmark still runs elsewhere: then it yields NaN and the structural
 * estimate is reported instead).
 */
async function heapMeter(): Promise<() => number> {
  try {
    const jsc = (await import("bun:jsc")) as { fullGC(): void; heapStats(): { heapSize: number } };
    return () => {
      jsc.fullGC();
      return jsc.heapStats().heapSize;
    };
  } catch {
    return () => NaN;
  }
}
