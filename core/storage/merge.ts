/**
 * @module core/storage/merge
 * Merging sample columns and series sets from several sources (blocks and head inside the TSDB, or
 * several Queryables in a fanout). Sources are given oldest first: on equal timestamps the earlier
 * source's sample wins. Values are copied through Uint32Array views so NaN payloads (the staleness
 * marker) keep their bits. Results are fresh arrays owned by the caller.
 */
import { compareLabels } from "../model/labels.ts";
import type { Series, SeriesSet } from "./interface.ts";

/** Time-sorted samples as aligned columns (times in ms). */
export interface SampleArrays {
  t: Float64Array;
  v: Float64Array;
}

/** Merges two time-sorted sample columns; `a` wins on equal timestamps. */
export function mergeSamples(a: SampleArrays, b: SampleArrays): SampleArrays {
  const n = a.t.length + b.t.length;
  const t = new Float64Array(n);
  const ab = new ArrayBuffer(n * 8); // buffer first: `.buffer` of a small typed array is costly on JavaScriptCore
  const v = new Float64Array(ab);
  const v32 = new Uint32Array(ab);
  const a32 = new Uint32Array(a.v.buffer, a.v.byteOffset, a.v.length * 2);
  const b32 = new Uint32Array(b.v.buffer, b.v.byteOffset, b.v.length * 2);
  const at = a.t, bt = b.t, an = at.length, bn = bt.length;
  let i = 0, j = 0, k = 0;
  while (i < an || j < bn) {
    if (j >= bn || (i < an && at[i]! <= bt[j]!)) {
      if (j < bn && at[i] === bt[j]) j++;
      t[k] = at[i]!;
      v32[2 * k] = a32[2 * i]!;
      v32[2 * k + 1] = a32[2 * i + 1]!;
      i++;
    } else {
      t[k] = bt[j]!;
      v32[2 * k] = b32[2 * j]!;
      v32[2 * k + 1] = b32[2 * j + 1]!;
      j++;
    }
    k++;
  }
  return k === n ? { t, v } : { t: t.slice(0, k), v: v.slice(0, k) };
}

/** Merges any number of sample columns, earlier ones winning ties. */
export function mergeAllSamples(pieces: readonly SampleArrays[]): SampleArrays {
  let cur = pieces[0]!;
  for (let p = 1; p < pieces.length; p++) cur = mergeSamples(cur, pieces[p]!);
  return cur;
}

/**
 * Merges series sets (each sorted by labels): series with equal labels are merged sample-wise, earlier
 * sets winning ties; warnings are concatenated.
 */
export function mergeSeriesSets(sets: readonly SeriesSet[]): SeriesSet {
  if (sets.length === 1) return sets[0]!;
  const byKey = new Map<string, Series>();
  const warnings: string[] = [];
  for (const set of sets) {
    warnings.push(...set.warnings);
    for (const s of set.series) {
      const k = s.labels.key();
      const prev = byKey.get(k);
      if (!prev) byKey.set(k, s);
      else {
        const m = mergeSamples({ t: prev.timestamps, v: prev.values }, { t: s.timestamps, v: s.values });
        byKey.set(k, { labels: prev.labels, timestamps: m.t, values: m.v });
      }
    }
  }
  const series = [...byKey.values()].sort((a, b) => compareLabels(a.labels, b.labels));
  return { series, warnings };
}
