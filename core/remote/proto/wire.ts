/**
 * @module core/remote/proto/wire
 * Protocol Buffers wire-format primitives for the remote-write / remote-read codecs: a bounded reader
 * and a growable writer. Hand-written instead of protobufjs because this is the hot path of both the
 * receiver (/api/v1/write) and the sender: protobufjs materialises a `Long` object for every int64
 * timestamp and an object per sample; here int64 varints decode straight to JS numbers (exact for
 * |t| < 2^53 ms, i.e. ±285,000 years) and messages are walked in place.
 *
 * Invariants:
 * - the reader never reads past `end`; any truncated field throws {@link ProtoError} (bad_data);
 * - doubles are read and written as raw 64-bit patterns where it matters (the staleness NaN must
 *   survive bit for bit; JavaScriptCore canonicalises NaN payloads once they become JS numbers);
 * - the writer's output view aliases its internal buffer until the next `reset()`.
 */
import { BadDataError } from "../../util/errors.ts";

/** Wire types. */
export const WireType = { Varint: 0, Fixed64: 1, Len: 2, Fixed32: 5 } as const;

/** Malformed protobuf input. */
export class ProtoError extends BadDataError {
  constructor(message: string) {
    super(`proto: ${message}`);
  }
}

const TWO_32 = 4294967296;
const textDecoder = new TextDecoder("utf-8", { fatal: false });
const textEncoder = new TextEncoder();

/** Reads protobuf fields from a byte range. */
export class ProtoReader {
  pos: number;
  end: number;
  readonly buf: Uint8Array;
  readonly view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Whether bytes remain before `end`. */
  more(): boolean {
    return this.pos < this.end;
  }

  /** Reads a varint that fits in 32 bits unsigned (tags, lengths, enums). Larger values throw. */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    let c = b[p++]!;
    let v = c & 0x7f;
    if (c >= 0x80) {
      c = b[p++]!; v |= (c & 0x7f) << 7;
      if (c >= 0x80) {
        c = b[p++]!; v |= (c & 0x7f) << 14;
        if (c >= 0x80) {
          c = b[p++]!; v |= (c & 0x7f) << 21;
          if (c >= 0x80) {
            c = b[p++]!; v = (v >>> 0) + (c & 0x7f) * 2 ** 28;
            if (c >= 0x80) {
              // A negative int32 enum is sign-extended to 10 bytes; accept and truncate as Go does.
              for (let i = 0; i < 5 && c >= 0x80; i++) c = b[p++]!;
              if (c >= 0x80) throw new ProtoError("varint overflow");
              v = v % TWO_32;
            }
          }
        }
      }
    }
    if (p > this.end) throw new ProtoError("unexpected end of input in varint");
    this.pos = p;
    return v >>> 0;
  }

  /** Reads an int64 varint as a JS number (two's complement; exact for |v| < 2^53). */
  int64(): number {
    const b = this.buf;
    let p = this.pos;
    let c = b[p++]!;
    let lo = c & 0x7f;
    let hi = 0;
    if (c >= 0x80) {
      c = b[p++]!; lo |= (c & 0x7f) << 7;
      if (c >= 0x80) {
        c = b[p++]!; lo |= (c & 0x7f) << 14;
        if (c >= 0x80) {
          c = b[p++]!; lo |= (c & 0x7f) << 21;
          if (c >= 0x80) {
            c = b[p++]!; lo |= (c & 0x0f) << 28; hi = (c & 0x7f) >> 4;
            if (c >= 0x80) {
              c = b[p++]!; hi |= (c & 0x7f) << 3;
              if (c >= 0x80) {
                c = b[p++]!; hi |= (c & 0x7f) << 10;
                if (c >= 0x80) {
                  c = b[p++]!; hi |= (c & 0x7f) << 17;
                  if (c >= 0x80) {
                    c = b[p++]!; hi |= (c & 0x7f) << 24;
                    if (c >= 0x80) {
                      c = b[p++]!; hi |= (c & 0x01) << 31;
                      if (c >= 0x80) throw new ProtoError("varint overflow");
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    if (p > this.end) throw new ProtoError("unexpected end of input in varint");
    this.pos = p;
    return (hi | 0) * TWO_32 + (lo >>> 0);
  }

  /** Reads a uint64 varint as a JS number (exact below 2^53). */
  uint64(): number {
    const v = this.int64();
    return v < 0 ? v + 2 ** 64 : v;
  }

  /** Reads a zig-zag sint32/sint64 varint. */
  sint64(): number {
    const start = this.pos;
    const u = this.uint64();
    // Zig-zag: even → v/2, odd → −(v+1)/2. Exact while |v| < 2^53.
    if (u >= 2 ** 53) {
      this.pos = start;
      throw new ProtoError("sint64 out of the exactly representable range");
    }
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes. */
  lenEnd(): number {
    const n = this.uint32();
    const e = this.pos + n;
    if (e > this.end) throw new ProtoError(`length ${n} runs past the end of the message`);
    return e;
  }

  /**
   * Reads a length-delimited sub-message with `fn`, confining it to the message's bytes; afterwards the
   * reader continues right after the sub-message whatever `fn` consumed.
   */
  message<T>(fn: (r: ProtoReader) => T): T {
    const end = this.lenEnd();
    const outer = this.end;
    this.end = end;
    try {
      return fn(this);
    } finally {
      this.pos = end;
      this.end = outer;
    }
  }

  /** Reads a fixed64 little-endian unsigned integer as a bigint (e.g. OTLP nanosecond timestamps). */
  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new ProtoError("unexpected end of input in fixed64");
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a fixed64 little-endian double. NaN payloads may be canonicalised: use {@link fixed64Bits} for those. */
  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoError("unexpected end of input in fixed64");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length-delimited UTF-8 string. */
  string(): string {
    const e = this.lenEnd();
    const s = decodeUtf8(this.buf, this.pos, e);
    this.pos = e;
    return s;
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint: this.int64(); return;
      case WireType.Fixed64: this.pos += 8; break;
      case WireType.Len: this.pos = this.lenEnd(); return;
      case WireType.Fixed32: this.pos += 4; break;
      default: throw new ProtoError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new ProtoError("unexpected end of input");
  }
}

/** Decodes UTF-8 bytes [start, end) of `b` (short ASCII strings without TextDecoder). */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return "";
  if (n <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) if (b[i]! >= 0x80) { ascii = false; break; }
    if (ascii) {
      let s = "";
      for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
      return s;
    }
  }
  return textDecoder.decode(b.subarray(start, end));
}

/** Number of bytes of a non-negative varint below 2^53. */
export function varintSize(v: number): number {
  if (v < 0) return 10;
  let n = 1;
  while (v >= 128) { v = Math.floor(v / 128); n++; }
  return n;
}

/** A growable protobuf writer. */
export class ProtoWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial = 64 * 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Forgets everything written; the buffer is reused. */
  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }

  /** Writes a varint (non-negative, below 2^53). */
  uvarint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (v > 0x7fffffff) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Writes an int64 varint (negative values take 10 bytes, two's complement). */
  int64(v: number): void {
    if (v >= 0) return this.uvarint(v);
    this.ensure(10);
    let x = BigInt.asUintN(64, BigInt(v));
    const b = this.buf;
    let p = this.pos;
    while (x >= 0x80n) {
      b[p++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    b[p++] = Number(x);
    this.pos = p;
  }

  /** Writes a zig-zag sint64. */
  sint64(v: number): void {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** Writes a field tag. */
  tag(field: number, wireType: number): void {
    this.uvarint(field * 8 + wireType);
  }

  /** Writes 8 raw bytes from a Float64Array element (keeps NaN payloads). */
  fixed64From(src: Uint8Array, srcOffset: number): void {
    this.ensure(8);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < 8; i++) b[p + i] = src[srcOffset + i]!;
    this.pos = p + 8;
  }

  /** Writes a double. */
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Writes a string field (tag + length + UTF-8). */
  stringField(field: number, s: string): void {
    this.tag(field, WireType.Len);
    if (s.length < 43) {
      // At most 3 UTF-8 bytes per UTF-16 unit, so the length fits one varint byte.
      this.ensure(1 + s.length * 3);
      const at = this.pos++;
      const { written } = textEncoder.encodeInto(s, this.buf.subarray(this.pos));
      this.buf[at] = written;
      this.pos += written;
      return;
    }
    const bytes = textEncoder.encode(s);
    this.uvarint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Starts a length-delimited submessage for `field`; returns a mark for {@link endLen}. */
  beginLen(field: number): number {
    this.tag(field, WireType.Len);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends a submessage begun at `mark`: writes its length, moving the body when it needs more than one byte. */
  endLen(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 128) {
      this.buf[mark] = len;
      return;
    }
    const k = varintSize(len);
    this.ensure(k - 1);
    this.buf.copyWithin(mark + k, mark + 1, this.pos);
    let p = mark;
    let v = len;
    while (v >= 0x80) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.pos += k - 1;
  }

  /** The bytes written so far (a view; valid until the next write or reset). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
