/**
 * @module core/tsdb/wal/wal
 * The write-ahead log: a directory of numbered segments plus checkpoints. Bytes only: callers hand in
 * encoded record payloads and get payloads back.
 *
 * Durability (documented in FORMAT.md): {@link WAL.log} issues one write(2) per call (one per commit)
 * without fsync, exactly as Prometheus does; segments are fsynced when closed (rotation, shutdown) and
 * checkpoints before they are renamed into place. A process kill therefore loses nothing committed; a
 * power loss can lose the unsynced tail, which repair truncates on the next start.
 *
 * Sequential reading for tailers (remote write): {@link WAL.readRecords}(segment, offset) returns the
 * complete records from that position and the offset to continue from. Offsets are byte offsets of
 * frames in a segment file; segments only grow until rotated, then never change until deleted.
 */
import { existsSync, readdirSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { frameAll, listSegments, readSegment, scanSegment, SegmentWriter, segmentName } from "./segment.ts";

/** Default segment size in bytes (128 MiB, as Prometheus). */
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** Options of {@link WAL}. */
export interface WALOptions {
  /** Rotate to a new segment when the current one would exceed this many bytes. */
  segmentSize?: number;
}

/** Result of a tail read. */
export interface TailRead {
  /** Complete record payloads (copies, owned by the caller). */
  records: Uint8Array[];
  /** Offset (bytes) to continue from in the same segment. */
  nextOffset: number;
  /** Whether a newer segment exists (the caller should move on once records run out). */
  hasNext: boolean;
}

/** A write-ahead log in one directory. Not safe for concurrent writers (one per process). */
export class WAL {
  readonly segmentSize: number;
  #writer: SegmentWriter | null = null;
  #closed = false;

  constructor(readonly dir: string, opts: WALOptions = {}) {
    this.segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  }

  /** Sorted segment indices currently on disk. */
  segments(): number[] {
    return listSegments(this.dir);
  }

  /** Index of the segment being written, or -1 before {@link WAL.startSegment}. */
  get currentSegment(): number {
    return this.#writer ? this.#writer.index : -1;
  }

  /** Opens a fresh segment after the last one on disk (done once replay and repair are complete). */
  startSegment(): number {
    const segs = this.segments();
    const next = segs.length ? segs[segs.length - 1]! + 1 : 0;
    this.#writer?.close();
    this.#writer = new SegmentWriter(this.dir, next);
    return next;
  }

  /**
   * Appends records as one write(2) call; rotates first when the segment would exceed its size.
   * Synchronous (blocks on the write). Payload buffers are not retained.
   */
  log(payloads: readonly Uint8Array[]): void {
    if (this.#closed) throw new Error("write to a closed WAL");
    if (!this.#writer) this.startSegment();
    const frames = frameAll(payloads);
    if (this.#writer!.size > 0 && this.#writer!.size + frames.length > this.segmentSize) this.startSegment();
    this.#writer!.write(frames);
  }

  /** Closes the current segment (fsync) and starts the next; returns the new segment's index. */
  rotate(): number {
    return this.startSegment();
  }

  /** Reads every good record of segment `i` (views into a fresh buffer) and reports corruption, if any. */
  scan(i: number, fn: (payload: Uint8Array, offset: number) => void): { end: number; size: number; corruption?: string } {
    const buf = readSegment(this.dir, i);
    const r = scanSegment(buf, 0, fn);
    return { ...r, size: buf.length };
  }

  /**
   * Repairs corruption at (segment, offset): truncates that segment there and deletes every later
   * segment. Returns the number of bytes dropped.
   */
  repair(segment: number, offset: number): number {
    let dropped = 0;
    const path = join(this.dir, segmentName(segment));
    dropped += statSync(path).size - offset;
    truncateSync(path, offset);
    for (const s of this.segments()) {
      if (s <= segment) continue;
      const p = join(this.dir, segmentName(s));
      dropped += statSync(p).size;
      rmSync(p);
    }
    return dropped;
  }

  /** Deletes segments with index < `upTo` (never the one being written). */
  truncateBefore(upTo: number): void {
    for (const s of this.segments()) {
      if (s >= upTo || s === this.currentSegment) continue;
      rmSync(join(this.dir, segmentName(s)), { force: true });
    }
  }

  /**
   * Reads complete records of segment `segment` from byte `offset` (a frame boundary). Stops at a torn
   * tail (a frame still being written) without error; retry later from `nextOffset`.
   */
  readRecords(segment: number, offset: number): TailRead {
    const segs = this.segments();
    const hasNext = segs.some((s) => s > segment);
    if (!existsSync(join(this.dir, segmentName(segment)))) return { records: [], nextOffset: offset, hasNext };
    const buf = readSegment(this.dir, segment);
    const records: Uint8Array[] = [];
    const r = scanSegment(buf, offset, (p) => records.push(p.slice()));
    return { records, nextOffset: r.end, hasNext };
  }

  /** Total bytes of the WAL directory (segments and checkpoints). */
  size(): number {
    return dirSize(this.dir);
  }

  /** Closes the current segment (fsync). */
  close(): void {
    this.#closed = true;
    this.#writer?.close();
    this.#writer = null;
  }
}

/** Total size in bytes of the files under `dir` (recursive). */
export function dirSize(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

