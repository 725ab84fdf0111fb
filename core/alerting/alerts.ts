/**
 * @module core/alerting/alerts
 * The alert store (Alertmanager's provider): alerts keyed by fingerprint, merged on update with
 * Alertmanager's rules (earliest startsAt wins; an explicit endsAt beats a resolve-timeout one), and
 * listeners notified of every put. Resolved alerts are garbage-collected after they were resolved for
 * the retention period. Identical alerts from two HA Prometheus replicas (same labels, hence same
 * fingerprint) merge into one, which is what deduplicates them.
 */
import type { Alert } from "../model/alert.ts";
import { fingerprint } from "../model/fingerprint.ts";

/** An alert as the store keeps it. Times in ms. */
export interface StoredAlert extends Alert {
  /** Last time the alert was received or changed (ms). */
  updatedAt: number;
  /** Whether endsAt was set from resolve_timeout rather than by the sender. */
  timeout: boolean;
}

/** Whether the alert is resolved at `now` (ms). */
export function isResolved(a: Alert, now: number): boolean {
  return a.endsAt !== 0 && a.endsAt <= now;
}

function merge(a: StoredAlert, o: StoredAlert, now: number): StoredAlert {
  if (o.updatedAt < a.updatedAt) return merge(o, a, now);
  const res = { ...o };
  if (a.startsAt < o.startsAt) res.startsAt = a.startsAt;
  if (isResolved(o, now)) {
    if (isResolved(a, now) && a.endsAt > o.endsAt) res.endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    res.endsAt = a.endsAt;
  }
  return res;
}

/** The alert store. */
export class AlertStore {
  private readonly alerts = new Map<string, StoredAlert>();
  private readonly listeners = new Set<(a: StoredAlert) => void>();

  constructor(private readonly now: () => number) {}

  /** Adds or merges alerts; listeners see the merged result. */
  put(...alerts: StoredAlert[]): void {
    for (let a of alerts) {
      if (!a.fingerprint) a = { ...a, fingerprint: fingerprint(a.labels) };
      const old = this.alerts.get(a.fingerprint);
      if (old && ((a.endsAt > old.startsAt && a.endsAt < old.endsAt) || (a.startsAt > old.startsAt && a.startsAt < old.endsAt))) {
        a = merge(old, a, this.now());
      }
      this.alerts.set(a.fingerprint, a);
      for (const l of this.listeners) l(a);
    }
  }

  /** The alert with this fingerprint. */
  get(fp: string): StoredAlert | undefined {
    return this.alerts.get(fp);
  }

  /** All alerts (any state). */
  list(): StoredAlert[] {
    return [...this.alerts.values()];
  }

  /** Subscribes to puts; returns an unsubscribe function. */
  subscribe(fn: (a: StoredAlert) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Removes alerts resolved before `before` (ms); returns their fingerprints. */
  gc(before: number): string[] {
    const out: string[] = [];
    for (const [fp, a] of this.alerts) {
      if (a.endsAt !== 0 && a.endsAt < before) {
        this.alerts.delete(fp);
        out.push(fp);
      }
    }
    return out;
  }
}
