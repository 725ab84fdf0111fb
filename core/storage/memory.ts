/**
 * @module core/storage/memory
 * A trivial in-memory Storage: the reference model for property tests (the TSDB must answer as this
 * does) and the store behind the promqltest runner. Correct before fast: series kept in a Map of
 * growable arrays; appends commit atomically; no out-of-order window (same rules as the TSDB without one).
 */
import { compareLabels, type Labels } from "../model/labels.ts";
import { matchAll, type Matcher } from "../model/matcher.ts";
import { isStaleNaN, setStaleAt } from "../model/value.ts";
import { DuplicateSampleError, OutOfOrderSampleError } from "./errors.ts";
import type { Appender, Querier, SelectHints, Series, SeriesRef, SeriesSet, Storage } from "./interface.ts";

interface MemSeries {
  ref: number;
  labels: Labels;
  t: number[];
  v: number[];
  /** Timestamps whose sample is a staleness marker (JS numbers cannot carry the NaN payload in Bun). */
  stale?: Set<number>;
}

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** Accept samples older than the newest one (inserted in order). Default false. */
  allowOutOfOrder?: boolean;
}

/** An in-memory store implementing {@link Storage}. */
export class MemoryStorage implements Storage {
  readonly #byKey = new Map<string, MemSeries>();
  readonly #byRef: MemSeries[] = [];
  readonly #ooo: boolean;

  constructor(opts: MemoryStorageOptions = {}) {
    this.#ooo = opts.allowOutOfOrder ?? false;
  }

  appender(): Appender {
    const pending: Array<{ s: MemSeries; t: number; v: number; stale?: boolean }> = [];
    const created: MemSeries[] = [];
    const store = this;
    return {
      append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
        let s = ref > 0 ? store.#byRef[ref - 1] : undefined;
        if (!s || (!s.labels.equals(labels))) s = store.#byKey.get(labels.key());
        if (!s) s = created.find((c) => c.labels.equals(labels));
        if (!s) {
          s = { ref: 0, labels, t: [], v: [] };
          created.push(s);
        }
        store.#check(s, t, v, pending);
        pending.push({ s, t, v });
        return s.ref;
      },
      appendStale(ref: SeriesRef, labels: Labels, t: number): SeriesRef {
        const r = this.append(ref, labels, t, NaN);
        pending[pending.length - 1]!.stale = true;
        return r;
      },
      async commit() {
        for (const s of created) {
          if (store.#byKey.has(s.labels.key())) continue;
          s.ref = store.#byRef.length + 1;
          store.#byRef.push(s);
          store.#byKey.set(s.labels.key(), s);
        }
        for (const p of pending) {
          const target = store.#byKey.get(p.s.labels.key())!;
          store.#insert(target, p.t, p.v);
          if (p.stale) (target.stale ??= new Set()).add(p.t);
        }
        pending.length = 0;
        created.length = 0;
      },
      rollback() {
        pending.length = 0;
        created.length = 0;
      },
    };
  }

  #check(s: MemSeries, t: number, v: number, pending: Array<{ s: MemSeries; t: number; v: number }>): void {
    let lastT = s.t.length ? s.t[s.t.length - 1]! : -Infinity;
    let lastV = s.v.length ? s.v[s.v.length - 1]! : NaN;
    for (const p of pending) if (p.s === s && p.t >= lastT) { lastT = p.t; lastV = p.v; }
    if (t === lastT) {
      if (!sameValue(v, lastV)) throw new DuplicateSampleError();
      return;
    }
    if (t < lastT && !this.#ooo) throw new OutOfOrderSampleError();
  }

  #insert(s: MemSeries, t: number, v: number): void {
    const n = s.t.length;
    if (n === 0 || t > s.t[n - 1]!) {
      s.t.push(t);
      s.v.push(v);
      return;
    }
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.t[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (s.t[lo] === t) return; // duplicate equal sample: no-op
    s.t.splice(lo, 0, t);
    s.v.splice(lo, 0, v);
  }

  /** Deletes samples of matching series in [mint, maxt] (ms, inclusive). */
  deleteSeries(matchers: readonly Matcher[], mint: number, maxt: number): void {
    for (const s of this.#byKey.values()) {
      if (!matchAll(matchers, s.labels)) continue;
      const keepT: number[] = [], keepV: number[] = [];
      for (let i = 0; i < s.t.length; i++) {
        if (s.t[i]! < mint || s.t[i]! > maxt) { keepT.push(s.t[i]!); keepV.push(s.v[i]!); }
      }
      s.t = keepT;
      s.v = keepV;
    }
  }

  async querier(_mint: number, _maxt: number): Promise<Querier> {
    const all = [...this.#byKey.values()];
    const matching = (ms: readonly Matcher[]) => all.filter((s) => matchAll(ms, s.labels));
    const q: Querier = {
      async select(ms: readonly Matcher[], h: SelectHints): Promise<SeriesSet> {
        const out: Series[] = [];
        for (const s of matching(ms)) {
          const t: number[] = [], v: number[] = [];
          for (let i = 0; i < s.t.length; i++) {
            if (s.t[i]! >= h.start && s.t[i]! <= h.end) { t.push(s.t[i]!); v.push(s.v[i]!); }
          }
          if (t.length === 0) continue;
          const values = Float64Array.from(v);
          if (s.stale) for (let i = 0; i < t.length; i++) if (s.stale.has(t[i]!)) setStaleAt(values, i);
          out.push({ labels: s.labels, timestamps: Float64Array.from(t), values });
        }
        out.sort((a, b) => compareLabels(a.labels, b.labels));
        if (h.limit && out.length > h.limit) out.length = h.limit;
        return { series: out, warnings: [] };
      },
      async labelNames(ms: readonly Matcher[], h: SelectHints): Promise<string[]> {
        const names = new Set<string>();
        for (const s of (await q.select(ms, h)).series) s.labels.forEach((n) => names.add(n));
        return [...names].sort();
      },
      async labelValues(name: string, ms: readonly Matcher[], h: SelectHints): Promise<string[]> {
        const vals = new Set<string>();
        for (const s of (await q.select(ms, h)).series) {
          const v = s.labels.get(name);
          if (v !== "") vals.add(v);
        }
        return [...vals].sort();
      },
      close() {},
    };
    return q;
  }

  async startTime(): Promise<number> {
    let min = Infinity;
    for (const s of this.#byRef) if (s.t.length && s.t[0]! < min) min = s.t[0]!;
    return min;
  }

  async close(): Promise<void> {}
}

/** Value equality that treats identical NaN bit patterns as equal (stale vs. stale, NaN vs. NaN). */
function sameValue(a: number, b: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return isStaleNaN(a) === isStaleNaN(b);
  return false;
}
