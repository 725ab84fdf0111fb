/**
 * @module core/remote/proto/xor-chunk
 * Prometheus's XOR chunk encoding (tsdb/chunkenc, `Chunk.Encoding = XOR`), the payload of streamed
 * remote-read responses. Layout: a 2-byte big-endian sample count, then the first sample as a zig-zag
 * varint timestamp and 64 raw value bits, the second timestamp as a uvarint delta, later timestamps
 * as delta-of-deltas in buckets (`0` | `10`+14 bits | `110`+17 | `1110`+20 | `1111`+64), and every
 * value after the first XORed with its predecessor (`0` same | `10` + bits in the previous window |
 * `11` + 5 bits leading zeros + 6 bits length (64 as 0) + bits). This differs from Quiver's own head
 * chunk format (core/tsdb/chunkenc), which has no count header and a fixed-width first timestamp.
 * Values are handled as raw 64-bit patterns, so staleness markers survive.
 */

/** Most samples Prometheus puts in one chunk. */
export const MAX_SAMPLES_PER_CHUNK = 120;

/**
 * A bit stream that also reproduces Prometheus's bstream byte length: its writeBits writes whole bytes
 * first, and a whole-byte write at a byte boundary leaves an empty byte appended to the stream, which
 * stays in the chunk when nothing follows. `trailing` tracks that state.
 */
class BitWriter {
  buf = new Uint8Array(256);
  bits = 0; // bits written
  trailing = false;

  #ensure(n: number): void {
    const need = (this.bits + n + 7) >> 3;
    if (need <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(need, this.buf.length * 2));
    nb.set(this.buf);
    this.buf = nb;
  }

  /** Writes the low `n` (≤ 32) bits of `v`, most significant first. */
  write(v: number, n: number): void {
    this.#ensure(n + 8);
    this.trailing = this.bits % 8 === 0 && n >= 8 && n % 8 === 0;
    for (let i = n - 1; i >= 0; i--) {
      if ((v >>> i) & 1) this.buf[this.bits >> 3]! |= 0x80 >> (this.bits & 7);
      this.bits++;
    }
  }

  /** Writes `n` (≤ 64) bits of a bigint. */
  writeBig(v: bigint, n: number): void {
    const aligned = this.bits % 8 === 0;
    if (n > 32) {
      this.write(Number((v >> 32n) & 0xffffffffn), n - 32);
      this.write(Number(v & 0xffffffffn), 32);
    } else this.write(Number(v & 0xffffffffn), n);
    this.trailing = aligned && n >= 8 && n % 8 === 0;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, ((this.bits + 7) >> 3) + (this.trailing ? 1 : 0));
  }
}

function leadingZeros64(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  for (let b = 63n; b >= 0n && ((x >> b) & 1n) === 0n; b--) n++;
  return n;
}

function trailingZeros64(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  while (((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

function writeVarintBytes(out: number[], v: bigint): void {
  let x = BigInt.asUintN(64, v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

function bitRange(x: number, nbits: number): boolean {
  return -((2 ** (nbits - 1)) - 1) <= x && x <= 2 ** (nbits - 1);
}

/**
 * Encodes samples [from, to) (at most {@link MAX_SAMPLES_PER_CHUNK}) as one XOR chunk. `values` bits
 * are read through a view. Returns a fresh buffer.
 */
export function encodeXORChunk(times: ArrayLike<number>, values: Float64Array, from: number, to: number): Uint8Array {
  const n = to - from;
  if (n <= 0) return new Uint8Array([0, 0]);
  const bits = new BigUint64Array(values.buffer, values.byteOffset, values.length);
  const w = new BitWriter();
  w.write(n, 16);
  // First sample: varint t (zig-zag), 64 value bits, byte aligned as in Prometheus (both are whole bytes).
  const head: number[] = [];
  const t0 = times[from]!;
  writeVarintBytes(head, BigInt(t0) >= 0n ? BigInt(t0) * 2n : -BigInt(t0) * 2n - 1n);
  for (const b of head) w.write(b, 8);
  let prevV = bits[from]!;
  w.writeBig(prevV, 64);
  let prevT = t0, prevDelta = 0;
  let leading = 0xff, trailing = 0;
  for (let i = from + 1; i < to; i++) {
    const t = times[i]!;
    if (i === from + 1) {
      const d: number[] = [];
      writeVarintBytes(d, BigInt(t - prevT));
      for (const b of d) w.write(b, 8);
      prevDelta = t - prevT;
    } else {
      const delta = t - prevT;
      const dod = delta - prevDelta;
      if (dod === 0) w.write(0, 1);
      else if (bitRange(dod, 14)) { w.write(0b10, 2); w.writeBig(BigInt.asUintN(14, BigInt(dod)), 14); }
      else if (bitRange(dod, 17)) { w.write(0b110, 3); w.writeBig(BigInt.asUintN(17, BigInt(dod)), 17); }
      else if (bitRange(dod, 20)) { w.write(0b1110, 4); w.writeBig(BigInt.asUintN(20, BigInt(dod)), 20); }
      else { w.write(0b1111, 4); w.writeBig(BigInt.asUintN(64, BigInt(dod)), 64); }
      prevDelta = delta;
    }
    prevT = t;
    const v = bits[i]!;
    const x = v ^ prevV;
    prevV = v;
    if (x === 0n) {
      w.write(0, 1);
      continue;
    }
    w.write(1, 1);
    let lz = leadingZeros64(x);
    const tz = trailingZeros64(x);
    if (lz >= 32) lz = 31;
    if (leading !== 0xff && lz >= leading && tz >= trailing) {
      w.write(0, 1);
      w.writeBig(x >> BigInt(trailing), 64 - leading - trailing);
    } else {
      leading = lz;
      trailing = tz;
      w.write(1, 1);
      w.write(lz, 5);
      const sig = 64 - lz - tz;
      w.write(sig === 64 ? 0 : sig, 6);
      w.writeBig(x >> BigInt(tz), sig);
    }
  }
  return w.bytes();
}

class BitReader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  bit(): number {
    const i = this.pos >> 3;
    if (i >= this.b.length) throw new RangeError("XOR chunk: unexpected end of data");
    const v = (this.b[i]! >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return v;
  }
  read(n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 1n) | BigInt(this.bit());
    return v;
  }
  varint(signed: boolean): number {
    let x = 0n, shift = 0n;
    for (;;) {
      const c = Number(this.read(8));
      x |= BigInt(c & 0x7f) << shift;
      if (c < 0x80) break;
      shift += 7n;
    }
    if (!signed) return Number(x);
    return Number((x & 1n) ? -((x + 1n) >> 1n) : x >> 1n);
  }
}

/** Decodes an XOR chunk into times (ms) and values (bit-exact). */
export function decodeXORChunk(data: Uint8Array): { times: number[]; values: Float64Array } {
  const n = (data[0]! << 8) | data[1]!;
  const times: number[] = [];
  const vbits = new BigUint64Array(n);
  const r = new BitReader(data.subarray(2));
  let t = 0, delta = 0, v = 0n, leading = 0, trailing = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      t = r.varint(true);
      v = r.read(64);
    } else {
      if (i === 1) delta = r.varint(false);
      else {
        let sz = 0;
        for (let k = 0; k < 4 && r.bit() === 1; k++) sz++;
        let dod = 0n;
        const width = [0, 14, 17, 20, 64][sz]!;
        if (width === 64) dod = BigInt.asIntN(64, r.read(64));
        else if (width) {
          // As Prometheus reads them: values above 2^(w-1) are negative (2^(w-1) itself is positive).
          dod = r.read(width);
          if (dod > 1n << BigInt(width - 1)) dod -= 1n << BigInt(width);
        }
        delta += Number(dod);
      }
      t += delta;
      if (r.bit() === 1) {
        if (r.bit() === 1) {
          leading = Number(r.read(5));
          let sig = Number(r.read(6));
          if (sig === 0) sig = 64;
          trailing = 64 - leading - sig;
        }
        v ^= r.read(64 - leading - trailing) << BigInt(trailing);
      }
    }
    times.push(t);
    vbits[i] = v;
  }
  return { times, values: new Float64Array(vbits.buffer) };
}
