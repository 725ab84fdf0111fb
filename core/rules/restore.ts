/**
 * @module core/rules/restore
 * Restores the `for` state of alerting rules after a restart, as Prometheus does: for each alert active
 * after the first evaluation, the last ALERTS_FOR_STATE sample within the outage tolerance gives the
 * original activeAt; the time the server was down is added to it so the alert does not fire earlier than
 * it would have, and an alert that was pending is given at least the grace period. Rules whose `for` is
 * shorter than the grace period are not restored (they would wait longer than `for` otherwise).
 *
 * Alerts already restored from Quiver's own state file (state-file.ts) are skipped.
 */
import { newMatcher } from "../model/matcher.ts";
import { METRIC_NAME } from "../model/labels.ts";
import { isStaleAt } from "../model/value.ts";
import { errorMessage } from "../util/errors.ts";
import { ALERT_FOR_STATE_METRIC_NAME } from "./alerting.ts";
import type { Group } from "./group.ts";

/** Restores for-state of the group's alerting rules at `nowMs`; marks every alerting rule restored. */
export async function restoreForState(g: Group, nowMs: number): Promise<void> {
  const alerting = g.rules.filter((r) => r.kind === "alerting");
  const q = g.opts.queryable;
  if (!q) {
    for (const r of alerting) r.restored = true;
    return;
  }
  const mint = nowMs - g.opts.outageToleranceMs;
  let querier;
  try {
    querier = await q.querier(mint, nowMs);
  } catch (e) {
    g.opts.logger.error("Failed to get Querier", { err: errorMessage(e) });
    for (const r of alerting) r.restored = true;
    return;
  }
  try {
    for (const rule of alerting) {
      if (rule.restored) continue;
      const hold = rule.holdDurationMs;
      if (hold < g.opts.forGracePeriodMs) {
        rule.restored = true;
        continue;
      }
      for (const a of rule.active.values()) {
        if (a.fromStateFile) continue;
        const matchers = [newMatcher("=", METRIC_NAME, ALERT_FOR_STATE_METRIC_NAME)];
        a.labels.forEach((n, v) => matchers.push(newMatcher("=", n, v)));
        let set;
        try {
          set = await querier.select(matchers, { start: mint, end: nowMs });
        } catch (e) {
          g.opts.logger.error("Failed to restore 'for' state", { alertname: rule.name, err: errorMessage(e) });
          continue;
        }
        const s = set.series.find((x) => x.labels.size === matchers.length);
        if (!s || s.timestamps.length === 0) continue;
        const n = s.timestamps.length - 1;
        const t = s.timestamps[n]!;
        const v = s.values[n]!;
        if (isStaleAt(s.values, n)) continue;
        const downAt = Math.floor(t / 1000) * 1000;
        let restoredActiveAt = Math.trunc(v) * 1000;
        const spentPending = downAt - restoredActiveAt;
        const remaining = hold - spentPending;
        if (remaining <= 0) {
          // It was firing when the server went down; the next evaluation fires it again if still true.
        } else if (remaining < g.opts.forGracePeriodMs) {
          restoredActiveAt = nowMs + g.opts.forGracePeriodMs - hold;
        } else {
          restoredActiveAt += nowMs - downAt;
        }
        a.activeAt = restoredActiveAt;
      }
      rule.restored = true;
    }
  } finally {
    querier.close();
  }
}
