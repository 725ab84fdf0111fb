/**
 * @module core/remote/snappy
 * Snappy block format (not the framed format) for remote write and remote read bodies, through
 * snappyjs (byte-exact with the C library). Decompression is bounded: the uncompressed length in the
 * block header is checked against a limit before any allocation, so a hostile body cannot make us
 * allocate gigabytes.
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
  const plain = b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  try {
    return snappy.uncompress(plain, maxLength);
  } catch (e) {
    throw new BadDataError(`snappy: ${(e as Error).message}`);
  }
}
