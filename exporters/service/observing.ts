/**
 * @module exporters/service/observing
 * The shared surface of metrics that take observations (Histogram, Summary): `observe`, `startTimer`
 * and bound children. Subclasses only say how one observation is recorded into their state.
 */
import { type LabelValues, Metric } from "./metric.ts";

/** A bound child of an observing metric. */
export interface ObservingChild {
  observe(value: number): void;
  /** Starts a timer; calling the result observes the elapsed seconds and returns them. */
  startTimer(): () => number;
}

/** Base class of metrics that record observations into per-child state `C`. */
export abstract class ObservingMetric<L extends string, C> extends Metric<L, C> {
  /** Records one observation into a child's state. */
  protected abstract record(s: C, v: number): void;

  /** Observes a value: `observe(3)` or `observe({route: "/"}, 3)`. */
  observe(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === "object") this.record(this.child(labelsOrValue), value as number);
    else this.record(this.child(undefined), labelsOrValue);
  }

  /** Starts a timer; calling the result observes the elapsed seconds (labels merged) and returns them. */
  startTimer(labels?: LabelValues<L>): (endLabels?: LabelValues<L>) => number {
    const start = performance.now();
    return (endLabels) => {
      const secs = (performance.now() - start) / 1000;
      this.record(this.child({ ...(labels ?? {}), ...(endLabels ?? {}) } as LabelValues<L>), secs);
      return secs;
    };
  }

  /** The child for these label values, for hot paths. */
  labels(...values: (string | number)[] | [LabelValues<L>]): ObservingChild {
    const s = this.child(this.positional(values));
    return {
      observe: (v) => this.record(s, v),
      startTimer: () => {
        const start = performance.now();
        return () => {
          const secs = (performance.now() - start) / 1000;
          this.record(s, secs);
          return secs;
        };
      },
    };
  }
}
