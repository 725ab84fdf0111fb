/**
 * @module core/tsdb/head/head-read
 * Reading samples out of the head: decodes the chunks overlapping a time range, merges the
 * out-of-order buffer (an in-order sample wins over an out-of-order one at the same time), removes
 * tombstoned ranges, and returns exact-length typed arrays owned by the caller.
 */
import { decodeXor } from "../chunkenc/xor.ts";
import type { Interval } from "./head.ts";
import type { MemSeries } from "./series.ts";

/** Samples of one series as aligned columns (times in ms; values carry raw bits). Owned by the caller. */
export interface SampleColumns {
  t: Float64Array;
  v: Float64Array;
}

/** Reusable decode buffers. */
export class ReadScratch {
  t = new Float64Array(1024);
  v = new Float64Array(1024);
  v32 = new Uint32Array(this.v.buffer);
  ensure(n: number): void {
    if (n <= this.t.length) return;
    let c = this.t.length;
    while (c < n) c *= 2;
    this.t = new Float64Array(c);
    this.v = new Float64Array(c);
    this.v32 = new Uint32Array(this.v.buffer);
  }
}

/**
 * The samples of `s` within [mint, maxt] (ms, inclusive), minus `tombstones`; null when none.
 */
export function readHeadSeries(s: MemSeries, mint: number, maxt: number, tombstones: readonly Interval[] | undefined, sc: ReadScratch): SampleColumns | null {
  let cap = 0;
  for (const c of s.chunks) if (c.maxT >= mint && c.minT <= maxt) cap += c.n;
  const open = s.open;
  if (open && open.n > 0 && open.maxT >= mint && open.minT <= maxt) cap += open.n;
  const ooo = s.oooT;
  if (cap === 0 && !ooo) return null;
  if (!ooo && !(tombstones && tombstones.length) && fullyInside(s, mint, maxt)) {
    // Fast path: every overlapping chunk lies inside the range; decode straight into the result.
    // Allocate the ArrayBuffer first: reading `.buffer` of a small typed array is costly on JavaScriptCore.
    const ab = new ArrayBuffer(cap * 8);
    const t = new Float64Array(cap), v = new Float64Array(ab), v32 = new Uint32Array(ab);
    let n = 0;
    for (const c of s.chunks) {
      if (c.maxT < mint || c.minT > maxt) continue;
      decodeXor(c.data, c.n, t, v32, n);
      n += c.n;
    }
    if (open && open.n > 0 && open.maxT >= mint && open.minT <= maxt) decodeXor(open.w.buf, open.n, t, v32, n);
    return { t, v };
  }
  sc.ensure(cap);
  let n = 0;
  for (const c of s.chunks) {
    if (c.maxT < mint || c.minT > maxt) continue;
    decodeXor(c.data, c.n, sc.t, sc.v32, n);
    n += c.n;
  }
  if (open && open.n > 0 && open.maxT >= mint && open.minT <= maxt) {
    decodeXor(open.w.buf, open.n, sc.t, sc.v32, n);
    n += open.n;
  }
  // Trim to range.
  let a = 0;
  while (a < n && sc.t[a]! < mint) a++;
  let b = n;
  while (b > a && sc.t[b - 1]! > maxt) b--;
  let t: Float64Array, v: Float64Array;
  if (ooo) {
    const r = mergeOOO(sc, a, b, s, mint, maxt);
    t = r.t;
    v = r.v;
  } else {
    if (b <= a) return null;
    t = sc.t.slice(a, b);
    v = sc.v.slice(a, b);
  }
  if (tombstones && tombstones.length) return applyTombstones(t, v, tombstones);
  return t.length ? { t, v } : null;
}

function fullyInside(s: MemSeries, mint: number, maxt: number): boolean {
  for (const c of s.chunks) if (c.maxT >= mint && c.minT <= maxt && (c.minT < mint || c.maxT > maxt)) return false;
  const o = s.open;
  if (o && o.n > 0 && o.maxT >= mint && o.minT <= maxt && (o.minT < mint || o.maxT > maxt)) return false;
  return true;
}

function mergeOOO(sc: ReadScratch, a: number, b: number, s: MemSeries, mint: number, maxt: number): SampleColumns {
  const ot = s.oooT!, oh = s.oooHi!, ol = s.oooLo!;
  let i0 = 0;
  while (i0 < ot.length && ot[i0]! < mint) i0++;
  let i1 = i0;
  while (i1 < ot.length && ot[i1]! <= maxt) i1++;
  const cap = b - a + (i1 - i0);
  const t = new Float64Array(cap);
  const ab = new ArrayBuffer(cap * 8);
  const v = new Float64Array(ab);
  const v32 = new Uint32Array(ab);
  let k = 0, i = a, j = i0;
  while (i < b || j < i1) {
    if (j >= i1 || (i < b && sc.t[i]! <= ot[j]!)) {
      if (j < i1 && sc.t[i] === ot[j]) j++; // in-order wins
      t[k] = sc.t[i]!;
      v32[2 * k] = sc.v32[2 * i]!;
      v32[2 * k + 1] = sc.v32[2 * i + 1]!;
      i++;
    } else {
      t[k] = ot[j]!;
      v32[2 * k] = ol[j]!;
      v32[2 * k + 1] = oh[j]!;
      j++;
    }
    k++;
  }
  return { t: k === cap ? t : t.slice(0, k), v: k === cap ? v : v.slice(0, k) };
}

/** Removes samples inside any interval; returns null when nothing is left. Reuses the arrays when nothing is removed. */
export function applyTombstones(t: Float64Array, v: Float64Array, ivs: readonly Interval[]): SampleColumns | null {
  const v32 = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  let k = 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    let dead = false;
    for (const iv of ivs) if (x >= iv.mint && x <= iv.maxt) { dead = true; break; }
    if (dead) continue;
    if (k !== i) {
      t[k] = x;
      v32[2 * k] = v32[2 * i]!;
      v32[2 * k + 1] = v32[2 * i + 1]!;
    }
    k++;
  }
  if (k === 0) return null;
  return k === t.length ? { t, v } : { t: t.slice(0, k), v: v.slice(0, k) };
}
