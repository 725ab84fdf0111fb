/**
 * @module core/rules/group
 * A rule group: its rules evaluated one after another at each tick, aligned as Prometheus aligns them
 * (evaluation times are `offset + k × interval`, the offset a hash of file and name, so groups spread
 * over the interval and restarts keep the same phase). Recording results and ALERTS series are appended
 * in one batch per rule; a series returned by the previous evaluation but not this one gets a staleness
 * marker. Slow groups skip missed ticks and count them (prometheus_rule_group_iterations_missed_total).
 *
 * Invariant: at most one evaluation of a group runs at a time; the next tick is scheduled after the
 * current one finishes.
 */
import type { Alert } from "../model/alert.ts";
import { fingerprint } from "../model/fingerprint.ts";
import { Labels } from "../model/labels.ts";
import { STALE_NAN } from "../model/value.ts";
import type { Logger } from "../log/logger.ts";
import type { Appendable, Queryable } from "../storage/interface.ts";
import { DuplicateSampleError, OutOfOrderSampleError } from "../storage/errors.ts";
import { errorMessage } from "../util/errors.ts";
import { AlertingRule, type RuleAlert } from "./alerting.ts";
import type { RuleMetrics } from "./metrics.ts";
import { RecordingRule, type RecordedSample } from "./recording.ts";
import { restoreForState } from "./restore.ts";
import type { RuleGroupConfig } from "./rulefmt.ts";
import type { Clock, QueryFunc } from "./types.ts";

/** A rule of either kind. */
export type Rule = RecordingRule | AlertingRule;

/** Dependencies and settings a group needs (supplied by the RuleManager). */
export interface GroupOptions {
  queryFunc: QueryFunc;
  appendable: Appendable;
  queryable?: Queryable;
  notify: (alerts: Alert[]) => void;
  logger: Logger;
  clock: Clock;
  metrics: RuleMetrics;
  externalLabels: Record<string, string>;
  externalURL: string;
  /** Minimum time between re-sends of a firing alert (--rules.alert.resend-delay), ms. */
  resendDelayMs: number;
  /** --rules.alert.for-outage-tolerance, ms. */
  outageToleranceMs: number;
  /** --rules.alert.for-grace-period, ms. */
  forGracePeriodMs: number;
  /** Called after each evaluation (the manager persists alert state). */
  onEvaluated?: (g: Group) => void;
}

/** FNV-1a 32-bit hash, for the evaluation offset. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A running rule group. */
export class Group {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly queryOffsetMs: number;
  readonly limit: number;
  readonly rules: Rule[];
  /** Duration of the last evaluation, seconds. */
  evaluationTime = 0;
  /** Wall time of the last evaluation start, ms (0 = never). */
  lastEvaluation = 0;
  /** Aligned timestamp of the last evaluation, ms. */
  lastEvalTimestamp = 0;
  /** Whether for-state must be restored after the first evaluation. */
  shouldRestore = true;
  private prevSeries: Array<Map<string, Labels>>;
  private cancelTimer: (() => void) | null = null;
  private running = false;
  private inflight: Promise<void> | null = null;

  constructor(readonly cfg: RuleGroupConfig, intervalMs: number, readonly opts: GroupOptions) {
    this.name = cfg.name;
    this.file = cfg.file;
    this.intervalMs = cfg.intervalMs ?? intervalMs;
    this.queryOffsetMs = cfg.queryOffsetMs ?? 0;
    this.limit = cfg.limit;
    this.rules = cfg.rules.map((r) => (r.record !== undefined ? new RecordingRule(r) : new AlertingRule(r)));
    this.prevSeries = this.rules.map(() => new Map());
    opts.metrics.groupInterval.set({ rule_group: this.key }, this.intervalMs / 1000);
    opts.metrics.groupRules.set({ rule_group: this.key }, this.rules.length);
  }

  /** The group key `file;name` (Prometheus's GroupKey), used as the rule_group label. */
  get key(): string {
    return `${this.file};${this.name}`;
  }

  /** The aligned evaluation timestamp at or before `nowMs`. */
  evalTimestamp(nowMs: number): number {
    const offset = hash32(this.key) % this.intervalMs;
    const adj = nowMs - offset;
    return adj - (((adj % this.intervalMs) + this.intervalMs) % this.intervalMs) + offset;
  }

  /** Starts the evaluation loop: the first evaluation at the next aligned tick. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const next = this.evalTimestamp(this.opts.clock.now()) + this.intervalMs;
    this.schedule(next);
  }

  private schedule(evalTs: number): void {
    if (!this.running) return;
    this.cancelTimer = this.opts.clock.setTimer(() => {
      this.cancelTimer = null;
      this.inflight = this.tick(evalTs).finally(() => {
        this.inflight = null;
      });
    }, evalTs - this.opts.clock.now());
  }

  private async tick(evalTs: number): Promise<void> {
    if (!this.running) return;
    await this.iterate(evalTs);
    // As Prometheus: when the evaluation outlasted ticks, the latest passed tick runs at once and the
    // ones before it count as missed; otherwise wait for the next tick.
    const k = Math.floor((this.opts.clock.now() - evalTs) / this.intervalMs);
    const missed = Math.max(0, k - 1);
    if (missed > 0) {
      this.opts.metrics.iterationsMissed.inc({ rule_group: this.key }, missed);
      this.opts.metrics.iterationsScheduled.inc({ rule_group: this.key }, missed);
    }
    this.schedule(evalTs + Math.max(1, k) * this.intervalMs);
  }

  /**
   * Runs one iteration at the aligned time `evalTs` (ms): evaluates, records metrics and restores
   * for-state after the first evaluation. Used by the loop and directly by tests.
   */
  async iterate(evalTs: number): Promise<void> {
    const m = this.opts.metrics;
    m.iterationsScheduled.inc({ rule_group: this.key });
    const start = this.opts.clock.now();
    const t0 = performance.now();
    await this.eval(evalTs);
    const dur = (performance.now() - t0) / 1000;
    m.groupDuration.observe(dur);
    this.evaluationTime = dur;
    this.lastEvaluation = start;
    this.lastEvalTimestamp = evalTs;
    m.lastDuration.set({ rule_group: this.key }, dur);
    m.lastEvalTimestamp.set({ rule_group: this.key }, start / 1000);
    if (this.shouldRestore) {
      this.shouldRestore = false;
      await restoreForState(this, this.opts.clock.now());
    }
    this.opts.onEvaluated?.(this);
  }

  /** Evaluates every rule once at `ts` (ms), sequentially. */
  async eval(ts: number): Promise<void> {
    const m = this.opts.metrics;
    let samplesTotal = 0;
    let ruleDurSum = 0;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      const t0 = performance.now();
      m.evalTotal.inc({ rule_group: this.key });
      let vector: RecordedSample[];
      try {
        vector = rule.kind === "recording"
          ? await rule.eval(this.opts.queryFunc, ts - this.queryOffsetMs, this.limit)
          : await rule.eval({
            query: this.opts.queryFunc, ts, queryOffsetMs: this.queryOffsetMs, limit: this.limit,
            externalLabels: this.opts.externalLabels, externalURL: this.opts.externalURL,
          });
      } catch (e) {
        rule.health = "err";
        rule.lastError = errorMessage(e);
        m.evalFailures.inc({ rule_group: this.key });
        this.opts.logger.warn("Evaluating rule failed", { group: this.name, file: this.file, rule: rule.name, err: rule.lastError });
        this.finishRule(rule, t0, ts);
        ruleDurSum += rule.evaluationTime;
        continue;
      }
      rule.health = "ok";
      rule.lastError = "";
      if (rule.kind === "alerting") this.sendAlerts(rule, ts);
      samplesTotal += vector.length;
      await this.append(i, rule, vector, ts - this.queryOffsetMs);
      this.finishRule(rule, t0, ts);
      ruleDurSum += rule.evaluationTime;
    }
    m.lastEvalSamples.set({ rule_group: this.key }, samplesTotal);
    m.lastRuleDurationSum.set({ rule_group: this.key }, ruleDurSum);
  }

  private finishRule(rule: Rule, t0: number, _ts: number): void {
    rule.evaluationTime = (performance.now() - t0) / 1000;
    rule.lastEvaluation = this.opts.clock.now();
    this.opts.metrics.evalDuration.observe(rule.evaluationTime);
  }

  private async append(i: number, rule: Rule, vector: RecordedSample[], staleTs: number): Promise<void> {
    const app = this.opts.appendable.appender();
    const returned = new Map<string, Labels>();
    let outOfOrder = 0, duplicates = 0;
    for (const s of vector) {
      try {
        app.append(0, s.labels, s.t, s.v);
        returned.set(s.labels.key(), s.labels);
      } catch (e) {
        rule.health = "err";
        rule.lastError = errorMessage(e);
        if (e instanceof OutOfOrderSampleError) outOfOrder++;
        else if (e instanceof DuplicateSampleError) duplicates++;
      }
    }
    if (outOfOrder) this.opts.logger.warn("Error on ingesting out-of-order result from rule evaluation", { group: this.name, num_dropped: outOfOrder });
    if (duplicates) this.opts.logger.warn("Error on ingesting results from rule evaluation with different value but same timestamp", { group: this.name, num_dropped: duplicates });
    for (const [key, ls] of this.prevSeries[i]!) {
      if (returned.has(key)) continue;
      try {
        if (app.appendStale) app.appendStale(0, ls, staleTs);
        else app.append(0, ls, staleTs, STALE_NAN);
      } catch (e) {
        if (!(e instanceof OutOfOrderSampleError) && !(e instanceof DuplicateSampleError)) {
          this.opts.logger.warn("Adding stale sample failed", { group: this.name, err: errorMessage(e) });
        }
      }
    }
    try {
      await app.commit();
    } catch (e) {
      this.opts.logger.warn("Rule sample appending failed", { group: this.name, err: errorMessage(e) });
    }
    this.prevSeries[i] = returned;
  }

  /** Sends the alerts of `rule` that are due, with external labels added and as Alertmanager alerts. */
  private sendAlerts(rule: AlertingRule, ts: number): void {
    const due = rule.alertsToSend(ts, this.opts.resendDelayMs, this.intervalMs);
    if (due.length === 0) return;
    const gen = rule.generatorURL(this.opts.externalURL);
    this.opts.notify(due.map((a) => toNotifierAlert(a, gen, this.opts.externalLabels)));
  }

  /** Stops the loop; with `markStale`, appends staleness markers for every series of the last evaluation. */
  async stop(markStale = false): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.inflight) await this.inflight;
    if (!markStale) return;
    const ts = this.lastEvalTimestamp - this.queryOffsetMs;
    if (!this.lastEvalTimestamp) return;
    const app = this.opts.appendable.appender();
    for (const prev of this.prevSeries) {
      for (const ls of prev.values()) {
        try {
          if (app.appendStale) app.appendStale(0, ls, ts);
          else app.append(0, ls, ts, STALE_NAN);
        } catch {
          // Out of order / duplicate: another rule owns the series now.
        }
      }
    }
    await app.commit().catch(() => undefined);
    this.opts.metrics.removeGroup(this.key);
  }

  /** Copies evaluation state from the group this one replaces (same file and name) on reload. */
  copyState(old: Group): void {
    this.evaluationTime = old.evaluationTime;
    this.lastEvaluation = old.lastEvaluation;
    this.lastEvalTimestamp = old.lastEvalTimestamp;
    const byKey = new Map<string, number[]>();
    old.rules.forEach((r, i) => {
      const k = ruleKey(r);
      byKey.set(k, [...(byKey.get(k) ?? []), i]);
    });
    this.rules.forEach((r, i) => {
      const idx = byKey.get(ruleKey(r));
      if (!idx || idx.length === 0) return;
      const j = idx.shift()!;
      const o = old.rules[j]!;
      this.prevSeries[i] = old.prevSeries[j]!;
      r.health = o.health;
      r.lastError = o.lastError;
      r.evaluationTime = o.evaluationTime;
      r.lastEvaluation = o.lastEvaluation;
      if (r.kind === "alerting" && o.kind === "alerting") {
        for (const [k, a] of o.active) r.active.set(k, a);
        r.restored = o.restored;
      }
    });
    this.shouldRestore = false;
    for (const r of this.rules) if (r.kind === "alerting") r.restored = true;
  }
}

function ruleKey(r: Rule): string {
  return `${r.kind}\xff${r.name}\xff${Labels.from(r.cfg.labels).key()}\xff${r.cfg.query}`;
}

/** Converts a rule alert into the Alertmanager alert the notifier sends (external labels added). */
export function toNotifierAlert(a: RuleAlert, generatorURL: string, externalLabels: Record<string, string>): Alert {
  const labels = a.labels.toObject();
  for (const [k, v] of Object.entries(externalLabels)) if (!labels[k]) labels[k] = v;
  return {
    labels,
    annotations: { ...a.annotations },
    startsAt: a.firedAt,
    endsAt: a.resolvedAt !== 0 ? a.resolvedAt : a.validUntil,
    generatorURL,
    fingerprint: fingerprint(labels),
  };
}
