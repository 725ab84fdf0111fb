/**
 * @module core/tsdb/wal/segment
 * WAL segment files: naming, record framing and CRC checking. Knows bytes only, not record types.
 *
 * A segment is a sequence of frames `len:u32le | crc32:u32le | payload[len]` (CRC-32/IEEE of the
 * payload, from node:zlib). A record never spans segments. A frame whose length runs past the end of
 * the file (torn write) or whose CRC does not match is a corruption at that frame's offset; nothing
 * after it in the segment is trusted.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import zlib from "node:zlib";
import { QuiverError } from "../../util/errors.ts";

/** Bytes of a frame header. */
export const FRAME_HEADER = 8;
/** Largest record payload accepted (guards against reading garbage lengths). */
export const MAX_RECORD = 1 << 30;

/** A torn or corrupt WAL record: where it is, so repair can truncate there. */
export class CorruptionError extends QuiverError {
  constructor(readonly dir: string, readonly segment: number, readonly offset: number, reason: string) {
    super("internal", `corruption in segment ${segment} at offset ${offset}: ${reason}`);
  }
}

/** The file name of segment `i` (8 decimal digits, as Prometheus). */
export function segmentName(i: number): string {
  return String(i).padStart(8, "0");
}

/** Sorted indices of the segment files in `dir`. */
export function listSegments(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const f of readdirSync(dir)) if (/^\d{8}$/.test(f)) out.push(Number(f));
  return out.sort((a, b) => a - b);
}

/** CRC-32 of bytes. */
export function crc32(b: Uint8Array): number {
  return zlib.crc32(b) >>> 0;
}

/** Builds one buffer holding the frames of all payloads (one write call per commit). Caller owns it. */
export function frameAll(payloads: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of payloads) total += FRAME_HEADER + p.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const p of payloads) {
    dv.setUint32(o, p.length, true);
    dv.setUint32(o + 4, crc32(p), true);
    out.set(p, o + FRAME_HEADER);
    o += FRAME_HEADER + p.length;
  }
  return out;
}

/** One record read back: its payload (a view into the segment buffer) and its frame's byte offset. */
export interface RawRecord {
  offset: number;
  payload: Uint8Array;
}

/** The outcome of scanning a segment buffer: the good records, and where it went bad (if it did). */
export interface SegmentScan {
  /** Byte offset just past the last good frame. */
  end: number;
  /** Why the scan stopped early, or undefined when it reached the end cleanly. */
  corruption?: string;
}

/**
 * Calls `fn` for each good record of a segment buffer starting at `offset`, stopping at the first bad
 * frame. Payloads are views into `buf`; copy what you keep.
 */
export function scanSegment(buf: Uint8Array, offset: number, fn: (payload: Uint8Array, offset: number) => void): SegmentScan {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = offset;
  while (o < buf.length) {
    if (buf.length - o < FRAME_HEADER) return { end: o, corruption: `torn frame header (${buf.length - o} bytes)` };
    const len = dv.getUint32(o, true);
    const crc = dv.getUint32(o + 4, true);
    if (len === 0 && crc === 0) return { end: o, corruption: "zeroed frame" };
    if (len > MAX_RECORD || o + FRAME_HEADER + len > buf.length) return { end: o, corruption: `torn record (length ${len})` };
    const payload = buf.subarray(o + FRAME_HEADER, o + FRAME_HEADER + len);
    if (crc32(payload) !== crc) return { end: o, corruption: "checksum mismatch" };
    fn(payload, o);
    o += FRAME_HEADER + len;
  }
  return { end: o };
}

/** Reads a whole segment file. */
export function readSegment(dir: string, i: number): Uint8Array {
  return readFileSync(join(dir, segmentName(i)));
}

/** An open segment file being appended to. */
export class SegmentWriter {
  readonly fd: number;
  size = 0;

  constructor(readonly dir: string, readonly index: number) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, segmentName(index)), "a");
  }

  /**
   * Writes bytes with write(2) and no fsync: once this returns, a process kill cannot lose them (they
   * are in the OS page cache); a machine crash can, as with Prometheus.
   */
  write(b: Uint8Array): void {
    let o = 0;
    while (o < b.length) o += writeSync(this.fd, b, o, b.length - o);
    this.size += b.length;
  }

  /** Flushes to stable storage and closes. */
  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}
