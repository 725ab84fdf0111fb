/**
 * @module core/tsdb/index/postings
 * Postings lists (sorted unique series ids as Uint32Array) and the resolution of label matchers to
 * postings, shared by the head and by blocks through the {@link IndexReader} interface.
 *
 * Matcher semantics follow Prometheus: a matcher that accepts the empty string also selects series that
 * lack the label, so it is applied by subtracting the series whose value it rejects; every other matcher
 * is the union of the postings of the values it accepts. With no "positive" matcher the start set is all
 * series. Only label values are scanned (for regexes), never series.
 */
import type { Matcher } from "../../model/matcher.ts";

/** What matcher resolution needs from an index (head or block). Ids are sorted ascending. */
export interface IndexReader {
  /** Sorted ids of series with `name`=`value` (empty when none). Callers must not mutate the result. */
  postings(name: string, value: string): Uint32Array;
  /** All values of a label name (any order). */
  labelValues(name: string): readonly string[];
  /** All label names (any order). */
  labelNames(): readonly string[];
  /** Sorted ids of all series. */
  allPostings(): Uint32Array;
}

/** The empty postings list. */
export const EMPTY_POSTINGS = new Uint32Array(0);

/** Intersection of two sorted lists (fresh array). */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x === y) { out[k++] = x; i++; j++; }
    else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, k);
}

/** Elements of `a` not in `b` (fresh array). */
export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out[k++] = x;
    i++;
  }
  return out.subarray(0, k);
}

/** Union of sorted lists (fresh array). */
export function union(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  if (lists.length === 1) return lists[0]!;
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let o = 0;
  for (const l of lists) { all.set(l, o); o += l.length; }
  all.sort();
  let k = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[k++] = all[i]!;
  return all.subarray(0, k);
}

/** Resolves matchers (all must hold) to the sorted ids of matching series. */
export function postingsForMatchers(ix: IndexReader, ms: readonly Matcher[]): Uint32Array {
  let pos: Uint32Array | null = null;
  const negs: Uint32Array[] = [];
  for (const m of ms) {
    if (m.type === "=" && m.value !== "") {
      const p = ix.postings(m.name, m.value);
      pos = pos ? intersect(pos, p) : p;
    } else if (m.matchesEmpty()) {
      const lists: Uint32Array[] = [];
      for (const v of ix.labelValues(m.name)) if (!m.matches(v)) lists.push(ix.postings(m.name, v));
      if (lists.length) negs.push(union(lists));
    } else {
      const lists: Uint32Array[] = [];
      if (m.type === "!=") {
        for (const v of ix.labelValues(m.name)) if (v !== m.value) lists.push(ix.postings(m.name, v));
      } else for (const v of ix.labelValues(m.name)) if (m.matches(v)) lists.push(ix.postings(m.name, v));
      const p = union(lists);
      pos = pos ? intersect(pos, p) : p;
    }
    if (pos && pos.length === 0) return EMPTY_POSTINGS;
  }
  if (!pos) pos = ix.allPostings();
  for (const n of negs) pos = subtract(pos, n);
  return pos;
}
