/**
 * @module core/rules/manager
 * The rule manager: loads rule files (globs from `rule_files`), validates them strictly, runs one
 * evaluation loop per group, and on reload replaces groups while keeping the state of unchanged ones (a
 * group is matched by file and name, rules by kind, name, labels and query). A reload with a broken file
 * fails as a whole and leaves the running groups untouched.
 *
 * Dependencies come in through {@link RuleManagerOptions}: the query function, storage interfaces, the
 * notify callback (Quiver's in-process Alertmanager and/or the external-Alertmanager sender), logger,
 * clock and registry. The PromQL engine and parser are injected by the composition root.
 */
import type { Alert } from "../model/alert.ts";
import { expandGlob } from "../config/glob.ts";
import type { Logger } from "../log/logger.ts";
import { nopLogger } from "../log/logger.ts";
import type { Appendable, Queryable } from "../storage/interface.ts";
import type { Registry } from "../../exporters/service/index.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import type { AlertingRule, RuleAlert } from "./alerting.ts";
import { Group, type Rule } from "./group.ts";
import { RuleMetrics } from "./metrics.ts";
import { loadRuleFile, type ExprChecker, type NameValidation, type RuleGroupConfig } from "./rulefmt.ts";
import { applyState, readState, snapshotState, writeAtomic } from "./state-file.ts";
import { SYSTEM_CLOCK, type Clock, type QueryFunc } from "./types.ts";
import { RuleTemplate } from "../template/index.ts";
import { ruleGroupViews } from "./api.ts";

/** Default --rules.alert.resend-delay, ms. */
export const DEFAULT_RESEND_DELAY_MS = 60_000;
/** Default --rules.alert.for-outage-tolerance, ms. */
export const DEFAULT_OUTAGE_TOLERANCE_MS = 3_600_000;
/** Default --rules.alert.for-grace-period, ms. */
export const DEFAULT_FOR_GRACE_PERIOD_MS = 600_000;
/** Default evaluation_interval, ms. */
export const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;

/** Options of {@link RuleManager}. */
export interface RuleManagerOptions {
  /** Instant query at a time (ms). */
  queryFunc: QueryFunc;
  /** Where recording results and ALERTS / ALERTS_FOR_STATE samples go. */
  appendable: Appendable;
  /** For ALERTS_FOR_STATE restore; without it, for-state is not restored from storage. */
  queryable?: Queryable;
  /** Receives alerts due for sending (Alertmanager alert shape, external labels added). */
  notify: (alerts: Alert[]) => void;
  logger?: Logger;
  clock?: Clock;
  registry?: Registry;
  externalLabels?: Record<string, string>;
  /** --web.external-url. */
  externalURL?: string;
  /** PromQL validator/printer (the lead passes `(q) => formatExpr(parseExpr(q))`). */
  checkExpr?: ExprChecker;
  nameValidation?: NameValidation;
  resendDelayMs?: number;
  outageToleranceMs?: number;
  forGracePeriodMs?: number;
  /** File keeping alert state across restarts (e.g. `<storage.path>/rules/alert-state.json`). */
  stateFile?: string;
}

/** Runs and reloads rule groups. */
export class RuleManager {
  readonly metrics: RuleMetrics;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private current: Group[] = [];
  private started = false;
  private firstLoad = true;
  private externalLabels: Record<string, string>;
  private externalURL: string;
  private lastSaved = "";

  constructor(private readonly opts: RuleManagerOptions) {
    this.logger = (opts.logger ?? nopLogger).child({ component: "rule manager" });
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.metrics = new RuleMetrics(opts.registry);
    this.externalLabels = opts.externalLabels ?? {};
    this.externalURL = opts.externalURL ?? "http://localhost:9090";
  }

  /**
   * Expands `patterns` (absolute globs) and parses every file. Throws ConfigError naming the file,
   * group, rule and reason of every problem; loads nothing on error.
   */
  loadGroups(patterns: readonly string[]): RuleGroupConfig[] {
    const out: RuleGroupConfig[] = [];
    const errs: string[] = [];
    for (const p of patterns) {
      let files: string[];
      try {
        files = expandGlob(p, "/");
      } catch (e) {
        errs.push(`${p}: ${errorMessage(e)}`);
        continue;
      }
      for (const f of files) {
        try {
          out.push(...loadRuleFile(f, { checkExpr: this.opts.checkExpr, nameValidation: this.opts.nameValidation }));
        } catch (e) {
          errs.push(errorMessage(e));
        }
      }
    }
    if (errs.length) throw new ConfigError(errs.join("\n"));
    return out;
  }

  /**
   * Loads the rule files and replaces the running groups. Unchanged groups keep their state; removed
   * groups stop and mark their series stale. Throws ConfigError (running groups untouched).
   * @param evaluationIntervalMs global.evaluation_interval.
   * @param settings external labels and URL (--web.external-url), and global.rule_query_offset (ms), the
   *   default query_offset of groups that set none.
   */
  async update(patterns: readonly string[], evaluationIntervalMs = DEFAULT_EVALUATION_INTERVAL_MS, settings: { externalLabels?: Record<string, string>; externalURL?: string; ruleQueryOffsetMs?: number } = {}): Promise<void> {
    const cfgs = this.loadGroups(patterns).map((c) => (c.queryOffsetMs === undefined && settings.ruleQueryOffsetMs ? { ...c, queryOffsetMs: settings.ruleQueryOffsetMs } : c));
    if (settings.externalLabels) this.externalLabels = settings.externalLabels;
    if (settings.externalURL) this.externalURL = settings.externalURL;
    const next = cfgs.map((c) => new Group(withGroupLabels(c), evaluationIntervalMs, this.groupOptions()));
    const old = new Map(this.current.map((g) => [g.key, g]));
    for (const g of next) {
      const o = old.get(g.key);
      if (o) {
        await o.stop(false);
        g.copyState(o);
        old.delete(g.key);
      }
    }
    for (const o of old.values()) await o.stop(true);
    if (!this.firstLoad) {
      // As Prometheus: for-state is restored only for the groups of the first load; groups added by a
      // reload start restored (they write ALERTS from their first evaluation).
      for (const g of next) {
        if (!g.shouldRestore) continue;
        g.shouldRestore = false;
        for (const r of g.rules) if (r.kind === "alerting") r.restored = true;
      }
    }
    if (this.firstLoad && this.opts.stateFile) {
      try {
        const st = readState(this.opts.stateFile);
        if (st) {
          const n = applyState(st, next, this.clock.now(), this.opts.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS);
          if (n) this.logger.info("Restored alert state", { file: this.opts.stateFile, alerts: n });
        }
      } catch (e) {
        this.logger.warn("Ignoring unreadable alert state file", { file: this.opts.stateFile, err: errorMessage(e) });
      }
    }
    this.firstLoad = false;
    this.current = next;
    if (this.started) for (const g of next) g.start();
  }

  private groupOptions() {
    return {
      queryFunc: this.opts.queryFunc,
      appendable: this.opts.appendable,
      queryable: this.opts.queryable,
      notify: this.opts.notify,
      logger: this.logger,
      clock: this.clock,
      metrics: this.metrics,
      externalLabels: this.externalLabels,
      externalURL: this.externalURL,
      resendDelayMs: this.opts.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS,
      outageToleranceMs: this.opts.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS,
      forGracePeriodMs: this.opts.forGracePeriodMs ?? DEFAULT_FOR_GRACE_PERIOD_MS,
      onEvaluated: () => this.saveState(),
    };
  }

  /** Starts every group's evaluation loop. */
  start(): void {
    this.started = true;
    for (const g of this.current) g.start();
  }

  /** Stops all loops (without staleness markers: a restart continues the series) and saves state. */
  async stop(): Promise<void> {
    this.started = false;
    for (const g of this.current) await g.stop(false);
    this.saveState();
  }

  /** Writes the alert state file when it changed. Never throws. */
  saveState(): void {
    if (!this.opts.stateFile) return;
    try {
      const text = snapshotState(this.current, 0);
      if (text === this.lastSaved) return;
      writeAtomic(this.opts.stateFile, snapshotState(this.current, this.clock.now()));
      this.lastSaved = text;
    } catch (e) {
      this.logger.warn("Saving alert state failed", { file: this.opts.stateFile, err: errorMessage(e) });
    }
  }

  /** The running groups, in file order then the order within each file. */
  groups(): readonly Group[] {
    return this.current;
  }

  /** Rule groups in core/api/v1's RulesRetriever shape (so the manager is a RulesRetriever). */
  ruleGroups(): ReturnType<typeof ruleGroupViews> {
    return ruleGroupViews(this.current);
  }

  /** Every rule of every group. */
  rules(): Rule[] {
    return this.current.flatMap((g) => g.rules);
  }

  /** Every alerting rule. */
  alertingRules(): AlertingRule[] {
    return this.rules().filter((r): r is AlertingRule => r.kind === "alerting");
  }

  /** Active (pending or firing) alerts of every rule. */
  activeAlerts(): RuleAlert[] {
    return this.alertingRules().flatMap((r) => [...r.active.values()].filter((a) => a.state !== "inactive"));
  }
}

/** Applies group-level labels (Prometheus 3) to each rule: rule labels take precedence. */
function withGroupLabels(c: RuleGroupConfig): RuleGroupConfig {
  if (Object.keys(c.labels).length === 0) return c;
  return {
    ...c,
    rules: c.rules.map((r) => {
      const labels = { ...c.labels, ...r.labels };
      const labelTemplates = new Map(r.labelTemplates);
      if (r.alert !== undefined) {
        for (const [k, v] of Object.entries(c.labels)) if (!(k in r.labels)) labelTemplates.set(k, new RuleTemplate(`__alert_${r.alert}`, v));
      }
      return { ...r, labels, labelTemplates };
    }),
  };
}
