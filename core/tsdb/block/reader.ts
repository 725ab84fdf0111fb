/**
 * @module core/tsdb/block/reader
 * Opens a block directory: checks meta.json and every data file's size and CRC-32 (a mismatch is a
 * {@link BlockCorruptionError}; the caller skips the block and never deletes it), decodes the Arrow
 * files into typed-array columns, and serves postings, labels and samples. Index and series tables stay
 * in memory; chunk columns may be released when idle and are re-read (and re-verified) on demand.
 *
 * Tombstones live in `tombstones.json` beside the immutable files and are replaced atomically
 * (write to a temporary name, fsync, rename).
 */
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { Labels } from "../../model/labels.ts";
import { QuiverError } from "../../util/errors.ts";
import { decodeTimestamps, decodeValues } from "../chunkenc/columns.ts";
import { applyTombstones, type SampleColumns } from "../head/head-read.ts";
import type { Interval } from "../head/head.ts";
import { EMPTY_POSTINGS, type IndexReader } from "../index/postings.ts";
import { ByteReader } from "../record/bytes.ts";
import { dirSize } from "../wal/wal.ts";
import { crc32 } from "../wal/segment.ts";
import { column, decodeTable, i64Values } from "./arrow.ts";
import type { BlockMeta, BlockReader } from "./types.ts";
import { fsyncDir, writeFileSynced } from "./writer.ts";

/** A block that cannot be read: reported and skipped, never deleted. */
export class BlockCorruptionError extends QuiverError {
  constructor(readonly dir: string, reason: string) {
    super("internal", `corrupt block ${dir}: ${reason}`);
  }
}

/** Name of the tombstones file in a block directory. */
export const TOMBSTONES_FILE = "tombstones.json";

const dec = new TextDecoder();

class BlockIndex implements IndexReader {
  readonly byName = new Map<string, Map<string, number>>();
  constructor(readonly names: string[], readonly values: string[], readonly postOff: Int32Array, readonly postVals: Uint32Array, readonly n: number) {
    for (let i = 0; i < names.length; i++) {
      let m = this.byName.get(names[i]!);
      if (!m) this.byName.set(names[i]!, (m = new Map()));
      m.set(values[i]!, i);
    }
  }
  #all: Uint32Array | null = null;
  postings(name: string, value: string): Uint32Array {
    const row = this.byName.get(name)?.get(value);
    if (row === undefined) return EMPTY_POSTINGS;
    return this.postVals.subarray(this.postOff[row]!, this.postOff[row + 1]!);
  }
  labelValues(name: string): readonly string[] {
    const m = this.byName.get(name);
    return m ? [...m.keys()] : [];
  }
  labelNames(): readonly string[] {
    return [...this.byName.keys()];
  }
  allPostings(): Uint32Array {
    if (!this.#all) { this.#all = new Uint32Array(this.n); for (let i = 0; i < this.n; i++) this.#all[i] = i; }
    return this.#all;
  }
}

function strings(d: { valueOffsets: Int32Array; values: Uint8Array; length: number; offset: number }): string[] {
  const out: string[] = new Array(d.length);
  const o = d.valueOffsets;
  for (let i = 0; i < d.length; i++) out[i] = dec.decode(d.values.subarray(o[d.offset + i]!, o[d.offset + i + 1]!));
  return out;
}

/** The decoded chunk columns of a block (loaded on first use, released when idle). */
interface ChunkCols {
  cMin: Float64Array;
  cMax: Float64Array;
  cCount: Uint32Array;
  cTs: Uint32Array;
  valOff: Int32Array;
  vals: Uint8Array;
  tsOff: Int32Array;
  tsData: Uint8Array;
  tsCount: Uint32Array;
  tsCache: Map<number, Float64Array>;
}

/**
 * An opened block. The index and series tables stay in memory; the chunk and timestamp columns are
 * decoded on first read and can be released again ({@link ArrowBlock.releaseChunks}) when idle.
 */
export class ArrowBlock implements BlockReader {
  readonly index: BlockIndex;
  readonly numSeries: number;
  #labOff!: Int32Array;
  #labVals!: Uint32Array;
  #chunkStart!: Uint32Array;
  #sMin: Float64Array | null = null;
  #sMax: Float64Array | null = null;
  #cols: ChunkCols | null = null;
  #tomb = new Map<number, Interval[]>();
  #labelsCache: Array<Labels | undefined> = [];
  /** performance.now() of the last sample read (for idle release). */
  lastUsed = 0;

  private constructor(readonly dir: string, readonly meta: BlockMeta, files: Map<string, Uint8Array>) {
    const ix = decodeTable(files.get("index.arrow")!);
    const post = column(ix, "postings");
    const postChild = post.children[0]!;
    const sr = decodeTable(files.get("series.arrow")!);
    const lab = column(sr, "labels");
    this.numSeries = lab.length;
    this.index = new BlockIndex(
      strings(column(ix, "name") as never), strings(column(ix, "value") as never),
      post.valueOffsets as Int32Array, (postChild.values as Uint32Array).subarray(postChild.offset), this.numSeries,
    );
    this.#labOff = lab.valueOffsets as Int32Array;
    this.#labVals = (lab.children[0]!.values as Uint32Array);
    this.#chunkStart = column(sr, "chunk_start").values as Uint32Array;
    if (sr.getChild("min_time") && sr.getChild("max_time")) {
      this.#sMin = i64Values(column(sr, "min_time"));
      this.#sMax = i64Values(column(sr, "max_time"));
    }
    if (this.#chunkStart.length !== this.numSeries) throw new RangeError("series.arrow chunk_start length mismatch");
  }

  /** Opens and verifies a block directory. Throws {@link BlockCorruptionError} when anything is off. */
  static open(dir: string): ArrowBlock {
    let meta: BlockMeta;
    try {
      meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as BlockMeta;
    } catch (e) {
      throw new BlockCorruptionError(dir, `meta.json: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof meta.ulid !== "string" || typeof meta.minTime !== "number" || typeof meta.maxTime !== "number") {
      throw new BlockCorruptionError(dir, "meta.json lacks ulid/minTime/maxTime");
    }
    const files = new Map<string, Uint8Array>();
    for (const name of DATA_FILES) files.set(name, readVerified(dir, meta, name));
    let blk: ArrowBlock;
    try {
      blk = new ArrowBlock(dir, meta, files);
      blk.#cols = decodeChunks(files); // validate now; kept until released
    } catch (e) {
      if (e instanceof BlockCorruptionError) throw e;
      throw new BlockCorruptionError(dir, e instanceof Error ? e.message : String(e));
    }
    blk.lastUsed = performance.now();
    blk.#loadTombstones();
    return blk;
  }

  /** The chunk columns, loading them when released. */
  #chunks(): ChunkCols {
    this.lastUsed = performance.now();
    if (this.#cols) return this.#cols;
    const files = new Map<string, Uint8Array>();
    for (const name of ["chunks.arrow", "timestamps.arrow"]) files.set(name, readVerified(this.dir, this.meta, name));
    this.#cols = decodeChunks(files);
    return this.#cols;
  }

  /** Drops the decoded chunk columns (they are re-read on the next query). Returns whether anything was released. */
  releaseChunks(): boolean {
    if (this.#pinned) return false;
    const had = this.#cols !== null;
    this.#cols = null;
    return had;
  }

  #pinned = false;

  /**
   * Loads the chunk columns and keeps them, so queriers that still hold this block keep working after
   * its directory is deleted (compaction, retention).
   */
  pinInMemory(): void {
    this.#chunks();
    this.#pinned = true;
  }

  #loadTombstones(): void {
    const p = join(this.dir, TOMBSTONES_FILE);
    if (!existsSync(p)) return;
    const j = JSON.parse(readFileSync(p, "utf8")) as { version: number; series: Array<[number, Array<[number, number]>]> };
    for (const [id, ivs] of j.series) this.#tomb.set(id, ivs.map(([mint, maxt]) => ({ mint, maxt })));
  }

  labels(id: number): Labels {
    const c = this.#labelsCache[id];
    if (c) return c;
    const flat: string[] = [];
    const names = this.index.names, values = this.index.values;
    for (let i = this.#labOff[id]!; i < this.#labOff[id + 1]!; i++) {
      const p = this.#labVals[i]!;
      flat.push(names[p]!, values[p]!);
    }
    const l = Labels.fromSortedFlat(flat);
    this.#labelsCache[id] = l;
    return l;
  }

  #timestamps(c: ChunkCols, tsId: number): Float64Array {
    let t = c.tsCache.get(tsId);
    if (t) return t;
    const r = new ByteReader(c.tsData.subarray(c.tsOff[tsId]!, c.tsOff[tsId + 1]!));
    t = new Float64Array(c.tsCount[tsId]!);
    decodeTimestamps(r, t);
    c.tsCache.set(tsId, t);
    return t;
  }

  hasSamples(id: number, mint: number, maxt: number): boolean {
    if (this.#sMin && this.#sMax) return this.#sMax[id]! >= mint && this.#sMin[id]! <= maxt;
    const cc = this.#chunks();
    const c0 = this.#chunkStart[id]!;
    const c1 = id + 1 < this.numSeries ? this.#chunkStart[id + 1]! : cc.cCount.length;
    for (let c = c0; c < c1; c++) if (cc.cMax[c]! >= mint && cc.cMin[c]! <= maxt) return true;
    return false;
  }

  readSeries(id: number, mint: number, maxt: number): SampleColumns | null {
    if (this.#sMin && this.#sMax && (this.#sMax[id]! < mint || this.#sMin[id]! > maxt)) return null;
    const cc = this.#chunks();
    const c0 = this.#chunkStart[id]!;
    const c1 = id + 1 < this.numSeries ? this.#chunkStart[id + 1]! : cc.cCount.length;
    let total = 0;
    for (let c = c0; c < c1; c++) if (cc.cMax[c]! >= mint && cc.cMin[c]! <= maxt) total += cc.cCount[c]!;
    if (total === 0) return null;
    const tOut = new Float64Array(total);
    const vab = new ArrayBuffer(total * 8);
    const vOut = new Float64Array(vab);
    const v32 = new Uint32Array(vab);
    let n = 0;
    for (let c = c0; c < c1; c++) {
      if (cc.cMax[c]! < mint || cc.cMin[c]! > maxt) continue;
      const cnt = cc.cCount[c]!;
      tOut.set(this.#timestamps(cc, cc.cTs[c]!), n);
      decodeValues(new ByteReader(cc.vals.subarray(cc.valOff[c]!, cc.valOff[c + 1]!)), cnt, vOut, v32, n);
      n += cnt;
    }
    let a = 0, b = n;
    while (a < b && tOut[a]! < mint) a++;
    while (b > a && tOut[b - 1]! > maxt) b--;
    let t = tOut, v = vOut;
    if (a > 0 || b < n) { t = tOut.slice(a, b); v = vOut.slice(a, b); }
    if (t.length === 0) return null;
    const tb = this.#tomb.get(id);
    if (tb) return applyTombstones(t, v, tb);
    return { t, v };
  }

  tombstones(): ReadonlyMap<number, readonly Interval[]> {
    return this.#tomb;
  }

  addTombstones(add: ReadonlyMap<number, readonly Interval[]>): void {
    for (const [id, ivs] of add) {
      const l = this.#tomb.get(id) ?? [];
      l.push(...ivs);
      this.#tomb.set(id, l);
    }
    this.#persistTombstones();
  }

  /** Removes all tombstones (after the block was rewritten without the deleted data). */
  #persistTombstones(): void {
    const body = { version: 1, series: [...this.#tomb].map(([id, ivs]) => [id, ivs.map((iv) => [iv.mint, iv.maxt])]) };
    const tmp = join(this.dir, TOMBSTONES_FILE + ".tmp");
    writeFileSynced(tmp, new TextEncoder().encode(JSON.stringify(body)));
    renameSync(tmp, join(this.dir, TOMBSTONES_FILE));
    fsyncDir(this.dir);
  }

  /** Number of tombstoned series. */
  get numTombstones(): number {
    return this.#tomb.size;
  }

  size(): number {
    return existsSync(this.dir) ? dirSize(this.dir) : 0;
  }

  close(): void {
    if (this.#pinned) return; // an open querier may still read it; memory goes with the last reference
    this.#cols = null;
    this.#labelsCache = [];
  }
}

const DATA_FILES = ["index.arrow", "series.arrow", "chunks.arrow", "timestamps.arrow"];

/** Reads a data file and checks it against meta.json's size and CRC-32. */
function readVerified(dir: string, meta: BlockMeta, name: string): Uint8Array {
  let b: Uint8Array;
  try {
    b = readFileSync(join(dir, name));
  } catch (e) {
    throw new BlockCorruptionError(dir, `${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fm = meta.files?.find((f) => f.rel_path === name);
  if (fm && (fm.size_bytes !== b.length || fm.crc32 !== crc32(b))) {
    throw new BlockCorruptionError(dir, `${name}: size or checksum mismatch (expected ${fm.size_bytes} bytes crc ${fm.crc32}, found ${b.length} bytes crc ${crc32(b)})`);
  }
  return b;
}

function decodeChunks(files: Map<string, Uint8Array>): ChunkCols {
  const ch = decodeTable(files.get("chunks.arrow")!);
  const v = column(ch, "values");
  const ts = decodeTable(files.get("timestamps.arrow")!);
  const td = column(ts, "data");
  return {
    cMin: i64Values(column(ch, "min_time")), cMax: i64Values(column(ch, "max_time")),
    cCount: column(ch, "count").values as Uint32Array, cTs: column(ch, "ts").values as Uint32Array,
    valOff: v.valueOffsets as Int32Array, vals: v.values as Uint8Array,
    tsCount: column(ts, "count").values as Uint32Array, tsOff: td.valueOffsets as Int32Array, tsData: td.values as Uint8Array,
    tsCache: new Map(),
  };
}

/** Whether a path exists and is a directory. */
export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
