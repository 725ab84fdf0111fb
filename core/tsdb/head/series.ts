/**
 * @module core/tsdb/head/series
 * One in-memory series of the head: closed XOR chunks, the open chunk being appended to, and an
 * out-of-order buffer for late samples accepted by the out-of-order window.
 *
 * Invariants: in-order samples are strictly increasing in time; `lastT` is the newest in-order sample
 * (−Infinity when none); a chunk is cut after {@link HEAD_CHUNK_SAMPLES} samples or when a sample
 * crosses the next chunk-range boundary, so no head chunk straddles a block boundary. Values are kept as
 * raw bits (hi/lo words). The out-of-order buffer is sorted by time with unique timestamps.
 */
import type { Labels } from "../../model/labels.ts";
import { HEAD_CHUNK_SAMPLES, XorAppender } from "../chunkenc/xor.ts";

/** A closed, immutable head chunk. */
export interface HeadChunk {
  minT: number;
  maxT: number;
  n: number;
  /** XOR-encoded samples (see chunkenc/xor.ts). */
  data: Uint8Array;
}

/** An in-memory series. Fields are public for the head's hot paths; other modules treat them as read-only. */
export class MemSeries {
  chunks: HeadChunk[] = [];
  open: XorAppender | null = null;
  /** Exclusive time (ms) at which the open chunk must be cut. */
  nextCut = -Infinity;
  lastT = -Infinity;
  lastHi = 0;
  lastLo = 0;
  /** Out-of-order samples, sorted by time (null until the first one). */
  oooT: number[] | null = null;
  oooHi: number[] | null = null;
  oooLo: number[] | null = null;
  /** Number of open appenders holding uncommitted samples for this series (blocks GC). */
  pendingCommit = 0;
  /** Whether the series record is in the WAL. */
  logged = false;
  /** Appender batch bookkeeping (id of the last batch that touched the series and its newest sample). */
  batch = 0;
  batchT = -Infinity;
  batchHi = 0;
  batchLo = 0;

  constructor(readonly ref: number, readonly labels: Labels) {}

  /** Appends an in-order sample (t > lastT). `chunkRange` is the block range in ms used for cut points. */
  appendInOrder(t: number, hi: number, lo: number, chunkRange: number): boolean {
    let app = this.open;
    let cut = false;
    if (app === null || app.n >= HEAD_CHUNK_SAMPLES || t >= this.nextCut) {
      let size = 32;
      if (app !== null && app.n > 0) {
        const len = app.w.byteLength;
        const buf = app.w.buf;
        // Keep the buffer when little is wasted; trim otherwise.
        this.chunks.push({ minT: app.minT, maxT: app.maxT, n: app.n, data: buf.length - len <= 24 ? buf.subarray(0, len) : buf.slice(0, len) });
        size = len + 16; // the next chunk of this series is probably about as big
      }
      app = this.open = new XorAppender(size);
      this.nextCut = (Math.floor(t / chunkRange) + 1) * chunkRange;
      cut = true;
    }
    app.append(t, hi, lo);
    this.lastT = t;
    this.lastHi = hi;
    this.lastLo = lo;
    return cut;
  }

  /** Inserts an out-of-order sample; returns false (and changes nothing) when the time already exists. */
  insertOOO(t: number, hi: number, lo: number): boolean {
    if (this.oooT === null) {
      this.oooT = [t];
      this.oooHi = [hi];
      this.oooLo = [lo];
      return true;
    }
    const ts = this.oooT;
    let a = 0, b = ts.length;
    if (b > 0 && ts[b - 1]! < t) a = b;
    else {
      while (a < b) {
        const m = (a + b) >>> 1;
        if (ts[m]! < t) a = m + 1;
        else b = m;
      }
      if (ts[a] === t) return false;
    }
    ts.splice(a, 0, t);
    this.oooHi!.splice(a, 0, hi);
    this.oooLo!.splice(a, 0, lo);
    return true;
  }

  /** Number of in-order samples held. */
  get inOrderCount(): number {
    let n = this.open ? this.open.n : 0;
    for (const c of this.chunks) n += c.n;
    return n;
  }

  /** Earliest in-order sample time, or +Infinity. */
  get minT(): number {
    if (this.chunks.length) return this.chunks[0]!.minT;
    if (this.open && this.open.n) return this.open.minT;
    return Infinity;
  }

  /**
   * Drops in-order chunks that end before `mint` and out-of-order samples before `mint`. Returns
   * whether the series still holds any sample.
   */
  truncate(mint: number): boolean {
    let k = 0;
    while (k < this.chunks.length && this.chunks[k]!.maxT < mint) k++;
    if (k) this.chunks.splice(0, k);
    if (this.chunks.length === 0 && this.open && this.open.n > 0 && this.open.maxT < mint) {
      this.open = null; // lastT stays: the series keeps rejecting older samples while it lives
    }
    if (this.oooT) {
      let j = 0;
      while (j < this.oooT.length && this.oooT[j]! < mint) j++;
      if (j) {
        this.oooT.splice(0, j);
        this.oooHi!.splice(0, j);
        this.oooLo!.splice(0, j);
      }
      if (this.oooT.length === 0) this.oooT = this.oooHi = this.oooLo = null;
    }
    return this.chunks.length > 0 || (this.open !== null && this.open.n > 0) || this.oooT !== null;
  }

  /** Approximate heap bytes held by the series' samples (chunk bytes and buffers). */
  sampleBytes(): number {
    let b = 0;
    for (const c of this.chunks) b += c.data.byteLength + 48;
    if (this.open) b += this.open.w.buf.byteLength + 96;
    if (this.oooT) b += this.oooT.length * 24;
    return b;
  }
}
