/**
 * @module core/tsdb/head/series-map
 * Label set → head series, keyed by a 32-bit hash of the labels instead of a joined key string, so the
 * head holds no per-series key string (a sizeable share of head memory). Collisions keep a small array
 * and are resolved with Labels.equals.
 */
import type { Labels } from "../../model/labels.ts";
import type { MemSeries } from "./series.ts";

/** FNV-1a over the label names and values (with separators), as an unsigned 32-bit number. */
export function hashLabels(labels: Labels): number {
  const f = labels.flat;
  let h = 0x811c9dc5;
  for (let i = 0; i < f.length; i++) {
    const s = f[i]!;
    for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619);
    h = Math.imul(h ^ 0xff, 16777619);
  }
  return h >>> 0;
}

/** A map from label sets to series. */
export class SeriesMap {
  readonly #m = new Map<number, MemSeries | MemSeries[]>();

  get(labels: Labels): MemSeries | undefined {
    const e = this.#m.get(hashLabels(labels));
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return e.labels === labels || e.labels.equals(labels) ? e : undefined;
    for (const s of e) if (s.labels.equals(labels)) return s;
    return undefined;
  }

  /** Adds a series (its labels must not be present yet). */
  add(s: MemSeries): void {
    const h = hashLabels(s.labels);
    const e = this.#m.get(h);
    if (e === undefined) this.#m.set(h, s);
    else if (Array.isArray(e)) e.push(s);
    else this.#m.set(h, [e, s]);
  }

  /** Removes a series. */
  delete(s: MemSeries): void {
    const h = hashLabels(s.labels);
    const e = this.#m.get(h);
    if (e === undefined) return;
    if (!Array.isArray(e)) {
      if (e === s) this.#m.delete(h);
      return;
    }
    const i = e.indexOf(s);
    if (i >= 0) e.splice(i, 1);
    if (e.length === 1) this.#m.set(h, e[0]!);
  }
}
