/**
 * @module core/tsdb/db-wal
 * The record-aware half of WAL checkpointing: the filter that keeps, after the head was truncated at
 * `mint`, only series still in the head (by ref: the head keeps the WAL's refs), samples at or after
 * `mint`, and tombstones that still matter. Records that need no change are kept byte for byte.
 */
import type { Head } from "./head/head.ts";
import { ByteReader } from "./record/bytes.ts";
import { decodeSamples, decodeSeries, decodeTombstones, encodeSamples, encodeSeries, encodeTombstones, RecordType } from "./record/record.ts";

/** Builds the checkpoint filter for a head truncated at `mint` (ms). */
export function checkpointFilter(head: Head, mint: number): (p: Uint8Array) => Uint8Array | null {
  return (p) => {
    switch (p[0]) {
      case RecordType.Series: {
        const refs = seriesRefs(p);
        const alive = refs.filter((r) => head.series[r] !== undefined).length;
        if (alive === refs.length) return p;
        if (alive === 0) return null;
        const all = decodeSeries(p);
        const keep = all.filter((s) => head.series[s.ref] !== undefined);
        if (keep.length === all.length) return p;
        return keep.length ? encodeSeries(keep) : null;
      }
      case RecordType.Samples: {
        const c = decodeSamples(p);
        let k = 0;
        const v32 = new Uint32Array(c.values.buffer, c.values.byteOffset, c.n * 2);
        const vab = new ArrayBuffer(c.n * 8);
        const refs = new Uint32Array(c.n), times = new Float64Array(c.n), vals = new Float64Array(vab);
        const o32 = new Uint32Array(vab);
        for (let i = 0; i < c.n; i++) {
          // Older samples are in blocks, except late out-of-order ones the head still holds.
          if (c.times[i]! < mint && !heldOutOfOrder(head, c.refs[i]!, c.times[i]!)) continue;
          refs[k] = c.refs[i]!;
          times[k] = c.times[i]!;
          o32[2 * k] = v32[2 * i]!;
          o32[2 * k + 1] = v32[2 * i + 1]!;
          k++;
        }
        if (k === c.n) return p;
        return k ? encodeSamples(k, refs, times, vals) : null;
      }
      case RecordType.Tombstones: {
        const all = decodeTombstones(p);
        // Only series still in the head: a dropped series' ref may be handed out again after a restart.
        const keep = all.filter((t) => t.maxt >= mint && head.series[t.ref] !== undefined);
        if (keep.length === all.length) return p;
        return keep.length ? encodeTombstones(keep) : null;
      }
      default:
        return null;
    }
  };
}

/** The refs of a series record, skipping the label strings. */
function seriesRefs(p: Uint8Array): number[] {
  const r = new ByteReader(p);
  r.u8();
  const n = r.uvarint();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(r.uvarint());
    const nl = r.uvarint();
    for (let j = 0; j < nl * 2; j++) r.raw(r.uvarint());
  }
  return out;
}

/** Whether the head's out-of-order buffer of series `ref` holds a sample at `t`. */
function heldOutOfOrder(head: Head, ref: number, t: number): boolean {
  const ts = head.series[ref]?.oooT;
  if (!ts || ts.length === 0 || t < ts[0]! || t > ts[ts.length - 1]!) return false;
  let a = 0, b = ts.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (ts[m]! < t) a = m + 1;
    else b = m;
  }
  return ts[a] === t;
}
