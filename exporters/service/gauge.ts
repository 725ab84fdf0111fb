/**
 * @module exporters/service/gauge
 * A value that goes up and down, with timer helpers measuring durations in seconds.
 */
import type { ExposedSample } from "../../core/model/metric-family.ts";
import { BadDataError } from "../../core/util/errors.ts";
import { type LabelValues, Metric, type MetricOptions } from "./metric.ts";

interface GaugeState {
  value: number;
}

/** A bound child of a gauge. */
export interface GaugeChild {
  set(value: number): void;
  inc(value?: number): void;
  dec(value?: number): void;
  /** Sets the gauge to the current Unix time in seconds. */
  setToCurrentTime(): void;
  /** Starts a timer; the returned function sets the gauge to the elapsed seconds and returns them. */
  startTimer(): () => number;
  get(): number;
}

/** Options of a gauge; `now` is an injectable clock in ms (default Date.now). */
export interface GaugeOptions<L extends string> extends MetricOptions<L> {
  now?: () => number;
}

/**
 * A gauge.
 * @example
 * const inflight = new Gauge({ name: "inflight_requests", help: "In-flight requests.", registers: [reg] });
 * inflight.inc(); … inflight.dec();
 */
export class Gauge<L extends string = string> extends Metric<L, GaugeState> {
  readonly type = "gauge" as const;
  private readonly now: () => number;

  constructor(opts: GaugeOptions<L>) {
    super(opts);
    this.now = opts.now ?? Date.now;
  }

  protected newState(): GaugeState {
    return { value: 0 };
  }

  protected samples(labels: Record<string, string>, s: GaugeState, out: ExposedSample[]): void {
    out.push({ name: this.name, labels: { ...labels }, value: s.value });
  }

  /** Sets the value: `set(3)` or `set({code: 200}, 3)`. */
  set(labelsOrValue: LabelValues<L> | number, value?: number): void {
    const [labels, v] = split(labelsOrValue, value, NaN);
    this.child(labels).value = check(this.name, v);
  }

  /** Adds (default 1). */
  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    const [labels, v] = split(labelsOrValue, value, 1);
    this.child(labels).value += check(this.name, v);
  }

  /** Subtracts (default 1). */
  dec(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    const [labels, v] = split(labelsOrValue, value, 1);
    this.child(labels).value -= check(this.name, v);
  }

  /** Sets to the current Unix time in seconds. */
  setToCurrentTime(labels?: LabelValues<L>): void {
    this.child(labels).value = this.now() / 1000;
  }

  /** Starts a timer; calling the result sets the elapsed seconds (with optional extra labels) and returns them. */
  startTimer(labels?: LabelValues<L>): (endLabels?: LabelValues<L>) => number {
    const start = performance.now();
    return (endLabels) => {
      const secs = (performance.now() - start) / 1000;
      this.set({ ...(labels ?? {}), ...(endLabels ?? {}) } as LabelValues<L>, secs);
      return secs;
    };
  }

  /** The child for these label values. */
  labels(...values: (string | number)[] | [LabelValues<L>]): GaugeChild {
    const lv = this.positional(values);
    const s = this.child(lv);
    const name = this.name;
    return {
      set: (v) => void (s.value = check(name, v)),
      inc: (v = 1) => void (s.value += check(name, v)),
      dec: (v = 1) => void (s.value -= check(name, v)),
      setToCurrentTime: () => void (s.value = this.now() / 1000),
      startTimer: () => {
        const start = performance.now();
        return () => (s.value = (performance.now() - start) / 1000);
      },
      get: () => s.value,
    };
  }
}

function split<L extends string>(a: LabelValues<L> | number | undefined, b: number | undefined, dflt: number): [LabelValues<L> | undefined, number] {
  return typeof a === "object" ? [a, b ?? dflt] : [undefined, a ?? dflt];
}

function check(name: string, v: number): number {
  if (typeof v !== "number") throw new BadDataError(`gauge ${name}: value is not a number`);
  return v;
}
