/**
 * @module core/alerting/dispatch
 * The dispatcher: routes every alert put into the store to its routes' aggregation groups. A new group
 * flushes after group_wait (at once when its first alert started more than group_wait ago), then every
 * group_interval; each flush runs the notification pipeline with the group's current alerts. Resolved
 * alerts that were delivered are removed from the group, and an empty group is destroyed.
 *
 * Invariants: one flush per group at a time; timers come from the injected clock.
 */
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../rules/types.ts";
import { errorMessage } from "../util/errors.ts";
import type { AlertStore, StoredAlert } from "./alerts.ts";
import { isResolved } from "./alerts.ts";
import { groupLabels, labelSetString, matchRoutes, type Route } from "./route.ts";

/** One aggregation group. */
export class AggrGroup {
  readonly alerts = new Map<string, StoredAlert>();
  hasFlushed = false;
  /** Rendered route labels (set at the first flush when the route has labels). */
  routeLabels: Record<string, string> | undefined;
  private cancel: (() => void) | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly key: string,
    readonly route: Route,
    readonly labels: Record<string, string>,
    private readonly clock: Clock,
    private readonly onFlush: (g: AggrGroup, alerts: StoredAlert[]) => Promise<boolean>,
    private readonly onEmpty: (g: AggrGroup) => void,
    private readonly logger: Logger,
  ) {
    this.schedule(route.cfg.groupWaitMs);
  }

  private schedule(ms: number): void {
    this.cancel?.();
    this.cancel = this.clock.setTimer(() => {
      this.cancel = null;
      void this.run();
    }, ms);
  }

  /** Adds or replaces an alert; triggers an immediate flush when its group_wait already passed. */
  insert(a: StoredAlert): void {
    this.alerts.set(a.fingerprint, a);
    if (!this.hasFlushed && a.startsAt + this.route.cfg.groupWaitMs < this.clock.now() && !this.flushing) this.schedule(0);
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    this.schedule(this.route.cfg.groupIntervalMs);
    // A flush still running (slow channel) when the next tick comes: skip this tick, keep the timer.
    if (this.flushing) return;
    this.hasFlushed = true;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const now = this.clock.now();
    const snapshot = [...this.alerts.values()].sort(compareAlerts);
    if (snapshot.length === 0) return;
    let ok = false;
    try {
      ok = await this.onFlush(this, snapshot);
    } catch (e) {
      this.logger.error("Flush failed", { aggrGroup: this.key, err: errorMessage(e) });
    }
    if (!ok) return;
    for (const a of snapshot) {
      if (!isResolved(a, now)) continue;
      if (this.alerts.get(a.fingerprint) === a) this.alerts.delete(a.fingerprint);
    }
    if (this.alerts.size === 0) {
      this.stop();
      this.onEmpty(this);
    }
  }

  /** Stops the group's timer. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = null;
  }

  /** Resolves when the current flush (if any) is done. */
  async idle(): Promise<void> {
    if (this.flushing) await this.flushing;
  }
}

/** Alertmanager's alert order in a notification: by job, instance, then the full label set. */
export function compareAlerts(a: StoredAlert, b: StoredAlert): number {
  for (const k of ["job", "instance"]) {
    const x = a.labels[k] ?? "", y = b.labels[k] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  const s = labelSetString(a.labels), t = labelSetString(b.labels);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** Routes alerts into aggregation groups. */
export class Dispatcher {
  readonly groups = new Map<string, AggrGroup>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly route: Route,
    private readonly store: AlertStore,
    private readonly clock: Clock,
    private readonly flush: (g: AggrGroup, alerts: StoredAlert[]) => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  /** Starts routing: existing alerts first, then every put. */
  start(): void {
    for (const a of this.store.list()) this.process(a);
    this.unsubscribe = this.store.subscribe((a) => this.process(a));
  }

  /** Stops routing and all group timers. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const g of this.groups.values()) g.stop();
    this.groups.clear();
  }

  private process(a: StoredAlert): void {
    for (const r of matchRoutes(this.route, a.labels)) {
      const gl = groupLabels(r, a.labels);
      const key = `${r.key}:${labelSetString(gl)}`;
      let g = this.groups.get(key);
      if (!g) {
        if (isResolved(a, this.clock.now())) continue;
        g = new AggrGroup(key, r, gl, this.clock, this.flush, (x) => {
          if (this.groups.get(x.key) === x) this.groups.delete(x.key);
        }, this.logger);
        this.groups.set(key, g);
      }
      g.insert(a);
    }
  }

  /** Waits until no group is flushing (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.idle()));
  }
}
