/**
 * @module core/remote/proto/chunked
 * Streamed remote read (`STREAMED_XOR_CHUNKS`): `ChunkedReadResponse{chunked_series=1, query_index=2}`
 * with `ChunkedSeries{labels=1, chunks=2}` and `Chunk{min_time_ms=1, max_time_ms=2, type=3 (XOR = 1),
 * data=4}`, each message framed as Prometheus's ChunkedWriter does: uvarint length, CRC-32 (Castagnoli)
 * of the message as 4 big-endian bytes, the message. Content type
 * `application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse`; the stream is not snappy
 * compressed. Series are written one per frame unless several fit in `maxBytesInFrame` (1 MiB, as
 * --storage.remote.read-max-bytes-in-frame).
 */
import type { Labels } from "../../model/labels.ts";
import type { Series } from "../../storage/interface.ts";
import { labelsFromPairs, writeLabels } from "./write.ts";
import { ProtoError, ProtoReader, ProtoWriter, WireType } from "./wire.ts";
import { encodeXORChunk, MAX_SAMPLES_PER_CHUNK } from "./xor-chunk.ts";

/** Content type of a streamed remote-read response. */
export const CHUNKED_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
/** Prometheus's default --storage.remote.read-max-bytes-in-frame. */
export const DEFAULT_MAX_BYTES_IN_FRAME = 1048576;

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of bytes. */
export function crc32c(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC32C_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Frames one message: uvarint length, CRC-32C big-endian, bytes. Returns a fresh buffer. */
export function frame(msg: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = msg.length;
  while (n >= 0x80) { len.push((n & 0x7f) | 0x80); n >>>= 7; }
  len.push(n);
  const out = new Uint8Array(len.length + 4 + msg.length);
  out.set(len, 0);
  new DataView(out.buffer).setUint32(len.length, crc32c(msg), false);
  out.set(msg, len.length + 4);
  return out;
}

/**
 * Encodes the frames of one query's series (query index `queryIndex`) as Prometheus does: at most one
 * series per frame, a series' chunks split over several frames once they exceed `maxBytesInFrame`.
 * Chunks hold up to 120 samples. Returns fresh buffers.
 */
export function encodeChunkedFrames(series: readonly Series[], queryIndex: number, extra?: Labels, maxBytesInFrame = DEFAULT_MAX_BYTES_IN_FRAME): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const w = new ProtoWriter();
  for (const s of series) {
    const n = s.timestamps.length;
    let i = 0;
    while (i < n) {
      w.reset();
      const m = w.beginLen(1);
      writeLabels(w, 1, s.labels, extra);
      const start = w.pos;
      while (i < n && w.pos - start < maxBytesInFrame) {
        const to = Math.min(n, i + MAX_SAMPLES_PER_CHUNK);
        const c = w.beginLen(2);
        w.tag(1, WireType.Varint); w.int64(s.timestamps[i]!);
        w.tag(2, WireType.Varint); w.int64(s.timestamps[to - 1]!);
        w.tag(3, WireType.Varint); w.uvarint(1);
        const data = encodeXORChunk(s.timestamps, s.values, i, to);
        w.tag(4, WireType.Len); w.uvarint(data.length);
        w.ensure(data.length);
        w.buf.set(data, w.pos);
        w.pos += data.length;
        w.endLen(c);
        i = to;
      }
      w.endLen(m);
      if (queryIndex !== 0) { w.tag(2, WireType.Varint); w.uvarint(queryIndex); }
      frames.push(frame(w.bytes().slice()));
    }
  }
  return frames;
}

/** One decoded frame of a streamed response. */
export interface ChunkedFrame {
  queryIndex: number;
  series: Array<{ labels: Labels; chunks: Array<{ minTimeMs: number; maxTimeMs: number; type: number; data: Uint8Array }> }>;
}

/**
 * Splits a streamed remote-read body into frames, checking each CRC-32C, and decodes them. Throws
 * ProtoError on a bad frame or checksum.
 */
export function decodeChunkedFrames(body: Uint8Array): ChunkedFrame[] {
  const out: ChunkedFrame[] = [];
  let p = 0;
  while (p < body.length) {
    let len = 0, shift = 0, c = 0;
    do {
      if (p >= body.length) throw new ProtoError("truncated frame length");
      c = body[p++]!;
      len += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c >= 0x80);
    if (p + 4 + len > body.length) throw new ProtoError("truncated frame");
    const crc = new DataView(body.buffer, body.byteOffset + p, 4).getUint32(0, false);
    const msg = body.subarray(p + 4, p + 4 + len);
    if (crc32c(msg) !== crc) throw new ProtoError("frame checksum mismatch");
    p += 4 + len;
    const f: ChunkedFrame = { queryIndex: 0, series: [] };
    const r = new ProtoReader(msg);
    while (r.more()) {
      const tag = r.uint32();
      if (tag === 10) {
        const end = r.lenEnd();
        const pairs: Array<[string, string]> = [];
        const chunks: ChunkedFrame["series"][number]["chunks"] = [];
        while (r.pos < end) {
          const t = r.uint32();
          const e = r.lenEnd();
          const outer = r.end;
          r.end = e;
          if (t === 10) {
            let name = "", value = "";
            while (r.more()) { const u = r.uint32(); if (u === 10) name = r.string(); else if (u === 18) value = r.string(); else r.skip(u & 7); }
            pairs.push([name, value]);
          } else if (t === 18) {
            const ch = { minTimeMs: 0, maxTimeMs: 0, type: 0, data: new Uint8Array(0) };
            while (r.more()) {
              const u = r.uint32();
              if (u === 8) ch.minTimeMs = r.int64();
              else if (u === 16) ch.maxTimeMs = r.int64();
              else if (u === 24) ch.type = r.uint32();
              else if (u === 34) { const de = r.lenEnd(); ch.data = r.buf.slice(r.pos, de); r.pos = de; }
              else r.skip(u & 7);
            }
            chunks.push(ch);
          }
          r.pos = e;
          r.end = outer;
        }
        f.series.push({ labels: labelsFromPairs(pairs).labels, chunks });
      } else if (tag === 16) f.queryIndex = r.int64();
      else r.skip(tag & 7);
    }
    out.push(f);
  }
  return out;
}
