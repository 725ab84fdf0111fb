/**
 * @module core/tsdb/db-wal
 * The record-aware half of WAL checkpointing: the filter that keeps, after the head was truncated at
 * `mint`, only series still in the head, samples at or after `mint`, and tombstones that still matter.
 */
import type { Head } from "./head/head.ts";
import { decodeSamples, decodeSeries, decodeTombstones, encodeSamples, encodeSeries, encodeTombstones, RecordType } from "./record/record.ts";

/** Builds the checkpoint filter for a head truncated at `mint` (ms). */
export function checkpointFilter(head: Head, mint: number): (p: Uint8Array) => Uint8Array | null {
  return (p) => {
    switch (p[0]) {
      case RecordType.Series: {
        const all = decodeSeries(p);
        const keep = all.filter((s) => head.getByLabels(s.labels) !== undefined);
        if (keep.length === all.length) return p;
        return keep.length ? encodeSeries(keep) : null;
      }
      case RecordType.Samples: {
        const c = decodeSamples(p);
        let k = 0;
        const v32 = new Uint32Array(c.values.buffer, c.values.byteOffset, c.n * 2);
        const refs = new Uint32Array(c.n), times = new Float64Array(c.n), vals = new Float64Array(c.n);
        const o32 = new Uint32Array(vals.buffer);
        for (let i = 0; i < c.n; i++) {
          if (c.times[i]! < mint) continue;
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
        const keep = all.filter((t) => t.maxt >= mint);
        if (keep.length === all.length) return p;
        return keep.length ? encodeTombstones(keep) : null;
      }
      default:
        return null;
    }
  };
}
