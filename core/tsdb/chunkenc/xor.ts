/**
 * @module core/tsdb/chunkenc/xor
 * The head's streaming chunk encoding (Gorilla): delta-of-delta timestamps and XOR'd float bits, appended
 * one sample at a time with no per-sample allocation. Head chunks hold up to {@link HEAD_CHUNK_SAMPLES}
 * samples; persisted blocks re-encode columns with the denser schemes in ./columns.ts.
 *
 * Bit layout (MSB first): t0 as 64-bit two's complement, v0 as 64 raw bits; then per sample a timestamp
 * delta-of-delta `0` | `10`+14 bits | `110`+17 | `1110`+20 | `1111`+64 (two's complement), and a value
 * `0` (same bits) | `10`+bits in the previous leading/trailing window | `11`+5 bits leading zeros +
 * 6 bits significant-bit count (64 stored as 0) + the significant bits. The sample count lives outside
 * the stream (in the chunk's metadata). Values are handled as raw bits: NaN payloads survive.
 */
import { BitReader, BitWriter, clz64, ctz64 } from "./bits.ts";

/** Samples per head chunk before it is cut (as Prometheus). */
export const HEAD_CHUNK_SAMPLES = 120;

const TWO32 = 4294967296;

/** Streaming encoder state of one open head chunk. */
export class XorAppender {
  readonly w: BitWriter;
  /** Samples written. */
  n = 0;
  /** First and last timestamp (ms). */
  minT = 0;
  maxT = 0;
  #delta = 0;
  #hi = 0;
  #lo = 0;
  #lead = -1;
  #trail = 0;

  constructor(initialBytes = 16) {
    this.w = new BitWriter(initialBytes);
  }

  /** Appends a sample; `t` must be greater than the previous one. */
  append(t: number, hi: number, lo: number): void {
    const w = this.w;
    if (this.n === 0) {
      w.write(Math.floor(t / TWO32) >>> 0, 32);
      w.write(t >>> 0, 32);
      w.write(hi, 32);
      w.write(lo, 32);
      this.minT = t;
      this.maxT = t;
      this.#hi = hi;
      this.#lo = lo;
      this.n = 1;
      return;
    }
    const delta = t - this.maxT;
    const dod = delta - this.#delta;
    if (dod === 0) w.bit(0);
    else if (dod >= -8192 && dod < 8192) { w.write(0b10, 2); w.write(dod & 0x3fff, 14); }
    else if (dod >= -65536 && dod < 65536) { w.write(0b110, 3); w.write(dod & 0x1ffff, 17); }
    else if (dod >= -524288 && dod < 524288) { w.write(0b1110, 4); w.write(dod & 0xfffff, 20); }
    else { w.write(0b1111, 4); w.write(Math.floor(dod / TWO32) >>> 0, 32); w.write(dod >>> 0, 32); }
    this.#delta = delta;
    this.maxT = t;

    const xh = (hi ^ this.#hi) >>> 0, xl = (lo ^ this.#lo) >>> 0;
    this.#hi = hi;
    this.#lo = lo;
    if (xh === 0 && xl === 0) w.bit(0);
    else {
      let lead = clz64(xh, xl);
      const trail = ctz64(xh, xl);
      if (lead > 31) lead = 31;
      if (this.#lead >= 0 && lead >= this.#lead && trail >= this.#trail) {
        w.write(0b10, 2);
        writeShifted(w, xh, xl, this.#trail, 64 - this.#lead - this.#trail);
      } else {
        const sig = 64 - lead - trail;
        w.write(0b11, 2);
        w.write(lead, 5);
        w.write(sig & 63, 6);
        writeShifted(w, xh, xl, trail, sig);
        this.#lead = lead;
        this.#trail = trail;
      }
    }
    this.n++;
  }

  /** Bytes of the encoded stream so far. */
  get byteLength(): number {
    return this.w.byteLength;
  }
}

function writeShifted(w: BitWriter, hi: number, lo: number, s: number, n: number): void {
  let h: number, l: number;
  if (s === 0) { h = hi; l = lo; }
  else if (s < 32) { l = ((lo >>> s) | (hi << (32 - s))) >>> 0; h = hi >>> s; }
  else { l = hi >>> (s - 32); h = 0; }
  w.write64(h, l, n);
}

/**
 * Decodes `n` samples of an XOR chunk into `outT[off…]` (ms) and the value words `outV32[2*(off…)]`
 * (little-endian Uint32 view of a Float64Array: low word first). The caller owns the outputs and must
 * size them for `off + n` samples.
 */
export function decodeXor(data: Uint8Array, n: number, outT: Float64Array, outV32: Uint32Array, off: number): void {
  if (n === 0) return;
  const r = new BitReader(data);
  let t = (r.read(32) | 0) * TWO32 + r.read(32);
  let hi = r.read(32), lo = r.read(32);
  outT[off] = t;
  outV32[2 * off] = lo;
  outV32[2 * off + 1] = hi;
  let delta = 0, lead = 0, sig = 0, trail = 0;
  for (let i = 1; i < n; i++) {
    let dod = 0;
    if (r.bit() === 1) {
      if (r.bit() === 0) dod = signExtend(r.read(14), 14);
      else if (r.bit() === 0) dod = signExtend(r.read(17), 17);
      else if (r.bit() === 0) dod = signExtend(r.read(20), 20);
      else dod = (r.read(32) | 0) * TWO32 + r.read(32);
    }
    delta += dod;
    t += delta;
    if (r.bit() === 1) {
      if (r.bit() === 1) {
        lead = r.read(5);
        sig = r.read(6);
        if (sig === 0) sig = 64;
        trail = 64 - lead - sig;
      }
      let xh = 0, xl: number;
      if (sig > 32) { xh = r.read(sig - 32); xl = r.read(32); }
      else xl = r.read(sig);
      // shift left by trail
      if (trail !== 0) {
        if (trail < 32) { xh = ((xh << trail) | (xl >>> (32 - trail))) >>> 0; xl = (xl << trail) >>> 0; }
        else { xh = (xl << (trail - 32)) >>> 0; xl = 0; }
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    const j = off + i;
    outT[j] = t;
    outV32[2 * j] = lo;
    outV32[2 * j + 1] = hi;
  }
}

function signExtend(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}
