/**
 * @module core/tsdb/head/head-append
 * The head appender: validates samples as they are added (Prometheus's rules), buffers them in typed
 * arrays with no per-sample objects, and on commit applies them to the head and writes one WAL write
 * (a series record for series not yet logged, then one samples record).
 *
 * Rules: a sample newer than the series' newest is accepted; the same timestamp with identical value
 * bits is a no-op; the same timestamp with another value throws DuplicateSampleError; an older sample
 * throws OutOfOrderSampleError unless the out-of-order window is on and it is within the window of the
 * head's newest time (else TooOldSampleError); samples before the newest persisted block throw
 * OutOfBoundsError when no window applies.
 */
import type { Labels } from "../../model/labels.ts";
import { BadDataError } from "../../util/errors.ts";
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError, TooOldSampleError } from "../../storage/errors.ts";
import type { Appender, SeriesRef } from "../../storage/interface.ts";
import { sameBits } from "../chunkenc/bits.ts";
import { encodeSamples, encodeSeries, type RefSeries } from "../record/record.ts";
import { ApplyResult, type Head } from "./head.ts";
import type { MemSeries } from "./series.ts";

/** Where committed records go (the WAL, or nothing when the WAL is disabled). */
export interface RecordLog {
  log(payloads: readonly Uint8Array[]): void;
}

/** The staleness marker's bit pattern, high and low words. */
export const STALE_HI = 0x7ff00000;
export const STALE_LO = 0x00000002;

/** Reusable pending-sample columns of an appender (pooled on the head between batches). */
export class AppendBuffers {
  refs: Uint32Array;
  times: Float64Array;
  vals: Float64Array;
  v32: Uint32Array;
  constructor(cap = 1024) {
    this.refs = new Uint32Array(cap);
    this.times = new Float64Array(cap);
    this.vals = new Float64Array(cap);
    this.v32 = new Uint32Array(this.vals.buffer);
  }
}

/** An appender over the head. Get one per batch; not safe for concurrent use. */
export class HeadAppender implements Appender {
  #n = 0;
  #b: AppendBuffers;
  #refs: Uint32Array;
  #times: Float64Array;
  #vals: Float64Array;
  #v32: Uint32Array;
  #touched: MemSeries[] = [];
  readonly #id: number;
  readonly #f = new Float64Array(1);
  readonly #f32 = new Uint32Array(this.#f.buffer);
  #done = false;

  constructor(readonly head: Head, readonly wal: RecordLog | null, readonly onCommit?: (samples: number) => void) {
    this.#id = ++head.batchSeq;
    this.#b = head.appendPool.pop() ?? new AppendBuffers();
    this.#refs = this.#b.refs;
    this.#times = this.#b.times;
    this.#vals = this.#b.vals;
    this.#v32 = this.#b.v32;
  }

  #release(): void {
    const b = this.#b;
    b.refs = this.#refs;
    b.times = this.#times;
    b.vals = this.#vals;
    b.v32 = this.#v32;
    if (this.head.appendPool.length < 16) this.head.appendPool.push(b);
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    this.#f[0] = v;
    return this.appendBits(ref, labels, t, this.#f32[1]!, this.#f32[0]!);
  }

  /** Appends a staleness marker (bit-exact, independent of how the runtime handles NaN payloads). */
  appendStale(ref: SeriesRef, labels: Labels, t: number): SeriesRef {
    return this.appendBits(ref, labels, t, STALE_HI, STALE_LO);
  }

  /** Appends a value given as its IEEE-754 words (high, low). */
  appendBits(ref: SeriesRef, labels: Labels, t: number, hi: number, lo: number): SeriesRef {
    if (this.#done) throw new Error("appender already committed or rolled back");
    const head = this.head;
    let s = ref > 0 ? head.series[ref] : undefined;
    if (s === undefined || (s.labels !== labels && !s.labels.equals(labels))) {
      if (labels.size === 0) throw new BadDataError("empty labelset");
      s = head.getOrCreate(labels);
    }
    if (!Number.isInteger(t)) throw new OutOfBoundsError();
    let last = s.lastT, lhi = s.lastHi, llo = s.lastLo;
    const inBatch = s.batch === this.#id;
    if (inBatch && s.batchT > last) { last = s.batchT; lhi = s.batchHi; llo = s.batchLo; }
    const win = head.oooWindow;
    if (t > last) {
      if (t < head.minValidTime) {
        if (win === 0) throw new OutOfBoundsError();
        if (t < head.maxTime - win) throw new TooOldSampleError();
      }
    } else if (t === last) {
      if (!sameBits(hi, lo, lhi, llo)) throw new DuplicateSampleError();
      return s.ref;
    } else {
      if (win === 0) throw new OutOfOrderSampleError();
      if (t < head.maxTime - win) throw new TooOldSampleError();
    }
    if (!inBatch) {
      s.batch = this.#id;
      s.batchT = -Infinity;
      s.pendingCommit++;
      this.#touched.push(s);
    }
    // Only in-order samples shadow later ones in the batch; late samples go to the out-of-order
    // buffer, where the first one at a timestamp wins at commit (as Prometheus).
    if (t > s.batchT && t > s.lastT && t >= head.minValidTime) { s.batchT = t; s.batchHi = hi; s.batchLo = lo; }
    const i = this.#n;
    if (i === this.#refs.length) this.#grow();
    this.#refs[i] = s.ref;
    this.#times[i] = t;
    this.#v32[2 * i] = lo;
    this.#v32[2 * i + 1] = hi;
    this.#n = i + 1;
    return s.ref;
  }

  #grow(): void {
    const cap = this.#refs.length * 2;
    const r = new Uint32Array(cap); r.set(this.#refs); this.#refs = r;
    const t = new Float64Array(cap); t.set(this.#times); this.#times = t;
    const v = new Float64Array(cap); v.set(this.#vals); this.#vals = v;
    this.#v32 = new Uint32Array(v.buffer);
  }

  /**
   * Applies the batch to the head and writes it to the WAL with one write call (no fsync). Samples that
   * became invalid since they were appended (another appender committed newer data) are dropped, as
   * Prometheus does. Resolves once the data is durable against a process kill and visible to queries.
   */
  async commit(): Promise<void> {
    this.commitSync();
  }

  /** Synchronous {@link commit}. */
  commitSync(): void {
    if (this.#done) return;
    this.#done = true;
    const head = this.head;
    const refs = this.#refs, times = this.#times, v32 = this.#v32;
    const newSeries: RefSeries[] = [];
    for (const s of this.#touched) {
      s.pendingCommit--;
      if (!s.logged) {
        s.logged = true;
        newSeries.push({ ref: s.ref, labels: s.labels });
      }
    }
    let k = 0;
    const n = this.#n;
    for (let i = 0; i < n; i++) {
      const ref = refs[i]!;
      const s = head.series[ref]!;
      const hi = v32[2 * i + 1]!, lo = v32[2 * i]!;
      const t = times[i]!;
      if (head.apply(s, t, hi, lo) !== ApplyResult.Appended) continue;
      if (k !== i) {
        refs[k] = ref;
        times[k] = t;
        v32[2 * k] = lo;
        v32[2 * k + 1] = hi;
      }
      k++;
    }
    if (this.wal && (k > 0 || newSeries.length > 0)) {
      const payloads: Uint8Array[] = [];
      if (newSeries.length) payloads.push(encodeSeries(newSeries.sort((a, b) => a.ref - b.ref)));
      if (k) payloads.push(encodeSamples(k, refs, times, this.#vals));
      this.wal.log(payloads);
    }
    this.#touched = [];
    this.#n = 0;
    this.#release();
    this.onCommit?.(k);
  }

  rollback(): void {
    if (this.#done) return;
    this.#done = true;
    for (const s of this.#touched) s.pendingCommit--;
    this.#touched = [];
    this.#n = 0;
    this.#release();
  }
}
