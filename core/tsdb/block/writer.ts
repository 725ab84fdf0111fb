/**
 * @module core/tsdb/block/writer
 * Writes an immutable block directory from series given in label order: chunks.arrow, timestamps.arrow,
 * series.arrow, index.arrow and meta.json (layout in FORMAT.md). Series are consumed one at a time and
 * encoded immediately, so memory holds encoded bytes and labels, not decoded samples.
 *
 * Invariants: the directory is built as `<ulid>.tmp-for-creation`, every file is fsynced, then it is
 * renamed into place, so a block directory is complete or absent. Chunks cover aligned windows of
 * `chunkRange` ms, so series scraped together share identical timestamp columns, which are stored once.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { compareStrings, type Labels } from "../../model/labels.ts";
import { encodeTimestamps, encodeValues, EncodeScratch } from "../chunkenc/columns.ts";
import { ByteWriter } from "../record/bytes.ts";
import { crc32 } from "../wal/segment.ts";
import { binaryCol, encodeTable, i64Col, listU32Col, u32Col, utf8Col } from "./arrow.ts";
import type { BlockMeta } from "./types.ts";

/** One series to persist: labels and time-sorted samples (values read as raw bits). */
export interface SeriesData {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}

/** Options of {@link writeBlock}. */
export interface WriteBlockOptions {
  /** Chunk window in ms (the minimum block range). */
  chunkRange: number;
  compaction: BlockMeta["compaction"];
}

/** Current block format marker in meta.json. */
export const BLOCK_FORMAT = "quiver-arrow-1";

class Growable32 {
  a: Uint32Array;
  n = 0;
  constructor(cap = 1024) { this.a = new Uint32Array(cap); }
  push(x: number): void {
    if (this.n === this.a.length) { const b = new Uint32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = x;
  }
  view(): Uint32Array { return this.a.subarray(0, this.n); }
}

/**
 * Writes a block for [mint, maxt) (ms; maxt exclusive) into `parent/<ulid>`. Series must come sorted by
 * labels, each with samples inside the range; empty series are skipped. Returns the meta, or null when
 * no series had samples (nothing is written). Blocks on file I/O.
 */
export function writeBlock(parent: string, ulid: string, mint: number, maxt: number, series: Iterable<SeriesData>, opts: WriteBlockOptions): BlockMeta | null {
  return drainSteps(writeBlockSteps(parent, ulid, mint, maxt, series, opts));
}

/** Series encoded between two yields of {@link writeBlockSteps}. */
export const SERIES_PER_STEP = 2000;

/** Runs a step generator to completion synchronously. */
export function drainSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a step generator, yielding to the event loop between steps so appends and queries proceed.
 * `stopped()` is checked after each pause; when it returns true the work is abandoned (the generator is
 * closed, leaving at most a `.tmp-for-creation` directory that the next start removes).
 */
export async function driveSteps<T>(steps: Generator<void, T>, stopped: () => boolean): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopped()) {
      steps.return(undefined as T);
      throw new Error("maintenance stopped: the TSDB is closing");
    }
  }
}

/** {@link writeBlock} as steps: yields after every {@link SERIES_PER_STEP} series. */
export function* writeBlockSteps(parent: string, ulid: string, mint: number, maxt: number, series: Iterable<SeriesData>, opts: WriteBlockOptions): Generator<void, BlockMeta | null> {
  const labels: Labels[] = [];
  const chunkStart = new Growable32();
  const cSeries = new Growable32(), cCount = new Growable32(), cTs = new Growable32();
  const cMin: number[] = [], cMax: number[] = [];
  const sMin: number[] = [], sMax: number[] = [];
  const vals = new ByteWriter(1 << 16);
  const valOff: number[] = [0];
  const tsw = new ByteWriter(1 << 12);
  const tsOff: number[] = [0];
  const tsCount: number[] = [], tsMin: number[] = [], tsMax: number[] = [];
  const tsDedup = new Map<string, number[]>();
  const tsArrays: Float64Array[] = [];
  const sc = new EncodeScratch();
  let numSamples = 0;

  const tsId = (t: Float64Array): number => {
    let h = t.length * 31 + t[0]!;
    for (let i = 1; i < t.length; i++) h = (h * 31 + (t[i]! - t[i - 1]!)) % 2147483647;
    const key = `${t[0]}:${t.length}:${h}`;
    const cands = tsDedup.get(key);
    if (cands) for (const id of cands) if (sameArray(tsArrays[id]!, t)) return id;
    const id = tsArrays.length;
    tsArrays.push(t);
    if (cands) cands.push(id); else tsDedup.set(key, [id]);
    encodeTimestamps(tsw, t, t.length);
    tsOff.push(tsw.len);
    tsCount.push(t.length);
    tsMin.push(t[0]!);
    tsMax.push(t[t.length - 1]!);
    return id;
  };

  let sinceYield = 0;
  for (const s of series) {
    if (++sinceYield >= SERIES_PER_STEP) {
      sinceYield = 0;
      yield;
    }
    const n = s.t.length;
    if (n === 0) continue;
    const sid = labels.length;
    labels.push(s.labels);
    chunkStart.push(cSeries.n);
    sMin.push(s.t[0]!);
    sMax.push(s.t[n - 1]!);
    let a = 0;
    while (a < n) {
      const end = (Math.floor(s.t[a]! / opts.chunkRange) + 1) * opts.chunkRange;
      let b = a + 1;
      while (b < n && s.t[b]! < end) b++;
      const t = a === 0 && b === n ? s.t : s.t.slice(a, b);
      cSeries.push(sid);
      cCount.push(b - a);
      cMin.push(t[0]!);
      cMax.push(t[t.length - 1]!);
      cTs.push(tsId(t));
      encodeValues(vals, s.v.subarray(a, b), b - a, sc);
      valOff.push(vals.len);
      numSamples += b - a;
      a = b;
    }
  }
  if (labels.length === 0) return null;
  chunkStart.push(cSeries.n);

  // Label pairs: sorted by (name, value); postings ascend because series come sorted.
  const pairs = new Map<string, { name: string; value: string; post: Growable32 }>();
  for (let sid = 0; sid < labels.length; sid++) {
    const f = labels[sid]!.flat;
    for (let i = 0; i < f.length; i += 2) {
      const k = f[i] + "\xff" + f[i + 1];
      let p = pairs.get(k);
      if (!p) pairs.set(k, (p = { name: f[i]!, value: f[i + 1]!, post: new Growable32(4) }));
      p.post.push(sid);
    }
  }
  const sorted = [...pairs.values()].sort((x, y) => compareStrings(x.name, y.name) || compareStrings(x.value, y.value));
  const pairId = new Map<string, number>();
  sorted.forEach((p, i) => pairId.set(p.name + "\xff" + p.value, i));
  const postOff = new Int32Array(sorted.length + 1);
  let tot = 0;
  sorted.forEach((p, i) => { tot += p.post.n; postOff[i + 1] = tot; });
  const postVals = new Uint32Array(tot);
  sorted.forEach((p, i) => postVals.set(p.post.view(), postOff[i]!));
  const labOff = new Int32Array(labels.length + 1);
  const labVals = new Growable32(labels.length * 8);
  for (let sid = 0; sid < labels.length; sid++) {
    const f = labels[sid]!.flat;
    for (let i = 0; i < f.length; i += 2) labVals.push(pairId.get(f[i] + "\xff" + f[i + 1])!);
    labOff[sid + 1] = labVals.n;
  }

  const tmp = join(parent, `${ulid}.tmp-for-creation`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const files: Array<[string, Uint8Array]> = [
    ["chunks.arrow", encodeTable([
      ["series", u32Col(cSeries.view())], ["min_time", i64Col(cMin)], ["max_time", i64Col(cMax)],
      ["count", u32Col(cCount.view())], ["ts", u32Col(cTs.view())],
      ["values", binaryCol(Int32Array.from(valOff), vals.bytes().slice())],
    ])],
    ["timestamps.arrow", encodeTable([
      ["count", u32Col(Uint32Array.from(tsCount))], ["min_time", i64Col(tsMin)], ["max_time", i64Col(tsMax)],
      ["data", binaryCol(Int32Array.from(tsOff), tsw.bytes().slice())],
    ])],
    ["series.arrow", encodeTable([
      ["labels", listU32Col(labOff, labVals.view().slice())],
      ["chunk_start", u32Col(chunkStart.view().slice(0, labels.length))],
      ["min_time", i64Col(sMin)], ["max_time", i64Col(sMax)],
    ])],
    ["index.arrow", encodeTable([
      ["name", utf8Col(sorted.map((p) => p.name))], ["value", utf8Col(sorted.map((p) => p.value))],
      ["postings", listU32Col(postOff, postVals)],
    ])],
  ];
  let bytes = 0;
  const fileMeta: NonNullable<BlockMeta["files"]> = [];
  for (const [name, b] of files) {
    writeFileSynced(join(tmp, name), b);
    bytes += b.length;
    fileMeta.push({ rel_path: name, size_bytes: b.length, crc32: crc32(b) });
  }
  const meta: BlockMeta = {
    ulid, minTime: mint, maxTime: maxt,
    stats: { numSamples, numSeries: labels.length, numChunks: cSeries.n, numBytes: bytes },
    compaction: opts.compaction, version: 1, format: BLOCK_FORMAT, files: fileMeta,
  };
  writeFileSynced(join(tmp, "meta.json"), new TextEncoder().encode(JSON.stringify(meta, null, "\t") + "\n"));
  const final = join(parent, ulid);
  renameSync(tmp, final);
  fsyncDir(parent);
  return meta;
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes a file and fsyncs it. */
export function writeFileSynced(path: string, b: Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    let o = 0;
    while (o < b.length) o += writeSync(fd, b, o, b.length - o);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a directory where the platform allows it (ignored elsewhere). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Directories cannot be opened for fsync on some platforms; the rename is still atomic.
  }
}
