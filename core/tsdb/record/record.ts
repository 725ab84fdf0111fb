/**
 * @module core/tsdb/record/record
 * Typed WAL records ↔ bytes. Every record starts with a one-byte type tag; tags are fixed forever and
 * never reused (see FORMAT.md): 1 = series, 2 = samples, 3 = tombstones.
 *
 * Samples records are column-shaped so that encode and replay are typed-array copies: values as raw
 * 64-bit IEEE patterns (staleness NaN preserved), series refs as u32 and timestamps as i32 offsets from
 * a base time (or absolute float64 ms when a batch spans more than ±2^31 ms). Decoders return views into
 * an aligned copy they own; callers may keep them until the next decode call with the same scratch.
 */
import { Labels } from "../../model/labels.ts";
import { ByteReader, ByteWriter, type StringCache } from "./bytes.ts";

/** Record type tags. Never renumber or reuse. */
export const RecordType = { Series: 1, Samples: 2, Tombstones: 3 } as const;

/** A series definition: the ref the head assigned and its labels. */
export interface RefSeries {
  ref: number;
  labels: Labels;
}

/** A deletion interval for one series (ms, inclusive). */
export interface RefTombstone {
  ref: number;
  mint: number;
  maxt: number;
}

/** Decoded samples record: parallel columns of length `n`. */
export interface SamplesColumns {
  n: number;
  refs: Uint32Array;
  /** Timestamps in ms. */
  times: Float64Array;
  /** Values (read bits through a Uint32Array view to keep NaN payloads). */
  values: Float64Array;
}

/** Encodes a series record. */
export function encodeSeries(series: readonly RefSeries[]): Uint8Array {
  const w = new ByteWriter(64 + series.length * 64);
  w.u8(RecordType.Series);
  w.uvarint(series.length);
  for (const s of series) {
    w.uvarint(s.ref);
    const f = s.labels.flat;
    w.uvarint(f.length >> 1);
    for (let i = 0; i < f.length; i++) w.str(f[i]!);
  }
  return w.bytes().slice();
}

/**
 * Decodes a series record. Throws RangeError on malformed input. With `intern`, equal label strings
 * across records share one string instance (replay of many series).
 */
export function decodeSeries(b: Uint8Array, intern?: StringCache): RefSeries[] {
  const r = new ByteReader(b);
  if (r.u8() !== RecordType.Series) throw new RangeError("not a series record");
  const n = r.uvarint();
  const out: RefSeries[] = [];
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const nl = r.uvarint();
    const flat: string[] = new Array(nl * 2);
    if (intern) for (let j = 0; j < nl * 2; j++) flat[j] = r.strCached(intern);
    else for (let j = 0; j < nl * 2; j++) flat[j] = r.str();
    out.push({ ref, labels: Labels.fromSortedFlat(flat) });
  }
  return out;
}

/** Encodes a tombstones record. */
export function encodeTombstones(ts: readonly RefTombstone[]): Uint8Array {
  const w = new ByteWriter(16 + ts.length * 24);
  w.u8(RecordType.Tombstones);
  w.uvarint(ts.length);
  for (const t of ts) {
    w.uvarint(t.ref);
    w.f64(t.mint);
    w.f64(t.maxt);
  }
  return w.bytes().slice();
}

/** Decodes a tombstones record. */
export function decodeTombstones(b: Uint8Array): RefTombstone[] {
  const r = new ByteReader(b);
  if (r.u8() !== RecordType.Tombstones) throw new RangeError("not a tombstones record");
  const n = r.uvarint();
  const out: RefTombstone[] = [];
  for (let i = 0; i < n; i++) out.push({ ref: r.uvarint(), mint: r.f64(), maxt: r.f64() });
  return out;
}

const HDR = 16;

/**
 * Encodes `n` samples from parallel columns into a samples record. Reads `values` only through a
 * Uint32Array view, so NaN payloads are kept. The returned buffer is freshly allocated (caller owns it).
 */
export function encodeSamples(n: number, refs: Uint32Array, times: Float64Array, values: Float64Array): Uint8Array {
  let minT = Infinity, maxT = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (t < minT) minT = t;
    if (t > maxT) maxT = t;
  }
  const base = n ? minT : 0;
  const wide = maxT - base > 0x7fffffff;
  const tOff = align8(HDR + 12 * n);
  const size = wide ? tOff + 8 * n : HDR + 16 * n;
  const buf = new ArrayBuffer(size);
  const dv = new DataView(buf);
  dv.setUint8(0, RecordType.Samples);
  dv.setUint8(1, wide ? 1 : 0);
  dv.setUint32(4, n, true);
  dv.setFloat64(8, base, true);
  new Uint32Array(buf, HDR, 2 * n).set(new Uint32Array(values.buffer, values.byteOffset, 2 * n));
  new Uint32Array(buf, HDR + 8 * n, n).set(refs.subarray(0, n));
  if (wide) new Float64Array(buf, tOff, n).set(times.subarray(0, n));
  else {
    const dt = new Int32Array(buf, HDR + 12 * n, n);
    for (let i = 0; i < n; i++) dt[i] = times[i]! - base;
  }
  return new Uint8Array(buf);
}

/**
 * Decodes a samples record into columns. `scratch` (optional) is reused when large enough; the
 * returned views alias it and stay valid until the next call with the same scratch.
 */
export function decodeSamples(b: Uint8Array, scratch?: { buf: ArrayBuffer; times: Float64Array }): SamplesColumns {
  if (b.length < HDR || b[0] !== RecordType.Samples) throw new RangeError("not a samples record");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const wide = (b[1]! & 1) === 1;
  const n = dv.getUint32(4, true);
  const base = dv.getFloat64(8, true);
  const tOff = align8(HDR + 12 * n);
  const size = wide ? tOff + 8 * n : HDR + 16 * n;
  if (b.length !== size) throw new RangeError(`samples record size ${b.length} != ${size}`);
  let ab: ArrayBuffer;
  if (b.byteOffset % 8 === 0) ab = b.buffer as ArrayBuffer;
  else {
    ab = scratch && scratch.buf.byteLength >= size ? scratch.buf : new ArrayBuffer(Math.max(size, 1 << 16));
    new Uint8Array(ab, 0, size).set(b);
    if (scratch) scratch.buf = ab;
  }
  const o = ab === b.buffer ? b.byteOffset : 0;
  const values = new Float64Array(ab, o + HDR, n);
  const refs = new Uint32Array(ab, o + HDR + 8 * n, n);
  let times: Float64Array;
  if (wide) times = new Float64Array(ab, o + tOff, n);
  else {
    if (scratch && scratch.times.length >= n) times = scratch.times.subarray(0, n);
    else {
      times = new Float64Array(Math.max(n, 1024));
      if (scratch) scratch.times = times;
      times = times.subarray(0, n);
    }
    const dt = new Int32Array(ab, o + HDR + 12 * n, n);
    for (let i = 0; i < n; i++) times[i] = base + dt[i]!;
  }
  return { n, refs, times, values };
}

function align8(x: number): number {
  return (x + 7) & ~7;
}
