/**
 * @module core/alerting/inhibit
 * Inhibition: a firing alert matching a rule's source matchers mutes alerts matching its target
 * matchers when they agree on every `equal` label (absent on both counts as equal). An alert matching
 * both sides is never inhibited by itself, as in Alertmanager.
 */
import { Labels } from "../model/labels.ts";
import { matchAll } from "../model/matcher.ts";
import type { StoredAlert } from "./alerts.ts";
import { isResolved } from "./alerts.ts";
import type { InhibitRuleConfig } from "./config.ts";

/** Evaluates inhibit rules against the current alerts. */
export class Inhibitor {
  constructor(private readonly rules: readonly InhibitRuleConfig[], private readonly alerts: () => StoredAlert[], private readonly now: () => number) {}

  /** Fingerprints of the source alerts inhibiting an alert with `labels` (empty: not inhibited). */
  inhibitedBy(labels: Readonly<Record<string, string>>, fp: string): string[] {
    if (this.rules.length === 0) return [];
    const ls = Labels.from(labels);
    const now = this.now();
    const out: string[] = [];
    for (const r of this.rules) {
      if (!matchAll(r.targetMatchers, ls)) continue;
      const twoSided = matchAll(r.sourceMatchers, ls);
      for (const a of this.alerts()) {
        if (a.fingerprint === fp || isResolved(a, now)) continue;
        const al = Labels.from(a.labels);
        if (!matchAll(r.sourceMatchers, al)) continue;
        if (!r.equal.every((n) => (a.labels[n] ?? "") === (labels[n] ?? ""))) continue;
        if (twoSided && matchAll(r.targetMatchers, al)) continue;
        out.push(a.fingerprint);
        break;
      }
    }
    return out;
  }
}
