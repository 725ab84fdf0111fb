/**
 * @module core/rules/alerting
 * An alerting rule with Prometheus's state machine: each result series becomes an alert that is pending
 * until it has been active for `for`, then firing; when the series disappears a firing alert stays firing
 * for `keep_firing_for`, then resolves and is kept (inactive) for 15 minutes so Alertmanager sees the
 * resolution; pending alerts that disappear are dropped. Labels and annotations are expanded from
 * templates at each evaluation. The rule writes ALERTS{alertstate} and ALERTS_FOR_STATE samples once its
 * state has been restored after a restart.
 *
 * Times are ms since the epoch; 0 means "never".
 */
import { Labels, METRIC_NAME } from "../model/labels.ts";
import type { TemplateQueryFunc } from "../template/index.ts";
import { tableLink } from "../template/index.ts";
import type { RecordedSample } from "./recording.ts";
import type { RuleConfig } from "./rulefmt.ts";
import type { AlertState, QueryFunc, RuleHealth } from "./types.ts";

/** How long a resolved alert is kept and re-sent (Prometheus's resolvedRetention), ms. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;
/** The alert name label. */
export const ALERT_NAME_LABEL = "alertname";
/** The ALERTS series name. */
export const ALERT_METRIC_NAME = "ALERTS";
/** The ALERTS_FOR_STATE series name. */
export const ALERT_FOR_STATE_METRIC_NAME = "ALERTS_FOR_STATE";

/** One alert of a rule and its timers. */
export interface RuleAlert {
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number;
  resolvedAt: number;
  lastSentAt: number;
  validUntil: number;
  keepFiringSince: number;
  /** Set when the alert was restored from Quiver's state file (skips ALERTS_FOR_STATE restore). */
  fromStateFile?: boolean;
}

/** Context of one evaluation. */
export interface AlertEvalContext {
  query: QueryFunc;
  /** Evaluation time (ms), before query_offset. */
  ts: number;
  queryOffsetMs: number;
  limit: number;
  externalLabels: Record<string, string>;
  externalURL: string;
}

/** An alerting rule with its active alerts. */
export class AlertingRule {
  readonly kind = "alerting" as const;
  health: RuleHealth = "unknown";
  lastError = "";
  evaluationTime = 0;
  lastEvaluation = 0;
  /** Active alerts keyed by label-set key. */
  readonly active = new Map<string, RuleAlert>();
  /** Whether for-state restore is done (ALERTS samples are written only after it). */
  restored = false;

  constructor(readonly cfg: RuleConfig) {}

  /** The alert name. */
  get name(): string {
    return this.cfg.alert!;
  }

  /** `for` in ms. */
  get holdDurationMs(): number {
    return this.cfg.forMs;
  }

  /** The rule's overall state: the most severe state of its alerts. */
  get state(): AlertState {
    let s: AlertState = "inactive";
    for (const a of this.active.values()) {
      if (a.state === "firing") return "firing";
      if (a.state === "pending") s = "pending";
    }
    return s;
  }

  /** Evaluates the rule at `ctx.ts`; returns ALERTS and ALERTS_FOR_STATE samples to append. */
  async eval(ctx: AlertEvalContext): Promise<RecordedSample[]> {
    const qt = ctx.ts - ctx.queryOffsetMs;
    const res = await ctx.query(this.cfg.query, qt);
    const tq: TemplateQueryFunc = async (q) => ctx.query(q, qt);
    const fresh = new Map<string, RuleAlert>();
    for (const smpl of res) {
      const tmplLabels = smpl.labels.toObject();
      const data = { labels: tmplLabels, externalLabels: ctx.externalLabels, externalURL: ctx.externalURL, value: smpl.value };
      const lb = smpl.labels.builder();
      lb.del(METRIC_NAME);
      for (const [k, t] of this.cfg.labelTemplates) lb.set(k, await t.expand(data, tq));
      lb.set(ALERT_NAME_LABEL, this.name);
      const annotations: Record<string, string> = {};
      for (const [k, t] of this.cfg.annotationTemplates) annotations[k] = await t.expand(data, tq);
      const lbs = lb.labels();
      const key = lbs.key();
      if (fresh.has(key)) throw new Error("vector contains metrics with the same labelset after applying alert labels");
      fresh.set(key, {
        labels: lbs, annotations, state: "pending", value: smpl.value, activeAt: ctx.ts,
        firedAt: 0, resolvedAt: 0, lastSentAt: 0, validUntil: 0, keepFiringSince: 0,
      });
    }
    for (const [key, a] of fresh) {
      const cur = this.active.get(key);
      if (cur && cur.state !== "inactive") {
        cur.value = a.value;
        cur.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    const out: RecordedSample[] = [];
    let numActive = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === "firing" && this.cfg.keepFiringForMs > 0) {
          if (a.keepFiringSince === 0) a.keepFiringSince = ctx.ts;
          if (ctx.ts - a.keepFiringSince < this.cfg.keepFiringForMs) keepFiring = true;
        }
        if (!keepFiring) {
          if (a.state === "pending" || (a.resolvedAt !== 0 && ctx.ts - a.resolvedAt > RESOLVED_RETENTION_MS)) this.active.delete(key);
          if (a.state !== "inactive") {
            a.state = "inactive";
            a.resolvedAt = ctx.ts;
          }
          continue;
        }
      } else {
        a.keepFiringSince = 0;
      }
      numActive++;
      if (a.state === "pending" && ctx.ts - a.activeAt >= this.cfg.forMs) {
        a.state = "firing";
        a.firedAt = ctx.ts;
      }
      if (this.restored) {
        out.push(this.alertsSample(a, qt), this.forStateSample(a, qt, Math.floor(a.activeAt / 1000)));
      }
    }
    if (ctx.limit > 0 && numActive > ctx.limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${ctx.limit} with ${numActive} alerts`);
    }
    return out;
  }

  /** The ALERTS sample of an alert. */
  alertsSample(a: RuleAlert, t: number): RecordedSample {
    const b = a.labels.builder();
    b.set(METRIC_NAME, ALERT_METRIC_NAME);
    b.set("alertstate", a.state);
    return { labels: b.labels(), t, v: 1 };
  }

  /** The ALERTS_FOR_STATE sample of an alert (value: activeAt in Unix seconds). */
  forStateSample(a: RuleAlert, t: number, v: number): RecordedSample {
    const b = a.labels.builder();
    b.set(METRIC_NAME, ALERT_FOR_STATE_METRIC_NAME);
    return { labels: b.labels(), t, v };
  }

  /**
   * Alerts due for (re)sending at `ts`: firing alerts not sent within `resendDelayMs`, and resolved ones
   * not sent since resolving. Marks them sent and sets validUntil to ts + 4 × max(resendDelay, interval).
   */
  alertsToSend(ts: number, resendDelayMs: number, intervalMs: number): RuleAlert[] {
    const out: RuleAlert[] = [];
    for (const a of this.active.values()) {
      if (a.state === "pending") continue;
      const due = a.resolvedAt > a.lastSentAt || a.lastSentAt + resendDelayMs < ts;
      if (!due) continue;
      a.lastSentAt = ts;
      a.validUntil = ts + 4 * Math.max(resendDelayMs, intervalMs);
      out.push({ ...a });
    }
    return out;
  }

  /** The generator URL of this rule's alerts. */
  generatorURL(externalURL: string): string {
    return externalURL.replace(/\/$/, "") + tableLink(this.cfg.query);
  }
}
