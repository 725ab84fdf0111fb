/**
 * @module core/tsdb/index/mem-postings
 * The head's in-memory postings index: label name → value → growable sorted list of series refs.
 * Refs are normally handed out in increasing order, so adding a series appends to each of its lists;
 * a smaller ref (WAL replay filling a gap) is insertion-sorted. Deletion (head GC) filters lists in one
 * pass.
 */
import type { Labels } from "../../model/labels.ts";
import { EMPTY_POSTINGS, type IndexReader } from "./postings.ts";

class RefList {
  arr = new Uint32Array(4);
  len = 0;
  push(ref: number): void {
    if (this.len === this.arr.length) {
      const n = new Uint32Array(this.arr.length * 2);
      n.set(this.arr);
      this.arr = n;
    }
    const a = this.arr;
    let i = this.len++;
    // Refs normally arrive ascending; replay may fill a gap below the largest ref.
    while (i > 0 && a[i - 1]! > ref) { a[i] = a[i - 1]!; i--; }
    a[i] = ref;
  }
  view(): Uint32Array {
    return this.arr.subarray(0, this.len);
  }
}

/** Head postings (sorted ref lists). */
export class MemPostings implements IndexReader {
  readonly #m = new Map<string, Map<string, RefList>>();
  readonly #all = new RefList();

  /** Indexes a new series. */
  add(ref: number, labels: Labels): void {
    const f = labels.flat;
    for (let i = 0; i < f.length; i += 2) {
      let vals = this.#m.get(f[i]!);
      if (!vals) this.#m.set(f[i]!, (vals = new Map()));
      let l = vals.get(f[i + 1]!);
      if (!l) vals.set(f[i + 1]!, (l = new RefList()));
      l.push(ref);
    }
    this.#all.push(ref);
  }

  /** Removes the given refs (a set of deleted series) from every list. */
  delete(dead: ReadonlySet<number>): void {
    if (dead.size === 0) return;
    const filter = (l: RefList) => {
      let k = 0;
      for (let i = 0; i < l.len; i++) if (!dead.has(l.arr[i]!)) l.arr[k++] = l.arr[i]!;
      l.len = k;
    };
    for (const [name, vals] of this.#m) {
      for (const [v, l] of vals) {
        filter(l);
        if (l.len === 0) vals.delete(v);
      }
      if (vals.size === 0) this.#m.delete(name);
    }
    filter(this.#all);
  }

  postings(name: string, value: string): Uint32Array {
    return this.#m.get(name)?.get(value)?.view() ?? EMPTY_POSTINGS;
  }

  labelValues(name: string): readonly string[] {
    const vals = this.#m.get(name);
    return vals ? [...vals.keys()] : [];
  }

  labelNames(): readonly string[] {
    return [...this.#m.keys()];
  }

  allPostings(): Uint32Array {
    return this.#all.view();
  }

  /** Number of distinct values per label name (for TSDB status). */
  cardinality(): Array<{ name: string; values: number; series: number }> {
    const out: Array<{ name: string; values: number; series: number }> = [];
    for (const [name, vals] of this.#m) {
      let series = 0;
      for (const l of vals.values()) series += l.len;
      out.push({ name, values: vals.size, series });
    }
    return out;
  }

  /** Series count per value of one label name. */
  valueCounts(name: string): Array<{ value: string; count: number }> {
    const vals = this.#m.get(name);
    if (!vals) return [];
    return [...vals].map(([value, l]) => ({ value, count: l.len }));
  }

  /** Iterates label pairs with their series count. */
  forEachPair(fn: (name: string, value: string, count: number) => void): void {
    for (const [name, vals] of this.#m) for (const [v, l] of vals) fn(name, v, l.len);
  }
}
