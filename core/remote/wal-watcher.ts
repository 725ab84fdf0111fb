/**
 * @module core/remote/wal-watcher
 * Tails the TSDB's write-ahead log read-only, as Prometheus's remote-write WAL watcher does: series
 * records map refs to labels, samples records are handed to a consumer, and the position (segment,
 * byte offset of the next frame) is reported with every record so the consumer can checkpoint what it
 * has delivered. Uses core/tsdb's segment framing and record decoders; never writes to the WAL.
 *
 * Reading: each poll reads the active segment from the last offset to its current end (frames are
 * self-delimiting, so a buffer starting at a frame boundary scans like a whole segment); a torn last
 * frame is simply retried on the next poll. A finished segment with a corrupt frame is skipped with a
 * warning. Before the start position only series records are used (to learn labels); samples before it
 * were delivered in an earlier run.
 *
 * Checkpoints: when the TSDB writes checkpoint N it deletes segments ≤ N. Series defined only in
 * deleted segments and absent from checkpoint N are forgotten (the head dropped them). If the watcher's
 * own position was deleted before it read it (it fell behind by a whole head compaction), it continues
 * at the first remaining segment and reports how many segments it lost.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log/logger.ts";
import type { Labels } from "../model/labels.ts";
import { lastCheckpoint } from "../tsdb/wal/checkpoint.ts";
import { listSegments, readSegment, scanSegment, segmentName } from "../tsdb/wal/segment.ts";
import { decodeSamples, decodeSeries, RecordType, type SamplesColumns } from "../tsdb/record/record.ts";

/** A position in the WAL: the frame offset to read next in `segment`. */
export interface WALPosition {
  segment: number;
  offset: number;
}

/** Receives what the watcher reads. */
export interface WALConsumer {
  /** A series record entry (possibly a ref seen before, after a restart). */
  series(ref: number, labels: Labels): void;
  /**
   * Samples of one record; `after` is the position just past it. Return how many samples (from the
   * start of the record) were taken; fewer than `c.n` means "full, give me the rest later".
   * `from` is the index to start at (non-zero when the record is being resumed).
   */
  samples(c: SamplesColumns, from: number, after: WALPosition): number;
  /** A ref the head dropped (gone from the newest checkpoint). */
  forget?(ref: number): void;
}

/** Options of {@link WALWatcher}. */
export interface WALWatcherOptions {
  walDir: string;
  consumer: WALConsumer;
  logger: Logger;
  /** Where to start delivering samples; undefined = the current end of the WAL (only new data). */
  start?: WALPosition;
}

/** Reads the WAL incrementally; call {@link WALWatcher.poll} repeatedly. Not reentrant. */
export class WALWatcher {
  readonly walDir: string;
  #consumer: WALConsumer;
  #logger: Logger;
  #segment = -1;
  #offset = 0;
  #start: WALPosition | undefined;
  #checkpoint = -1;
  /** Segment in which each known ref was last defined (for forgetting series after a checkpoint). */
  #refSegment = new Map<number, number>();
  /** A samples record the consumer could not take completely. */
  #pending: { c: SamplesColumns; from: number; after: WALPosition } | undefined;
  #scratch = { buf: new ArrayBuffer(1 << 16), times: new Float64Array(1024) };
  /** Segments skipped because they were deleted before being read. */
  lostSegments = 0;
  /** Records read (all types). */
  records = 0;

  constructor(o: WALWatcherOptions) {
    this.walDir = o.walDir;
    this.#consumer = o.consumer;
    this.#logger = o.logger;
    this.#start = o.start;
  }

  /** The position of the next frame to read. */
  get position(): WALPosition {
    return { segment: this.#segment, offset: this.#offset };
  }

  /** Reads the newest checkpoint's series and positions the watcher. Call once before polling. */
  init(): void {
    const cp = lastCheckpoint(this.walDir);
    if (cp) {
      this.#checkpoint = cp.index;
      for (const s of listSegments(cp.dir)) scanSegment(readSegment(cp.dir, s), 0, (p) => this.#seriesOnly(p, cp.index));
    }
    const segs = listSegments(this.walDir);
    const first = segs[0] ?? 0;
    if (this.#start === undefined) {
      // No saved position: learn all series, then start at the current end (only new samples).
      for (const s of segs) this.#readSegmentSeries(s);
      const last = segs[segs.length - 1];
      this.#segment = last ?? 0;
      this.#offset = last === undefined ? 0 : this.#fileSize(last);
      return;
    }
    let start = this.#start;
    if (segs.length > 0 && start.segment < first) {
      this.lostSegments += first - start.segment;
      this.#logger.warn("Remote write position was deleted by a WAL checkpoint; resuming at the oldest segment", { saved: start.segment, resume: first });
      start = { segment: first, offset: 0 };
    }
    for (const s of segs) {
      if (s >= start.segment) break;
      this.#readSegmentSeries(s);
    }
    // Series in the start segment before the offset.
    if (existsSync(join(this.walDir, segmentName(start.segment))) && start.offset > 0) {
      const buf = readSegment(this.walDir, start.segment).subarray(0, start.offset);
      scanSegment(buf, 0, (p) => this.#seriesOnly(p, start.segment));
    }
    this.#segment = start.segment;
    this.#offset = start.offset;
  }

  #fileSize(seg: number): number {
    const fd = openSync(join(this.walDir, segmentName(seg)), "r");
    try {
      const size = fstatSync(fd).size;
      // Only whole frames count: scan to find the last good boundary.
      const buf = new Uint8Array(size);
      readSync(fd, buf, 0, size, 0);
      return scanSegment(buf, 0, (p) => this.#seriesOnly(p, seg)).end;
    } finally {
      closeSync(fd);
    }
  }

  #readSegmentSeries(s: number): void {
    if (!existsSync(join(this.walDir, segmentName(s)))) return;
    scanSegment(readSegment(this.walDir, s), 0, (p) => this.#seriesOnly(p, s));
  }

  #seriesOnly(p: Uint8Array, seg: number): void {
    if (p[0] !== RecordType.Series) return;
    for (const s of decodeSeries(p)) {
      this.#refSegment.set(s.ref, seg);
      this.#consumer.series(s.ref, s.labels);
    }
  }

  /** Refs forgotten after a checkpoint (the consumer should drop their labels). */
  forgetAfterCheckpoint(drop: (ref: number) => void): void {
    const cp = lastCheckpoint(this.walDir);
    if (!cp || cp.index <= this.#checkpoint) return;
    const keep = new Set<number>();
    for (const s of listSegments(cp.dir)) {
      scanSegment(readSegment(cp.dir, s), 0, (p) => {
        if (p[0] === RecordType.Series) for (const x of decodeSeries(p)) keep.add(x.ref);
      });
    }
    for (const [ref, seg] of this.#refSegment) {
      if (seg <= cp.index && !keep.has(ref)) {
        this.#refSegment.delete(ref);
        drop(ref);
      }
    }
    this.#checkpoint = cp.index;
  }

  /**
   * Reads what is new. Returns true when it made progress (records read or a segment finished), false
   * when caught up or blocked by a full consumer. Blocks on file reads.
   */
  poll(): boolean {
    if (this.#pending) {
      const p = this.#pending;
      const took = this.#consumer.samples(p.c, p.from, p.after);
      if (p.from + took < p.c.n) {
        p.from += took;
        return took > 0;
      }
      this.#pending = undefined;
    }
    const segs = listSegments(this.walDir);
    if (segs.length === 0) return false;
    if (this.#segment < segs[0]!) {
      this.lostSegments += segs[0]! - this.#segment;
      this.#logger.warn("Remote write fell behind a WAL checkpoint; segments were deleted before they were sent", { from: this.#segment, to: segs[0] });
      this.#segment = segs[0]!;
      this.#offset = 0;
    }
    const hasNext = segs.some((s) => s > this.#segment);
    const path = join(this.walDir, segmentName(this.#segment));
    let progressed = false;
    if (existsSync(path)) {
      const fd = openSync(path, "r");
      let buf: Uint8Array;
      try {
        const size = fstatSync(fd).size;
        if (size < this.#offset) {
          // Truncated by repair: continue at its new end.
          this.#offset = size;
        }
        buf = new Uint8Array(size - this.#offset);
        if (buf.length) readSync(fd, buf, 0, buf.length, this.#offset);
      } finally {
        closeSync(fd);
      }
      const base = this.#offset;
      let stopAt = -1;
      const r = scanSegment(buf, 0, (payload, off) => {
        if (stopAt >= 0) return;
        const after: WALPosition = { segment: this.#segment, offset: base + off + 8 + payload.length };
        this.records++;
        if (payload[0] === RecordType.Series) {
          this.#seriesOnly(payload, this.#segment);
        } else if (payload[0] === RecordType.Samples) {
          // Copy: the columns may alias `buf`, which is only valid in this call.
          const c = decodeSamples(payload.slice(), this.#scratch);
          const own: SamplesColumns = { n: c.n, refs: c.refs.slice(), times: c.times.slice(), values: c.values.slice() };
          const took = this.#consumer.samples(own, 0, after);
          if (took < own.n) {
            this.#pending = { c: own, from: took, after };
            stopAt = base + off + 8 + payload.length;
          }
        }
        this.#offset = after.offset;
        progressed = true;
      });
      if (stopAt >= 0) return true;
      if (r.corruption && hasNext && base + r.end < base + buf.length) {
        this.#logger.warn("Skipping the rest of a corrupt WAL segment", { segment: this.#segment, offset: base + r.end, err: r.corruption });
        this.#offset = base + buf.length;
      }
    }
    if (!progressed && hasNext) {
      // The segment is finished (the writer moved on): continue with the next one on disk.
      this.#segment = segs.find((s) => s > this.#segment)!;
      this.#offset = 0;
      this.forgetAfterCheckpoint((ref) => this.#consumer.forget?.(ref));
      return true;
    }
    return progressed;
  }
}
