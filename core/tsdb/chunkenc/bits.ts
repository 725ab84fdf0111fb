/**
 * @module core/tsdb/chunkenc/bits
 * Bit-level streams and float bit access used by the chunk encodings.
 *
 * Invariants: values move through storage as their raw IEEE-754 bit pattern (a high and a low 32-bit
 * word), never through JS arithmetic, so NaN payloads such as Prometheus's staleness marker survive
 * bit for bit. (JavaScriptCore canonicalises NaNs as soon as a NaN becomes a JS number; typed-array
 * copies keep the bits.) Bit streams are big-endian within each byte, most significant bit first.
 */

/**
 * Whether two sample values are the same for duplicate detection: identical bit patterns (so +0 and
 * −0 differ, and a staleness marker differs from a plain NaN).
 */
export function sameBits(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi === bhi && alo === blo;
}

/** Count of leading zero bits in a 64-bit word pair. */
export function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** Count of trailing zero bits in a non-zero 64-bit word pair. */
export function ctz64(hi: number, lo: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  return 32 + 31 - Math.clz32(hi & -hi);
}

/**
 * A growable big-endian bit writer. The buffer is owned by the writer until {@link BitWriter.finish}
 * hands out a trimmed copy.
 */
export class BitWriter {
  buf: Uint8Array;
  /** Number of bits written. */
  pos = 0;

  constructor(initialBytes = 32) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Writes the low `n` bits (n ≤ 32) of `v`, most significant first. */
  write(v: number, n: number): void {
    const need = (this.pos + n + 7) >>> 3;
    if (need > this.buf.length) this.#grow(need);
    const buf = this.buf;
    let pos = this.pos;
    while (n > 0) {
      const free = 8 - (pos & 7);
      const take = n < free ? n : free;
      const bits = n - take >= 32 ? 0 : (v >>> (n - take)) & ((1 << take) - 1);
      buf[pos >>> 3]! |= bits << (free - take);
      pos += take;
      n -= take;
    }
    this.pos = pos;
  }

  /** Writes one bit. */
  bit(b: number): void {
    const i = this.pos >>> 3;
    if (i >= this.buf.length) this.#grow(i + 1);
    if (b) this.buf[i]! |= 0x80 >>> (this.pos & 7);
    this.pos++;
  }

  /** Writes `n` (≤ 64) low bits of the 64-bit value (hi, lo). */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else this.write(lo, n);
  }

  #grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf);
    this.buf = nb;
  }

  /** A trimmed copy of the written bytes (the writer keeps its buffer). */
  finish(): Uint8Array {
    return this.buf.slice(0, (this.pos + 7) >>> 3);
  }

  /** Bytes in use. */
  get byteLength(): number {
    return (this.pos + 7) >>> 3;
  }
}

/** A big-endian bit reader over a byte array it does not own (never writes to it). */
export class BitReader {
  pos: number;
  constructor(readonly buf: Uint8Array, startBit = 0) {
    this.pos = startBit;
  }

  /** Reads `n` ≤ 32 bits as an unsigned number. Reads past the end yield zero bits. */
  read(n: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let v = 0;
    while (n > 0) {
      const avail = 8 - (pos & 7);
      const take = n < avail ? n : avail;
      const byte = buf[pos >>> 3] ?? 0;
      v = (v << take) | ((byte >>> (avail - take)) & ((1 << take) - 1));
      pos += take;
      n -= take;
    }
    this.pos = pos;
    return v >>> 0;
  }

  /** Reads one bit. */
  bit(): number {
    const b = ((this.buf[this.pos >>> 3] ?? 0) >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }
}
