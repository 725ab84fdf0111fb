/**
 * @module core/model/labels
 * Immutable, sorted label sets: the identity of a series.
 *
 * Invariants: names are unique and sorted by UTF-16 code unit order (which equals byte order for the
 * label-name charset Prometheus uses, and is what every Quiver component compares with), empty values
 * are dropped (Prometheus treats `a=""` as "label absent"), and a Labels value is never mutated after
 * construction. Use {@link LabelsBuilder} to derive a changed copy.
 */

/** The reserved label holding the metric name. */
export const METRIC_NAME = "__name__";

/** One name/value pair. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

const SEP = "\xff";

/**
 * A sorted, immutable set of labels, stored as a flat array `[n0, v0, n1, v1, …]` to keep memory and
 * allocation low (one array per series instead of one object per label).
 */
export class Labels {
  /** Flat `[name, value, …]` pairs, sorted by name. Owned by this instance; never mutate it. */
  readonly flat: readonly string[];
  #key: string | undefined;

  private constructor(flat: string[]) {
    this.flat = flat;
  }

  /** The empty label set. */
  static readonly EMPTY = new Labels([]);

  /**
   * Builds a label set from an object. Empty values are dropped; order does not matter.
   * @example Labels.from({ __name__: "up", job: "node" })
   */
  static from(obj: Readonly<Record<string, string>>): Labels {
    const names = Object.keys(obj).filter((n) => obj[n] !== "" && obj[n] !== undefined).sort(compareStrings);
    const flat: string[] = new Array(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      flat[2 * i] = n;
      flat[2 * i + 1] = obj[n]!;
    }
    return new Labels(flat);
  }

  /** Builds a label set from pairs, sorting them; the last value wins on a repeated name. */
  static fromPairs(pairs: Iterable<readonly [string, string]>): Labels {
    const m = new Map<string, string>();
    for (const [n, v] of pairs) m.set(n, v);
    return Labels.from(Object.fromEntries(m));
  }

  /**
   * Wraps an already sorted flat array without copying. The caller guarantees sorted unique names and
   * non-empty values, and gives up ownership of the array.
   */
  static fromSortedFlat(flat: string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /** Number of labels. */
  get size(): number {
    return this.flat.length >> 1;
  }

  /** The value of `name`, or "" when absent (Prometheus semantics). */
  get(name: string): string {
    const f = this.flat;
    // Linear scan: label sets are small (typically < 12 labels), faster than binary search here.
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === name) return f[i + 1]!;
    }
    return "";
  }

  /** Whether `name` is present. */
  has(name: string): boolean {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return true;
    return false;
  }

  /** The metric name (`__name__`), or "". */
  get metricName(): string {
    return this.get(METRIC_NAME);
  }

  /** Calls `fn` for each label in order. */
  forEach(fn: (name: string, value: string) => void): void {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) fn(f[i]!, f[i + 1]!);
  }

  /** Label names in order. */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push(this.flat[i]!);
    return out;
  }

  /** Labels as an array of pairs. */
  toArray(): Label[] {
    const out: Label[] = [];
    this.forEach((name, value) => out.push({ name, value }));
    return out;
  }

  /** Labels as a plain object (for JSON responses). */
  toObject(): Record<string, string> {
    const o: Record<string, string> = {};
    this.forEach((n, v) => (o[n] = v));
    return o;
  }

  /**
   * A canonical string usable as a Map key; equal label sets give equal keys. Cached after first use.
   */
  key(): string {
    if (this.#key === undefined) this.#key = this.flat.join(SEP);
    return this.#key;
  }

  /** Whether both sets hold the same labels. */
  equals(o: Labels): boolean {
    if (this === o) return true;
    const a = this.flat, b = o.flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** A copy without `__name__`. */
  withoutName(): Labels {
    if (!this.has(METRIC_NAME)) return this;
    return this.filter((n) => n !== METRIC_NAME);
  }

  /** A copy keeping only labels for which `keep(name, value)` is true. */
  filter(keep: (name: string, value: string) => boolean): Labels {
    const out: string[] = [];
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (keep(f[i]!, f[i + 1]!)) out.push(f[i]!, f[i + 1]!);
    return out.length === f.length ? this : Labels.fromSortedFlat(out);
  }

  /** A builder seeded with these labels. */
  builder(): LabelsBuilder {
    return new LabelsBuilder(this);
  }

  /** Prometheus-style rendering: `name{a="b", c="d"}` (name omitted when absent). */
  toString(): string {
    const name = this.metricName;
    const parts: string[] = [];
    this.forEach((n, v) => {
      if (n !== METRIC_NAME) parts.push(`${n}=${JSON.stringify(v)}`);
    });
    if (parts.length === 0 && name) return name;
    return `${name}{${parts.join(", ")}}`;
  }
}

/** Orders strings by UTF-16 code units (the order used for label names and values everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders label sets as Prometheus does: label by label, name then value; shorter prefix first. */
export function compareLabels(a: Labels, b: Labels): number {
  const x = a.flat, y = b.flat;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** Accumulates changes to a label set and produces a new immutable {@link Labels}. */
export class LabelsBuilder {
  #base: Labels;
  #set = new Map<string, string>();
  #del = new Set<string>();

  constructor(base: Labels = Labels.EMPTY) {
    this.#base = base;
  }

  /** Sets `name` to `value`; an empty value deletes the label. */
  set(name: string, value: string): this {
    if (value === "") return this.del(name);
    this.#set.set(name, value);
    this.#del.delete(name);
    return this;
  }

  /** Deletes the named labels. */
  del(...names: string[]): this {
    for (const n of names) {
      this.#set.delete(n);
      this.#del.add(n);
    }
    return this;
  }

  /** The current value of `name` in the pending result, or "". */
  get(name: string): string {
    if (this.#del.has(name)) return "";
    return this.#set.get(name) ?? this.#base.get(name);
  }

  /** Keeps only the named labels. */
  keep(...names: string[]): this {
    const k = new Set(names);
    this.#base.forEach((n) => {
      if (!k.has(n)) this.#del.add(n);
    });
    for (const n of [...this.#set.keys()]) if (!k.has(n)) this.del(n);
    return this;
  }

  /** Calls `fn` for every label of the pending result (unordered). */
  forEach(fn: (name: string, value: string) => void): void {
    this.#base.forEach((n, v) => {
      if (!this.#del.has(n) && !this.#set.has(n)) fn(n, v);
    });
    for (const [n, v] of this.#set) fn(n, v);
  }

  /** Resets to a new base. */
  reset(base: Labels): this {
    this.#base = base;
    this.#set.clear();
    this.#del.clear();
    return this;
  }

  /** The resulting label set. */
  labels(): Labels {
    if (this.#set.size === 0 && this.#del.size === 0) return this.#base;
    const o: Record<string, string> = {};
    this.forEach((n, v) => (o[n] = v));
    return Labels.from(o);
  }
}
