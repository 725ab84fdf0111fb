/**
 * @module core/promql/engine/eval-aggregate-stream
 * Fused aggregation for sum, avg, count, group, min and max: input series are consumed one at a time
 * (from a selector or a window function writing into reused buffers) and folded into per-group step
 * accumulators, so `sum by (job) (rate(x[5m]))` never materialises the 10k intermediate series.
 * Results equal the materialising path in eval-aggregate.ts (same compensated sums, same NaN rules).
 */
import { Labels, METRIC_NAME } from "../../model/labels.ts";
import type { AggregateExpr } from "../parser/ast.ts";
import { ExecutionError } from "./errors.ts";
import { DUPLICATE_LABELSET, dropMetricName, isNameBound } from "./labels-util.ts";
import { kahanSumInc } from "./kahan.ts";
import { newStepSeries, type SeriesSink, type StepSeries, type VectorValue } from "./types.ts";

/** Aggregations the fused path handles. */
export const STREAMABLE_AGGREGATIONS: ReadonlySet<string> = new Set(["sum", "avg", "count", "group", "min", "max"]);

interface Acc {
  out: StepSeries;
  comp: Float64Array;
  count: Float64Array;
  mean: Float64Array | null;
  incr: Uint8Array | null;
}

/** Accumulates series into groups; `sink` feeds it, `result()` finishes. */
export class StreamAggregator {
  readonly #e: AggregateExpr;
  readonly #n: number;
  readonly #groups = new Map<string, Acc>();
  readonly #order: Acc[] = [];
  readonly #by: string[] | null;
  readonly #without: Set<string> | null;
  /** Without delayed name removal: label sets seen after dropping names (duplicate detection). */
  readonly #seen: Map<string, Uint8Array> | null;
  readonly #eager: boolean;
  readonly #unique: boolean;

  /**
   * @param eagerNameRemoval drop names as series arrive (Prometheus's default) and reject label sets
   *   that collide; `uniqueAfterNameDrop` skips the collision check when all inputs share one metric
   *   name (then dropping it cannot make two series equal).
   */
  constructor(e: AggregateExpr, n: number, eagerNameRemoval: boolean, uniqueAfterNameDrop = false) {
    this.#e = e;
    this.#n = n;
    this.#by = e.without ? null : e.grouping;
    this.#without = e.without ? new Set(e.grouping) : null;
    this.#seen = eagerNameRemoval ? new Map() : null;
    this.#eager = eagerNameRemoval;
    this.#unique = uniqueAfterNameDrop;
  }

  /** The sink to hand to producers. */
  readonly sink: SeriesSink = (labels, vals, has, dropName) => {
    if (this.#eager && dropName && this.#unique) {
      // One metric name for all inputs: grouping never looks at it after removal.
      if (this.#by && this.#by.includes(METRIC_NAME)) labels = dropMetricName(labels);
      dropName = false;
    } else if (this.#seen && dropName) {
      labels = dropMetricName(labels);
      dropName = false;
      const k = labels.key();
      const prev = this.#seen.get(k);
      if (prev) {
        for (let i = 0; i < this.#n; i++) if (prev[i] && has[i]) throw new ExecutionError(DUPLICATE_LABELSET);
        for (let i = 0; i < this.#n; i++) prev[i]! |= has[i]!;
      } else this.#seen.set(k, Uint8Array.from(has));
    }
    let key: string;
    if (this.#by) {
      key = "";
      for (const l of this.#by) key += labels.get(l) + "\xff";
    } else {
      const w = this.#without!;
      key = labels.filter((n) => !isNameBound(n) && !w.has(n)).key();
    }
    let acc = this.#groups.get(key);
    if (!acc) {
      const gl = this.#by ? byLabels(labels, this.#by) : labels.filter((n) => n !== METRIC_NAME && !this.#without!.has(n) && !isNameBound(n));
      const op = this.#e.op;
      acc = {
        out: newStepSeries(gl, this.#n, false),
        comp: new Float64Array(this.#n),
        count: new Float64Array(this.#n),
        mean: op === "avg" ? new Float64Array(this.#n) : null,
        incr: op === "avg" ? new Uint8Array(this.#n) : null,
      };
      this.#groups.set(key, acc);
      this.#order.push(acc);
    }
    if (dropName) acc.out.dropName = true;
    this.#fold(acc, vals, has);
  };

  #fold(a: Acc, vals: Float64Array, has: Uint8Array): void {
    const n = this.#n, acc = a.out.vals, ah = a.out.has, comp = a.comp, count = a.count;
    switch (this.#e.op) {
      case "sum":
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          const f = vals[i]!;
          if (!ah[i]) {
            ah[i] = 1;
            acc[i] = f;
            continue;
          }
          const sum = acc[i]!, t = sum + f;
          if (t === Infinity || t === -Infinity) comp[i] = 0;
          else if (Math.abs(sum) >= Math.abs(f)) comp[i] = comp[i]! + ((sum - t) + f);
          else comp[i] = comp[i]! + ((f - t) + sum);
          acc[i] = t;
        }
        return;
      case "count": case "group":
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          ah[i] = 1;
          acc[i] = this.#e.op === "group" ? 1 : acc[i]! + 1;
        }
        return;
      case "max": case "min": {
        const max = this.#e.op === "max";
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          const f = vals[i]!;
          if (!ah[i]) {
            ah[i] = 1;
            acc[i] = f;
          } else if ((max ? acc[i]! < f : acc[i]! > f) || Number.isNaN(acc[i]!)) acc[i] = f;
        }
        return;
      }
      case "avg": {
        const mean = a.mean!, incr = a.incr!;
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          const f = vals[i]!;
          const c = ++count[i]!;
          if (c === 1) {
            ah[i] = 1;
            acc[i] = f;
            mean[i] = f;
            continue;
          }
          if (!incr[i]) {
            const [t, cc] = kahanSumInc(f, acc[i]!, comp[i]!);
            if (t !== Infinity && t !== -Infinity) {
              acc[i] = t;
              comp[i] = cc;
              continue;
            }
            incr[i] = 1;
            mean[i] = acc[i]! / (c - 1);
            comp[i] = comp[i]! / (c - 1);
          }
          const q = (c - 1) / c;
          const [t, cc] = kahanSumInc(f / c, q * mean[i]!, q * comp[i]!);
          mean[i] = t;
          comp[i] = cc;
        }
        return;
      }
      default:
        throw new ExecutionError(`aggregation ${this.#e.op} cannot be streamed`);
    }
  }

  /** Finishes the aggregation. */
  result(): VectorValue {
    const op = this.#e.op;
    for (const a of this.#order) {
      const acc = a.out.vals, ah = a.out.has;
      for (let i = 0; i < this.#n; i++) {
        if (!ah[i]) continue;
        if (op === "sum") acc[i] = acc[i]! + a.comp[i]!;
        else if (op === "avg") {
          const c = a.count[i]!;
          acc[i] = a.incr![i] ? a.mean![i]! + a.comp[i]! : acc[i]! / c + a.comp[i]! / c;
        }
      }
    }
    return { kind: "vector", series: this.#order.map((a) => a.out) };
  }
}

function byLabels(l: Labels, by: string[]): Labels {
  const keep = new Set(by);
  return l.filter((n) => keep.has(n));
}

interface TopEntry {
  v: number;
  id: number;
}

interface TopGroup {
  /** Per step: the best entries so far, best first (at most k). */
  lists: Array<TopEntry[] | undefined>;
}

/**
 * Streaming topk/bottomk: each incoming series is offered to its group's k-slot list at every step
 * where it has a value, so only the winners are ever copied (no materialised input vector). NaN always
 * loses; ties keep the earlier series. Output order (instant queries): groups in first-seen order,
 * each best first.
 */
export class StreamTopK {
  readonly #e: AggregateExpr;
  readonly #n: number;
  readonly #k: Int32Array;
  readonly #top: boolean;
  readonly #groups = new Map<string, TopGroup>();
  readonly #order: TopGroup[] = [];
  readonly #series: Array<{ labels: Labels; dropName: boolean }> = [];

  constructor(e: AggregateExpr, n: number, k: Int32Array) {
    this.#e = e;
    this.#n = n;
    this.#k = k;
    this.#top = e.op === "topk";
  }

  /** The sink to hand to producers. */
  readonly sink: SeriesSink = (labels, vals, has, dropName) => {
    const e = this.#e;
    let key: string;
    if (e.without) {
      const w = new Set(e.grouping);
      key = labels.filter((n) => !isNameBound(n) && !w.has(n)).key();
    } else {
      key = "";
      for (const l of e.grouping) key += labels.get(l) + "\xff";
    }
    let g = this.#groups.get(key);
    if (!g) {
      g = { lists: new Array(this.#n) };
      this.#groups.set(key, g);
      this.#order.push(g);
    }
    let id = -1;
    const top = this.#top;
    for (let i = 0; i < this.#n; i++) {
      if (!has[i]) continue;
      const k = this.#k[i]!;
      if (k < 1) continue;
      const v = vals[i]!;
      let list = g.lists[i];
      if (!list) g.lists[i] = list = [];
      if (list.length === k) {
        const worst = list[k - 1]!.v;
        if (v !== v || (worst === worst && (top ? v <= worst : v >= worst))) continue;
      }
      if (id < 0) {
        id = this.#series.length;
        this.#series.push({ labels, dropName });
      }
      let pos = list.length;
      while (pos > 0) {
        const p = list[pos - 1]!.v;
        const better = v === v && (p !== p || (top ? v > p : v < p));
        if (!better) break;
        pos--;
      }
      list.splice(pos, 0, { v, id });
      if (list.length > k) list.pop();
    }
  };

  /** Finishes: one output series per selected input series. */
  result(): VectorValue {
    const out: StepSeries[] = [];
    const byId = new Map<number, StepSeries>();
    for (let i = 0; i < this.#n; i++) {
      for (const g of this.#order) {
        const list = g.lists[i];
        if (!list) continue;
        for (const en of list) {
          let s = byId.get(en.id);
          if (!s) {
            const src = this.#series[en.id]!;
            s = newStepSeries(src.labels, this.#n, src.dropName);
            byId.set(en.id, s);
            out.push(s);
          }
          s.vals[i] = en.v;
          s.has[i] = 1;
        }
      }
    }
    return { kind: "vector", series: out };
  }
}
