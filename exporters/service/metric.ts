/**
 * @module exporters/service/metric
 * The base of every metric type: validates name, help and label names at construction (so mistakes fail
 * at startup, not at scrape time), keeps one child per label-value combination, and registers the metric
 * with the registries it is given.
 *
 * Invariants: a child's label values are exactly the declared label names (no more, no fewer); children are
 * keyed by their values joined with U+00FF (a byte no valid UTF-8 label value collides on in practice, and
 * collisions only merge series of the same metric).
 */
import type { MetricFamily, MetricType } from "../../core/model/metric-family.ts";
import { BadDataError } from "../../core/util/errors.ts";

/** Label values given to a metric: declared label name → value. Numbers are converted with String(). */
export type LabelValues<L extends string = string> = Partial<Record<L, string | number>>;

/** A registry as seen by a metric: something it can register itself with. */
export interface MetricSink {
  registerMetric(metric: Metric): void;
}

/** Options shared by all metric types. */
export interface MetricOptions<L extends string = string> {
  /** Metric name; must match `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  name: string;
  /** HELP text (required, as in prom-client). */
  help: string;
  /** Declared label names; every observation must give exactly these. */
  labelNames?: readonly L[];
  /**
   * Registries to register with. Omitted: the default registry of `exporters/service/default-registry.ts`
   * (prom-client behaviour). Pass `[]` to register nowhere, as Quiver's own components do.
   */
  registers?: MetricSink[];
  /** Called at scrape time before the metric is read; may update values and may be async. */
  collect?: (this: any) => void | Promise<void>;
  /** OpenMetrics unit (without the leading underscore), e.g. "seconds". */
  unit?: string;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `name` is a valid metric name. */
export function isValidMetricName(name: string): boolean {
  return NAME_RE.test(name);
}

/** Whether `name` is a valid label name (names starting with `__` are reserved). */
export function isValidLabelName(name: string): boolean {
  return LABEL_RE.test(name) && !name.startsWith("__");
}

/** Hook set by the default-registry module so constructors without `registers` find it lazily. */
let defaultSinkProvider: (() => MetricSink) | null = null;

/** Installs the provider of the default registry (called once by default-registry.ts). */
export function setDefaultSinkProvider(fn: () => MetricSink): void {
  defaultSinkProvider = fn;
}

/** Base class of Counter, Gauge, Histogram and Summary. `C` is the per-child state. */
export abstract class Metric<L extends string = string, C = unknown> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly unit: string | undefined;
  abstract readonly type: MetricType;
  protected readonly children = new Map<string, { labels: Record<string, string>; state: C }>();
  private readonly collectFn: MetricOptions<L>["collect"];

  constructor(opts: MetricOptions<L>, reservedLabels: readonly string[] = []) {
    if (!opts || typeof opts.name !== "string" || !isValidMetricName(opts.name)) {
      throw new BadDataError(`invalid metric name ${JSON.stringify(opts?.name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
    }
    if (typeof opts.help !== "string" || opts.help === "") {
      throw new BadDataError(`metric ${opts.name}: help text is required`);
    }
    const names = [...(opts.labelNames ?? [])];
    const seen = new Set<string>();
    for (const l of names) {
      if (!isValidLabelName(l)) throw new BadDataError(`metric ${opts.name}: invalid label name ${JSON.stringify(l)}`);
      if (reservedLabels.includes(l)) throw new BadDataError(`metric ${opts.name}: label name ${JSON.stringify(l)} is reserved for this metric type`);
      if (seen.has(l)) throw new BadDataError(`metric ${opts.name}: duplicate label name ${JSON.stringify(l)}`);
      seen.add(l);
    }
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = names;
    this.unit = opts.unit;
    this.collectFn = opts.collect;
    const sinks = opts.registers ?? (defaultSinkProvider ? [defaultSinkProvider()] : []);
    for (const r of sinks) r.registerMetric(this as unknown as Metric);
  }

  /** Creates the state of a new child. */
  protected abstract newState(): C;
  /** Appends the samples of one child to `out`. */
  protected abstract samples(labels: Record<string, string>, state: C, out: MetricFamily["samples"]): void;

  /** Returns (creating on first use) the child for `values`; validates them against the declared names. */
  protected child(values: LabelValues<L> | undefined): C {
    const labels: Record<string, string> = {};
    let key = "";
    const given = values ?? {};
    let n = 0;
    for (const name of this.labelNames) {
      const v = (given as Record<string, string | number | undefined>)[name];
      if (v === undefined) throw new BadDataError(`metric ${this.name}: missing value for label ${JSON.stringify(name)}`);
      const s = String(v);
      labels[name] = s;
      key += s + "\xff";
      n++;
    }
    for (const k of Object.keys(given)) {
      if (!this.labelNames.includes(k as L)) throw new BadDataError(`metric ${this.name}: label ${JSON.stringify(k)} was not declared in labelNames`);
    }
    void n;
    let c = this.children.get(key);
    if (!c) {
      c = { labels, state: this.newState() };
      this.children.set(key, c);
    }
    return c.state;
  }

  /** Converts positional label values (prom-client's `labels("a", "b")`) to an object. */
  protected positional(values: (string | number)[] | [LabelValues<L>]): LabelValues<L> {
    if (values.length === 1 && typeof values[0] === "object") return values[0] as LabelValues<L>;
    if (values.length !== this.labelNames.length) {
      throw new BadDataError(`metric ${this.name}: got ${values.length} label values for ${this.labelNames.length} label names`);
    }
    const out: Record<string, string | number> = {};
    this.labelNames.forEach((n, i) => (out[n] = values[i] as string | number));
    return out as LabelValues<L>;
  }

  /** Removes the child with these label values (positional or as an object). */
  remove(...values: (string | number)[] | [LabelValues<L>]): void {
    const obj = this.positional(values) as Record<string, string | number>;
    const key = this.labelNames.map((n) => String(obj[n]) + "\xff").join("");
    this.children.delete(key);
  }

  /** Drops all children (values reset; unlabelled metrics start again from zero). */
  reset(): void {
    this.children.clear();
  }

  /** Runs the collect callback, then returns the metric as a family (values copied at call time). */
  async get(): Promise<MetricFamily> {
    if (this.collectFn) await this.collectFn.call(this);
    const fam: MetricFamily = { name: this.name, type: this.type, help: this.help, samples: [] };
    if (this.unit) fam.unit = this.unit;
    if (this.labelNames.length === 0 && this.children.size === 0) this.child(undefined);
    for (const { labels, state } of this.children.values()) this.samples(labels, state, fam.samples);
    return fam;
  }
}
