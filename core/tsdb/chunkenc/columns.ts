/**
 * @module core/tsdb/chunkenc/columns
 * Block column encodings: one timestamp column and one value column per chunk, each starting with a
 * tag byte (fixed forever, see FORMAT.md). The writer tries the encodings that fit and keeps the
 * smallest; all are lossless, values bit for bit.
 *
 * Timestamps: 1 = regular grid (n, t0, step); 2 = delta-of-delta zig-zag varints.
 * Values: 0 = raw 64-bit words; 1 = constant; 2 = decimal (every value is m·10^-k for one k: the
 * integers m are stored as zig-zag varints — plain, deltas or delta-of-deltas, whichever is smallest —
 * with an exception list of raw values such as staleness NaNs); 3 = XOR (Gorilla bits). Varint streams are left for the block file's
 * zstd pass to entropy-code.
 */
import { BitReader, BitWriter, clz64, ctz64 } from "./bits.ts";
import { ByteReader, ByteWriter } from "../record/bytes.ts";

/** Timestamp column tags. */
export const TsEnc = { Regular: 1, DoD: 2 } as const;
/** Value column tags. */
export const ValEnc = { Raw: 0, Const: 1, Decimal: 2, XOR: 3 } as const;

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(10 ** i);
const MAX_SAFE = 2 ** 53;
/** Largest |m| the decimal encoding stores: its zig-zag form (2|m|) must stay an exact integer. */
const MAX_MANTISSA = 2 ** 51;

/** Appends the encoded timestamps (ms, strictly increasing) `t[0..n)` to `w`. */
export function encodeTimestamps(w: ByteWriter, t: Float64Array, n: number): void {
  const step = n > 1 ? t[1]! - t[0]! : 0;
  let regular = true;
  for (let i = 2; i < n && regular; i++) if (t[i]! - t[i - 1]! !== step) regular = false;
  if (regular) {
    w.u8(TsEnc.Regular);
    w.uvarint(n);
    w.varint(n ? t[0]! : 0);
    w.varint(step);
    return;
  }
  w.u8(TsEnc.DoD);
  w.uvarint(n);
  w.varint(t[0]!);
  let prevD = 0;
  for (let i = 1; i < n; i++) {
    const d = t[i]! - t[i - 1]!;
    w.varint(d - prevD);
    prevD = d;
  }
}

/** Decodes a timestamp column into `out[off…]` (caller-sized); returns the sample count. */
export function decodeTimestamps(r: ByteReader, out: Float64Array | null, off = 0): number {
  const tag = r.u8();
  const n = r.uvarint();
  if (!out) return n;
  if (tag === TsEnc.Regular) {
    const t0 = r.varint(), step = r.varint();
    for (let i = 0; i < n; i++) out[off + i] = t0 + i * step;
    return n;
  }
  if (tag !== TsEnc.DoD) throw new RangeError(`unknown timestamp encoding ${tag}`);
  let t = r.varint(), d = 0;
  if (n > 0) out[off] = t;
  for (let i = 1; i < n; i++) {
    d += r.varint();
    t += d;
    out[off + i] = t;
  }
  return n;
}

/** Scratch arrays reused across chunks by one writer. */
export class EncodeScratch {
  m = new Float64Array(1024);
  exc: number[] = [];
  ensure(n: number): void {
    if (this.m.length < n) this.m = new Float64Array(n * 2);
  }
}

/**
 * Appends the smallest encoding of values `v[0..n)` to `w`. Reads values through a Uint32Array view
 * (bits preserved). Non-allocating apart from scratch growth.
 */
export function encodeValues(w: ByteWriter, v: Float64Array, n: number, sc: EncodeScratch): void {
  const v32 = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  // Constant?
  let constant = true;
  const lo0 = v32[0]!, hi0 = v32[1]!;
  for (let i = 1; i < n && constant; i++) if (v32[2 * i] !== lo0 || v32[2 * i + 1] !== hi0) constant = false;
  if (constant) {
    w.u8(ValEnc.Const);
    w.u32(lo0);
    w.u32(hi0);
    return;
  }
  if (tryDecimal(w, v, v32, n, sc)) return;
  const start = w.len;
  w.u8(ValEnc.XOR);
  const bw = new BitWriter(n * 2 + 16);
  let phi = v32[1]!, plo = v32[0]!, plead = -1, ptrail = 0;
  bw.write(phi, 32);
  bw.write(plo, 32);
  for (let i = 1; i < n; i++) {
    const hi = v32[2 * i + 1]!, lo = v32[2 * i]!;
    const xh = (hi ^ phi) >>> 0, xl = (lo ^ plo) >>> 0;
    phi = hi;
    plo = lo;
    if (xh === 0 && xl === 0) { bw.bit(0); continue; }
    let lead = clz64(xh, xl);
    const trail = ctz64(xh, xl);
    if (lead > 31) lead = 31;
    if (plead >= 0 && lead >= plead && trail >= ptrail) {
      bw.write(0b10, 2);
      writeShifted(bw, xh, xl, ptrail, 64 - plead - ptrail);
    } else {
      const sig = 64 - lead - trail;
      bw.write(0b11, 2);
      bw.write(lead, 5);
      bw.write(sig & 63, 6);
      writeShifted(bw, xh, xl, trail, sig);
      plead = lead;
      ptrail = trail;
    }
  }
  if (bw.byteLength >= n * 8) {
    w.len = start;
    w.u8(ValEnc.Raw);
    for (let i = 0; i < 2 * n; i++) w.u32(v32[i]!);
    return;
  }
  w.raw(bw.buf.subarray(0, bw.byteLength));
}

function writeShifted(w: BitWriter, hi: number, lo: number, s: number, n: number): void {
  let h: number, l: number;
  if (s === 0) { h = hi; l = lo; }
  else if (s < 32) { l = ((lo >>> s) | (hi << (32 - s))) >>> 0; h = hi >>> s; }
  else { l = hi >>> (s - 32); h = 0; }
  w.write64(h, l, n);
}

/** Smallest k ≤ 15 with v·10^k an integer m (|m| < 2^51) and m/10^k reproducing v exactly; −1 if none. */
function decimalScale(v: number): number {
  if (Number.isInteger(v)) return Math.abs(v) < MAX_MANTISSA && !Object.is(v, -0) ? 0 : -1;
  if (!Number.isFinite(v)) return -1;
  for (let k = 1; k <= 15; k++) {
    const x = Math.round(v * POW10[k]!);
    if (Math.abs(x) >= MAX_MANTISSA) return -1;
    if (x / POW10[k]! === v) return k;
  }
  return -1;
}

function tryDecimal(w: ByteWriter, v: Float64Array, v32: Uint32Array, n: number, sc: EncodeScratch): boolean {
  sc.ensure(n);
  const exc = sc.exc;
  exc.length = 0;
  let K = 0;
  for (let i = 0; i < n; i++) {
    const k = decimalScale(v[i]!);
    if (k < 0) {
      exc.push(i);
      if (exc.length > (n >> 3) + 1) return false;
    } else if (k > K) K = k;
  }
  if (exc.length === n) return false;
  const p = POW10[K]!;
  const m = sc.m;
  let e = 0, prev = 0;
  for (let i = 0; i < n; i++) {
    if (e < exc.length && exc[e] === i) { m[i] = prev; e++; continue; }
    const val = v[i]!;
    const x = K === 0 ? val : Math.round(val * p);
    if (Math.abs(x) >= MAX_MANTISSA || (K === 0 ? x !== val : x / p !== val)) return false;
    m[i] = x;
    prev = x;
  }
  // Exceptions before the first regular value take the first regular value.
  if (exc.length && exc[0] === 0) {
    let first = 0;
    while (first < n && exc.includes(first)) first++;
    for (let i = 0; i < first; i++) m[i] = m[first]!;
  }
  // Choose plain integers, deltas or delta-of-deltas by encoded size estimate (noisy values are
  // cheapest plain; counters as deltas; steady ramps as delta-of-deltas).
  let sizeP = 0, sizeD = 0, sizeDD = 0, pd = 0;
  for (let i = 1; i < n; i++) {
    const d = m[i]! - m[i - 1]!;
    if (Math.abs(d) >= MAX_MANTISSA) return false;
    sizeP += vlen(m[i]!);
    sizeD += vlen(d);
    sizeDD += vlen(d - pd);
    pd = d;
  }
  const mode = sizeP < sizeD && sizeP < sizeDD ? 0 : sizeDD < sizeD ? 2 : 1;
  w.u8(ValEnc.Decimal);
  w.u8(K);
  w.u8(mode);
  w.uvarint(exc.length);
  let last = 0;
  for (const i of exc) {
    w.uvarint(i - last);
    last = i;
    w.u32(v32[2 * i]!);
    w.u32(v32[2 * i + 1]!);
  }
  w.varint(m[0]!);
  pd = 0;
  for (let i = 1; i < n; i++) {
    const d = m[i]! - m[i - 1]!;
    w.varint(mode === 0 ? m[i]! : mode === 2 ? d - pd : d);
    pd = d;
  }
  return true;
}

function vlen(x: number): number {
  const u = x < 0 ? -2 * x : 2 * x;
  return u < 128 ? 1 : u < 16384 ? 2 : u < 2097152 ? 3 : u < 268435456 ? 4 : 6;
}

/** Decodes `n` values into `out[off…]` through its Uint32Array view `out32` (bits preserved). */
export function decodeValues(r: ByteReader, n: number, out: Float64Array, out32: Uint32Array, off: number): void {
  const tag = r.u8();
  switch (tag) {
    case ValEnc.Const: {
      const lo = r.u32(), hi = r.u32();
      for (let i = off; i < off + n; i++) { out32[2 * i] = lo; out32[2 * i + 1] = hi; }
      return;
    }
    case ValEnc.Raw:
      for (let i = off; i < off + n; i++) { out32[2 * i] = r.u32(); out32[2 * i + 1] = r.u32(); }
      return;
    case ValEnc.Decimal: {
      const K = r.u8();
      const mode = r.u8();
      if (mode > 2) throw new RangeError(`unknown decimal mode ${mode}`);
      const ne = r.uvarint();
      const excPos: number[] = [], excLo: number[] = [], excHi: number[] = [];
      let last = 0;
      for (let j = 0; j < ne; j++) { last += r.uvarint(); excPos.push(last); excLo.push(r.u32()); excHi.push(r.u32()); }
      const p = POW10[K]!;
      let m = r.varint(), d = 0;
      out[off] = K === 0 ? m : m / p;
      for (let i = 1; i < n; i++) {
        const x = r.varint();
        if (mode === 1) m += x;
        else if (mode === 2) { d += x; m += d; }
        else m = x;
        out[off + i] = K === 0 ? m : m / p;
      }
      for (let j = 0; j < ne; j++) { const i = off + excPos[j]!; out32[2 * i] = excLo[j]!; out32[2 * i + 1] = excHi[j]!; }
      return;
    }
    case ValEnc.XOR: {
      const br = new BitReader(r.buf, r.pos * 8);
      let hi = br.read(32), lo = br.read(32);
      out32[2 * off] = lo;
      out32[2 * off + 1] = hi;
      let lead = 0, sig = 0, trail = 0;
      for (let i = 1; i < n; i++) {
        if (br.bit() === 1) {
          if (br.bit() === 1) {
            lead = br.read(5);
            sig = br.read(6);
            if (sig === 0) sig = 64;
            trail = 64 - lead - sig;
          }
          let xh = 0, xl: number;
          if (sig > 32) { xh = br.read(sig - 32); xl = br.read(32); } else xl = br.read(sig);
          if (trail !== 0) {
            if (trail < 32) { xh = ((xh << trail) | (xl >>> (32 - trail))) >>> 0; xl = (xl << trail) >>> 0; }
            else { xh = (xl << (trail - 32)) >>> 0; xl = 0; }
          }
          hi = (hi ^ xh) >>> 0;
          lo = (lo ^ xl) >>> 0;
        }
        out32[2 * (off + i)] = lo;
        out32[2 * (off + i) + 1] = hi;
      }
      r.pos = (br.pos + 7) >>> 3;
      return;
    }
    default:
      throw new RangeError(`unknown value encoding ${tag}`);
  }
}
