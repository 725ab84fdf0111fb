/**
 * @module core/tsdb/record/bytes
 * Little-endian byte writer/reader with unsigned varints and UTF-8 strings, used by the record codecs
 * and the block files. The writer owns its growing buffer; {@link ByteWriter.bytes} returns a view that
 * stays valid until the next write.
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A growable little-endian byte buffer. */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  len = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.len, v, true);
    this.len += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  /** An integral number (|v| < 2^53) as 8 bytes (float64; exact for integers). */
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
  }

  /** Unsigned varint (LEB128) of a non-negative integer < 2^53. */
  uvarint(v: number): void {
    this.reserve(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  /** Zig-zag signed varint of an integer with |v| < 2^52. */
  varint(v: number): void {
    this.uvarint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  /** Length-prefixed UTF-8 string. */
  str(s: string): void {
    this.reserve(s.length * 3 + 5);
    const start = this.len;
    this.len += 1;
    // Reserve 1 byte of length for short strings; move when longer.
    const r = enc.encodeInto(s, this.buf.subarray(this.len));
    const n = r.written;
    if (n < 128) {
      this.buf[start] = n;
      this.len += n;
      return;
    }
    const tmp = this.buf.slice(this.len, this.len + n);
    this.len = start;
    this.uvarint(n);
    this.raw(tmp);
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A view of the written bytes (invalidated by the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }
}

/** A little-endian reader over bytes it does not own. Reads past the end throw RangeError. */
export class ByteReader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    if (this.pos >= this.buf.length) throw new RangeError("read past end");
    return this.buf[this.pos++]!;
  }

  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    let v = 0, mul = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
      if (mul > 2 ** 56) throw new RangeError("varint overflow");
    }
  }

  varint(): number {
    const u = this.uvarint();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  }

  str(): string {
    const n = this.uvarint();
    const buf = this.buf, p = this.pos;
    if (p + n > buf.length) throw new RangeError("string past end");
    this.pos = p + n;
    if (n <= 32) {
      // ASCII fast path: short label names and values rarely need the UTF-8 decoder.
      let ascii = true;
      for (let i = p; i < p + n; i++) if (buf[i]! >= 0x80) { ascii = false; break; }
      if (ascii) return String.fromCharCode.apply(null, buf.subarray(p, p + n) as unknown as number[]);
    }
    return dec.decode(buf.subarray(p, p + n));
  }

  /**
   * Like {@link str}, but returns the cached string for byte sequences seen before (no decoding and no
   * allocation on a hit): label names and values repeat across series.
   */
  strCached(cache: StringCache): string {
    const n = this.uvarint();
    const buf = this.buf, p = this.pos;
    if (p + n > buf.length) throw new RangeError("string past end");
    this.pos = p + n;
    let h = 0x811c9dc5 ^ n;
    for (let i = p; i < p + n; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    const bucket = cache.m.get(h);
    if (bucket) {
      outer: for (const e of bucket) {
        const b = e.b;
        if (b.length !== n) continue;
        for (let i = 0; i < n; i++) if (b[i] !== buf[p + i]) continue outer;
        return e.s;
      }
    }
    const str = dec.decode(buf.subarray(p, p + n));
    const e = { b: buf.slice(p, p + n), s: str };
    if (bucket) bucket.push(e);
    else cache.m.set(h, [e]);
    return str;
  }

  raw(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RangeError("read past end");
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

/** A byte-sequence → string cache for {@link ByteReader.strCached} (one per replay). */
export class StringCache {
  readonly m = new Map<number, Array<{ b: Uint8Array; s: string }>>();
}
