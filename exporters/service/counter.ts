/**
 * @module exporters/service/counter
 * A monotonically increasing value. Exposed as one sample per child under the metric's own name (by
 * convention ending in `_total`), as prom-client does.
 *
 * Invariant: a counter never decreases except through reset(); inc() with a negative value throws.
 */
import type { ExposedSample } from "../../core/model/metric-family.ts";
import { BadDataError } from "../../core/util/errors.ts";
import { type LabelValues, Metric, type MetricOptions } from "./metric.ts";

interface CounterState {
  value: number;
}

/** A bound child of a counter (from `counter.labels(...)`). */
export interface CounterChild {
  /** Adds `value` (default 1); must be >= 0. */
  inc(value?: number): void;
  /** The current value. */
  get(): number;
}

/**
 * A counter.
 * @example
 * const requests = new Counter({ name: "http_requests_total", help: "Requests.", labelNames: ["code"], registers: [reg] });
 * requests.inc({ code: 200 });
 */
export class Counter<L extends string = string> extends Metric<L, CounterState> {
  readonly type = "counter" as const;

  constructor(opts: MetricOptions<L>) {
    super(opts);
  }

  protected newState(): CounterState {
    return { value: 0 };
  }

  protected samples(labels: Record<string, string>, s: CounterState, out: ExposedSample[]): void {
    out.push({ name: this.name, labels: { ...labels }, value: s.value });
  }

  /** Adds to the counter: `inc()`, `inc(5)`, `inc({code: 200})`, `inc({code: 200}, 5)`. */
  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    const [labels, v] = typeof labelsOrValue === "object" ? [labelsOrValue, value ?? 1] : [undefined, labelsOrValue ?? 1];
    add(this.name, this.child(labels), v);
  }

  /** The child for these label values, for hot paths. */
  labels(...values: (string | number)[] | [LabelValues<L>]): CounterChild {
    const state = this.child(this.positional(values));
    const name = this.name;
    return { inc: (v = 1) => add(name, state, v), get: () => state.value };
  }
}

function add(name: string, s: CounterState, v: number): void {
  if (typeof v !== "number" || Number.isNaN(v)) throw new BadDataError(`counter ${name}: value is not a number`);
  if (v < 0) throw new BadDataError(`counter ${name}: it is not possible to decrease a counter (got ${v})`);
  s.value += v;
}
