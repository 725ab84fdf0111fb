/**
 * @module core/remote/snappy
 * Snappy block format (not the framed format) for remote write and remote read bodies. Compression
 * goes through snappyjs (byte-exact with the C library); decompression is our own loop (the receiver's
 * hot path: long copies and literals move with `copyWithin`/`set` instead of byte by byte). It is
 * bounded: the uncompressed length in the block header is checked against a limit before any
 * allocation, so a hostile body cannot make us allocate gigabytes, and every element is checked
 * against the input and output bounds (a corrupt block is an error, never a partial result).
 */
import snappy from "snappyjs";
import { BadDataError } from "../util/errors.ts";

/** Largest uncompressed body accepted (bytes); Prometheus's decodeReadLimit is 32 MiB, VictoriaMetrics 64 MiB. */
export const DEFAULT_MAX_UNCOMPRESSED = 64 << 20;

/** Compresses bytes (snappy block format). Returns a fresh buffer owned by the caller. */
export function snappyCompress(b: Uint8Array): Uint8Array {
  // snappyjs checks `instanceof Uint8Array` and rejects Node Buffers in Uint8Array mode; pass a plain view.
  const plain = b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return snappy.compress(plain);
}

/** Reads the uncompressed length from a snappy block header (a uvarint), or -1 when malformed. */
export function snappyDecodedLength(b: Uint8Array): number {
  let n = 0, shift = 0;
  for (let i = 0; i < 5 && i < b.length; i++) {
    const c = b[i]!;
    n += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) return n;
    shift += 7;
  }
  return -1;
}

/**
 * Decompresses a snappy block. Throws BadDataError when the body is not valid snappy or would exceed
 * `maxLength` bytes. Returns a fresh buffer owned by the caller.
 */
export function snappyUncompress(b: Uint8Array, maxLength = DEFAULT_MAX_UNCOMPRESSED): Uint8Array {
  const n = snappyDecodedLength(b);
  if (n < 0) throw new BadDataError("snappy: corrupt input");
  if (n > maxLength) throw new BadDataError(`snappy: decoded length ${n} exceeds the limit of ${maxLength} bytes`);
  const out = new Uint8Array(n);
  if (!decodeBlock(b, headerLength(b), out)) throw new BadDataError("snappy: Invalid Snappy bitstream");
  return out;
}

function headerLength(b: Uint8Array): number {
  let i = 0;
  while (b[i]! >= 0x80) i++;
  return i + 1;
}

/** Copies shorter than this go byte by byte (cheaper than a native call). */
const SHORT_COPY = 16;

/** Decodes the elements of a block from `pos` into `out`; false when corrupt or not filling `out` exactly. */
function decodeBlock(src: Uint8Array, pos: number, out: Uint8Array): boolean {
  const srcLen = src.length, outLen = out.length;
  let o = 0;
  while (pos < srcLen) {
    const c = src[pos++]!;
    const kind = c & 3;
    let len: number;
    if (kind === 0) {
      // Literal: length-1 in the tag's upper 6 bits, or in the next 1-4 bytes (tags 60-63).
      len = (c >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > srcLen) return false;
        len = 0;
        for (let k = extra - 1; k >= 0; k--) len = len * 256 + src[pos + k]!;
        len += 1;
        pos += extra;
      }
      if (pos + len > srcLen || o + len > outLen) return false;
      if (len < SHORT_COPY) for (let k = 0; k < len; k++) out[o + k] = src[pos + k]!;
      else out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let offset: number;
    if (kind === 1) {
      if (pos >= srcLen) return false;
      len = ((c >>> 2) & 7) + 4;
      offset = src[pos]! + ((c >>> 5) << 8);
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > srcLen) return false;
      len = (c >>> 2) + 1;
      offset = src[pos]! + (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > srcLen) return false;
      len = (c >>> 2) + 1;
      offset = src[pos]! + (src[pos + 1]! << 8) + (src[pos + 2]! << 16) + src[pos + 3]! * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > outLen) return false;
    if (len >= SHORT_COPY && offset >= len) out.copyWithin(o, o - offset, o - offset + len);
    else for (let k = 0; k < len; k++) out[o + k] = out[o - offset + k]!;
    o += len;
  }
  return o === outLen;
}