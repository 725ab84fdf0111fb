/**
 * @module core/tsdb/head/head
 * The head block: every series with recent samples, addressed by ref (1-based, never reused) through a
 * flat array, with a postings index and per-series tombstones. Appending lives in head-append.ts,
 * reading in head-read.ts, WAL replay in head-replay.ts.
 *
 * Invariants: `minTime`/`maxTime` bound the in-order samples held (ms; +Inf/−Inf when empty);
 * `minValidTime` is the end of the newest persisted block: in-order samples older than it are refused
 * (they belong to blocks), late samples may still enter the out-of-order buffers within the window.
 */
import type { Labels } from "../../model/labels.ts";
import { MemPostings } from "../index/mem-postings.ts";
import { MemSeries } from "./series.ts";
import { SeriesMap } from "./series-map.ts";
import { sameBits } from "../chunkenc/bits.ts";

/** A closed time interval in ms. */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Outcome of applying one sample to a series. */
export const enum ApplyResult {
  /** Stored. */
  Appended = 1,
  /** Silently dropped: the same sample (or an out-of-order sample at an existing time) is already held. */
  Dropped = 0,
  /** Refused (out of order, duplicate with a different value, or out of bounds). */
  Rejected = -1,
}

/** Options of {@link Head}. */
export interface HeadOptions {
  /** Block range in ms (head chunks are cut on its boundaries). */
  chunkRange: number;
  /** Out-of-order window in ms (0 disables). */
  outOfOrderTimeWindow: number;
}

/** Counters the head keeps (read by DB.metrics()). */
export interface HeadCounters {
  samplesAppended: number;
  oooSamplesAppended: number;
  outOfOrderRejected: number;
  outOfBoundsRejected: number;
  duplicateRejected: number;
  seriesCreated: number;
  seriesRemoved: number;
  chunksCreated: number;
  chunksRemoved: number;
  truncations: number;
}

/** The in-memory head. */
export class Head {
  /** Series by ref (index = ref; slot 0 unused). */
  readonly series: Array<MemSeries | undefined> = [undefined];
  readonly byLabels = new SeriesMap();
  readonly postings = new MemPostings();
  readonly tombstones = new Map<number, Interval[]>();
  numSeries = 0;
  /** Last appender batch id handed out. */
  batchSeq = 0;
  /** Pending-sample buffers reused by appenders (see head-append.ts). */
  readonly appendPool: Array<{ refs: Uint32Array; times: Float64Array; vals: Float64Array; v32: Uint32Array }> = [];
  minTime = Infinity;
  maxTime = -Infinity;
  oooMinTime = Infinity;
  oooMaxTime = -Infinity;
  minValidTime = -Infinity;
  /**
   * While a background head compaction writes data below this time (ms), late samples accepted into
   * the out-of-order buffers below it are also recorded in {@link late}, so truncation keeps them.
   */
  compactingUpTo = -Infinity;
  /** Out-of-order samples that arrived during a background head compaction (see compactingUpTo). */
  late: Array<{ ref: number; t: number; hi: number; lo: number }> = [];
  readonly chunkRange: number;
  oooWindow: number;
  readonly counters: HeadCounters = {
    samplesAppended: 0, oooSamplesAppended: 0, outOfOrderRejected: 0, outOfBoundsRejected: 0, duplicateRejected: 0,
    seriesCreated: 0, seriesRemoved: 0, chunksCreated: 0, chunksRemoved: 0, truncations: 0,
  };

  constructor(opts: HeadOptions) {
    this.chunkRange = opts.chunkRange;
    this.oooWindow = opts.outOfOrderTimeWindow;
  }

  /** The ref the next new series gets. */
  get nextRef(): number {
    return this.series.length;
  }

  /** Looks up a series by labels. */
  getByLabels(labels: Labels): MemSeries | undefined {
    return this.byLabels.get(labels);
  }

  /** Returns the series for `labels`, creating it (not yet logged to the WAL) when missing. */
  getOrCreate(labels: Labels): MemSeries {
    let s = this.byLabels.get(labels);
    if (s) return s;
    s = new MemSeries(this.series.length, labels);
    this.series.push(s);
    this.byLabels.add(s);
    this.postings.add(s.ref, labels);
    this.numSeries++;
    this.counters.seriesCreated++;
    return s;
  }

  /**
   * Creates a series during replay under the WAL's ref when that slot is free (the normal case);
   * otherwise the series gets a fresh ref and `logged` stays false so the next commit writes a series
   * record for it. Returns the existing series for known labels. Callers map WAL refs to the result.
   */
  createWithRef(ref: number, labels: Labels): MemSeries {
    const existing = this.byLabels.get(labels);
    if (existing) return existing;
    if (ref > 0 && (ref >= this.series.length || this.series[ref] === undefined)) {
      while (this.series.length <= ref) this.series.push(undefined);
      const s = new MemSeries(ref, labels);
      s.logged = true;
      this.series[ref] = s;
      this.byLabels.add(s);
      this.postings.add(ref, labels);
      this.numSeries++;
      this.counters.seriesCreated++;
      return s;
    }
    return this.getOrCreate(labels);
  }

  /**
   * Applies a committed sample. With `replay`, samples are not re-validated against the window (they
   * were accepted when first appended). Returns an {@link ApplyResult}.
   */
  apply(s: MemSeries, t: number, hi: number, lo: number, replay = false): ApplyResult {
    if (t > s.lastT && t >= this.minValidTime) {
      if (s.appendInOrder(t, hi, lo, this.chunkRange)) this.counters.chunksCreated++;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
      this.counters.samplesAppended++;
      return ApplyResult.Appended;
    }
    if (t === s.lastT) {
      if (sameBits(hi, lo, s.lastHi, s.lastLo)) return ApplyResult.Dropped;
      this.counters.duplicateRejected++;
      return ApplyResult.Rejected;
    }
    if (replay ? this.oooWindow > 0 || t >= this.minValidTime : this.oooWindow > 0 && t >= this.maxTime - this.oooWindow) {
      if (!s.insertOOO(t, hi, lo)) return ApplyResult.Dropped;
      if (t < this.compactingUpTo) this.late.push({ ref: s.ref, t, hi, lo });
      if (t < this.oooMinTime) this.oooMinTime = t;
      if (t > this.oooMaxTime) this.oooMaxTime = t;
      this.counters.oooSamplesAppended++;
      this.counters.samplesAppended++;
      return ApplyResult.Appended;
    }
    if (t < this.minValidTime) this.counters.outOfBoundsRejected++;
    else this.counters.outOfOrderRejected++;
    return ApplyResult.Rejected;
  }

  /** Adds tombstone intervals for series refs. */
  addTombstone(ref: number, mint: number, maxt: number): void {
    let l = this.tombstones.get(ref);
    if (!l) this.tombstones.set(ref, (l = []));
    l.push({ mint, maxt });
  }

  /**
   * Drops data older than `mint` (already persisted), garbage-collects series left without samples and
   * raises `minValidTime`. Returns the refs removed.
   */
  truncate(mint: number): Set<number> {
    const dead = new Set<number>();
    let minT = Infinity, oooMin = Infinity, oooMax = -Infinity;
    const late = new Map<number, Array<{ t: number; hi: number; lo: number }>>();
    for (const x of this.late) {
      const l = late.get(x.ref);
      if (l) l.push(x);
      else late.set(x.ref, [x]);
    }
    for (let ref = 1; ref < this.series.length; ref++) {
      const s = this.series[ref];
      if (!s) continue;
      const before = s.chunks.length;
      let alive = s.truncate(mint);
      const keep = late.get(ref);
      if (keep) {
        // Arrived during the background write, possibly after the series was written: keep them.
        for (const x of keep) s.insertOOO(x.t, x.hi, x.lo);
        alive = true;
      }
      this.counters.chunksRemoved += before - s.chunks.length;
      if (!alive && s.pendingCommit === 0) {
        dead.add(ref);
        this.series[ref] = undefined;
        this.byLabels.delete(s);
        this.tombstones.delete(ref);
        continue;
      }
      const m = s.minT;
      if (m < minT) minT = m;
      if (s.oooT) {
        if (s.oooT[0]! < oooMin) oooMin = s.oooT[0]!;
        if (s.oooT[s.oooT.length - 1]! > oooMax) oooMax = s.oooT[s.oooT.length - 1]!;
      }
    }
    this.postings.delete(dead);
    this.numSeries -= dead.size;
    this.counters.seriesRemoved += dead.size;
    this.counters.truncations++;
    for (const [ref, ivs] of this.tombstones) {
      // Keep intervals that may still cover samples held in memory (a chunk straddling `mint`).
      const s = this.series[ref]!;
      const first = Math.min(s.minT, s.oooT ? s.oooT[0]! : Infinity);
      const keep = ivs.filter((iv) => iv.maxt >= first);
      if (keep.length) this.tombstones.set(ref, keep);
      else this.tombstones.delete(ref);
    }
    this.minTime = minT;
    if (minT === Infinity) this.maxTime = Math.max(this.maxTime, mint - 1);
    this.oooMinTime = oooMin;
    this.oooMaxTime = oooMax;
    if (mint > this.minValidTime) this.minValidTime = mint;
    return dead;
  }
}
