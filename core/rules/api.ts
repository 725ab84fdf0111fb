/**
 * @module core/rules/api
 * Data shaping for /api/v1/rules and /api/v1/alerts: returns exactly the `data` objects Prometheus's API
 * returns (field names, order, units: durations and evaluation times in seconds, times as RFC3339Nano,
 * alert values in Go's %e format). The API layer wraps them in the `{status, data}` envelope.
 */
import type { Matcher } from "../model/matcher.ts";
import { matchAll } from "../model/matcher.ts";
import { Labels } from "../model/labels.ts";
import { formatFloat } from "../template/index.ts";
import type { AlertingRule, RuleAlert } from "./alerting.ts";
import type { Group, Rule } from "./group.ts";
import { rfc3339 } from "./types.ts";

/** An alert as /api/v1/alerts and /api/v1/rules show it. */
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

/** Filters of /api/v1/rules (all optional). */
export interface RulesFilter {
  /** `type=alert` or `type=record`. */
  type?: "alert" | "record";
  ruleName?: string[];
  ruleGroup?: string[];
  file?: string[];
  excludeAlerts?: boolean;
  /** `match[]` selectors: a rule is kept when its labels match any of the sets. */
  match?: Matcher[][];
}

/** Shapes an alert as Prometheus's API does. */
export function apiAlert(a: RuleAlert): ApiAlert {
  const out: ApiAlert = {
    labels: a.labels.toObject(),
    annotations: a.annotations,
    state: a.state,
    activeAt: rfc3339(a.activeAt),
    value: formatFloat(a.value, "e", -1),
  };
  if (a.keepFiringSince) out.keepFiringSince = rfc3339(a.keepFiringSince);
  return out;
}

function activeOf(r: AlertingRule): RuleAlert[] {
  return [...r.active.values()].filter((a) => a.state !== "inactive");
}

/** The `data` of GET /api/v1/alerts: `{alerts: [...]}` for every pending or firing alert. */
export function alertsData(groups: readonly Group[]): { alerts: ApiAlert[] } {
  const alerts: ApiAlert[] = [];
  for (const g of groups) for (const r of g.rules) if (r.kind === "alerting") for (const a of activeOf(r)) alerts.push(apiAlert(a));
  return { alerts };
}

function ruleData(r: Rule, excludeAlerts: boolean): Record<string, unknown> {
  const common = {
    health: r.health,
    ...(r.lastError ? { lastError: r.lastError } : {}),
    evaluationTime: r.evaluationTime,
    lastEvaluation: rfc3339(r.lastEvaluation),
  };
  if (r.kind === "recording") {
    return {
      name: r.name,
      query: r.cfg.query,
      ...(Object.keys(r.cfg.labels).length ? { labels: r.cfg.labels } : {}),
      ...common,
      type: "recording",
    };
  }
  return {
    state: r.state,
    name: r.name,
    query: r.cfg.query,
    duration: r.cfg.forMs / 1000,
    keepFiringFor: r.cfg.keepFiringForMs / 1000,
    labels: r.cfg.labels,
    annotations: r.cfg.annotations,
    ...(excludeAlerts ? {} : { alerts: activeOf(r).map(apiAlert) }),
    ...common,
    type: "alerting",
  };
}

/** The `data` of GET /api/v1/rules: `{groups: [...]}` with Prometheus's filters applied. */
export function rulesData(groups: readonly Group[], f: RulesFilter = {}): { groups: Array<Record<string, unknown>> } {
  const out: Array<Record<string, unknown>> = [];
  for (const g of groups) {
    if (f.ruleGroup?.length && !f.ruleGroup.includes(g.name)) continue;
    if (f.file?.length && !f.file.includes(g.file)) continue;
    const rules: Array<Record<string, unknown>> = [];
    for (const r of g.rules) {
      if (f.type === "alert" && r.kind !== "alerting") continue;
      if (f.type === "record" && r.kind !== "recording") continue;
      if (f.ruleName?.length && !f.ruleName.includes(r.name)) continue;
      if (f.match?.length) {
        const ls = Labels.from(r.cfg.labels);
        if (!f.match.some((ms) => matchAll(ms, ls))) continue;
      }
      rules.push(ruleData(r, f.excludeAlerts ?? false));
    }
    if (rules.length === 0 && (f.type || f.ruleName?.length || f.match?.length)) continue;
    out.push({
      name: g.name,
      file: g.file,
      rules,
      interval: g.intervalMs / 1000,
      limit: g.limit,
      evaluationTime: g.evaluationTime,
      lastEvaluation: rfc3339(g.lastEvaluation),
    });
  }
  return { groups: out };
}

/**
 * Rule groups in the shape core/api/v1 renders (its RulesRetriever.ruleGroups()): labels as Labels,
 * times in ms, durations in seconds. Structural, so rules does not import the API layer.
 */
export function ruleGroupViews(groups: readonly Group[]) {
  return groups.map((g) => ({
    name: g.name,
    file: g.file,
    interval: g.intervalMs / 1000,
    limit: g.limit,
    evaluationTime: g.evaluationTime,
    lastEvaluation: g.lastEvaluation,
    rules: g.rules.map((r) => {
      const base = {
        name: r.name, query: r.cfg.query, labels: Labels.from(r.cfg.labels), health: r.health, lastError: r.lastError,
        evaluationTime: r.evaluationTime, lastEvaluation: r.lastEvaluation,
      };
      if (r.kind === "recording") return { ...base, type: "recording" as const };
      return {
        ...base, type: "alerting" as const, state: r.state, duration: r.cfg.forMs / 1000, keepFiringFor: r.cfg.keepFiringForMs / 1000,
        annotations: Labels.from(r.cfg.annotations),
        alerts: activeOf(r).map((a) => ({
          labels: a.labels, annotations: Labels.from(a.annotations), state: a.state, activeAt: a.activeAt,
          keepFiringSince: a.keepFiringSince || undefined, value: a.value,
        })),
      };
    }),
  }));
}
