/**
 * @module core/rules/recording
 * A recording rule: evaluates its expression and renames the result to the record name, adding its labels.
 * Identical label sets after renaming and exceeding the group limit are errors, as in Prometheus.
 */
import { Labels, METRIC_NAME } from "../model/labels.ts";
import type { RuleConfig } from "./rulefmt.ts";
import type { QueryFunc, RuleHealth, RuleSample } from "./types.ts";

/** A recorded sample ready to append: labels, time (ms) and value. */
export interface RecordedSample {
  labels: Labels;
  t: number;
  v: number;
}

/** A recording rule with its evaluation state. */
export class RecordingRule {
  readonly kind = "recording" as const;
  health: RuleHealth = "unknown";
  lastError = "";
  /** Duration of the last evaluation in seconds. */
  evaluationTime = 0;
  /** Wall time of the last evaluation start (ms), 0 before the first. */
  lastEvaluation = 0;

  constructor(readonly cfg: RuleConfig) {}

  /** The record name. */
  get name(): string {
    return this.cfg.record!;
  }

  /** Labels set by the rule (group labels included). */
  get labels(): Record<string, string> {
    return this.cfg.labels;
  }

  /** Evaluates at `tMs` (already shifted by query_offset). Throws on query errors and limits. */
  async eval(query: QueryFunc, tMs: number, limit: number): Promise<RecordedSample[]> {
    const res: RuleSample[] = await query(this.cfg.query, tMs);
    const seen = new Set<string>();
    const out: RecordedSample[] = [];
    for (const s of res) {
      const b = s.labels.builder();
      b.set(METRIC_NAME, this.name);
      for (const [k, v] of Object.entries(this.cfg.labels)) b.set(k, v);
      const ls = b.labels();
      const key = ls.key();
      if (seen.has(key)) throw new Error("vector contains metrics with the same labelset after applying rule labels");
      seen.add(key);
      out.push({ labels: ls, t: tMs, v: s.value });
    }
    if (limit > 0 && out.length > limit) throw new Error(`exceeded limit of ${limit} with ${out.length} series`);
    return out;
  }
}

export { Labels };
