/** Test helpers for rules and alerting: a fake clock with timers, and a scriptable query function. */
import { Labels } from "../../../core/model/labels.ts";
import type { Clock, RuleSample } from "../../../core/rules/index.ts";

/** A manual clock: `advance(ms)` runs due timers in time order. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.seq;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }
  /** Advances time, running timers (and awaiting microtasks between them). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** A query function answering from a table of query → samples, changeable between evaluations. */
export function scriptedQuery(): { fn: (q: string, t: number) => Promise<RuleSample[]>; set(q: string, rows: Array<[Record<string, string>, number]>): void; calls: Array<[string, number]> } {
  const table = new Map<string, RuleSample[]>();
  const calls: Array<[string, number]> = [];
  return {
    calls,
    fn: async (q, t) => {
      calls.push([q, t]);
      const r = table.get(q);
      if (!r) throw new Error(`unexpected query ${q}`);
      return r;
    },
    set(q, rows) {
      table.set(q, rows.map(([l, v]) => ({ labels: Labels.from(l), value: v })));
    },
  };
}
