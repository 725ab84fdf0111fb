/**
 * @module core/api/v1/rules
 * The rules area: /api/v1/rules (filters type, rule_name[], rule_group[], file[], match[],
 * exclude_alerts; pagination group_limit / group_next_token), /api/v1/alerts and /api/v1/alertmanagers, rendered in Prometheus's field order
 * (alert values in Go's %e format, "1e+00"; times RFC 3339). Without a rules source the lists are
 * empty, as Prometheus answers with no rule files.
 */
import { createHash } from "node:crypto";
import { Elysia } from "elysia";
import type { Labels } from "../../model/labels.ts";
import { matchAll, type Matcher } from "../../model/matcher.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { formatGoExp, Rfc3339 } from "./json.ts";
import { invalidParam, parseMatchersParam, type Params } from "./params.ts";
import type { AlertView, ApiV1Deps, RuleGroupView } from "./types.ts";

/** Builds the rules area (`api-v1-rules`). */
export function rulesApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  let app = new Elysia({ name: "api-v1-rules", prefix });
  app = mount(app, ["GET"], "/rules", async (p) => rules(deps, p), o);
  app = mount(app, ["GET"], "/alerts", async () => alerts(deps), o);
  app = mount(app, ["GET"], "/alertmanagers", async () => alertmanagers(deps), o);
  return app;
}

/** An alert in the API's shape. */
export function alertJson(a: AlertView) {
  return {
    labels: a.labels,
    annotations: a.annotations,
    state: a.state,
    activeAt: a.activeAt ? new Rfc3339(a.activeAt) : undefined,
    keepFiringSince: a.keepFiringSince ? new Rfc3339(a.keepFiringSince) : undefined,
    value: formatGoExp(a.value),
  };
}

function groups(deps: ApiV1Deps): RuleGroupView[] {
  return deps.rules?.ruleGroups() ?? [];
}

function rules(deps: ApiV1Deps, p: Params): ApiOutcome {
  const typ = (p.url.searchParams.get("type") ?? "").toLowerCase();
  if (typ !== "" && typ !== "alert" && typ !== "record") throw invalidParam("type", `not supported value ${JSON.stringify(typ)}`);
  const returnAlerts = typ === "" || typ === "alert";
  const returnRecording = typ === "" || typ === "record";
  const names = new Set(p.getAll("rule_name[]"));
  const groupNames = new Set(p.getAll("rule_group[]"));
  const files = new Set(p.getAll("file[]"));
  const excludeAlerts = parseBool(p, "exclude_alerts");
  let matcherSets: Matcher[][] = [];
  try {
    matcherSets = parseMatchersParam(p.getAll("match[]"));
  } catch (e) {
    throw invalidParam("match[]", e);
  }
  const matches = (ls: Labels) => matcherSets.length === 0 || matcherSets.some((ms) => matchAll(ms, ls));
  const { maxGroups, nextToken } = pagination(p);
  const out: unknown[] = [];
  let foundToken = false;
  let groupNextToken: string | undefined;
  for (const g of groups(deps)) {
    if (groupNames.size > 0 && !groupNames.has(g.name)) continue;
    if (files.size > 0 && !files.has(g.file)) continue;
    if (maxGroups > 0 && nextToken !== "" && !foundToken) {
      if (nextToken !== groupToken(g)) continue;
      foundToken = true;
    }
    if (maxGroups > 0 && out.length === maxGroups) {
      groupNextToken = groupToken(g);
      break;
    }
    const rulesOut: unknown[] = [];
    for (const r of g.rules) {
      if (names.size > 0 && !names.has(r.name)) continue;
      if (!matches(r.labels)) continue;
      const lastError = r.lastError === "" ? undefined : r.lastError;
      if (r.type === "alerting") {
        if (!returnAlerts) continue;
        rulesOut.push({
          state: r.state, name: r.name, query: r.query, duration: r.duration, keepFiringFor: r.keepFiringFor,
          labels: r.labels, annotations: r.annotations, alerts: excludeAlerts ? undefined : r.alerts.filter((a) => a.state !== "inactive").map(alertJson),
          health: r.health, lastError, evaluationTime: r.evaluationTime, lastEvaluation: new Rfc3339(r.lastEvaluation), type: "alerting",
        });
      } else {
        if (!returnRecording) continue;
        rulesOut.push({
          name: r.name, query: r.query, labels: r.labels.size > 0 ? r.labels : undefined, health: r.health, lastError,
          evaluationTime: r.evaluationTime, lastEvaluation: new Rfc3339(r.lastEvaluation), type: "recording",
        });
      }
    }
    // Prometheus drops groups emptied by a filter, but keeps empty groups when nothing filters rules.
    const filtering = names.size > 0 || matcherSets.length > 0 || typ !== "";
    if (filtering && rulesOut.length === 0 && g.rules.length > 0) continue;
    out.push({
      name: g.name, file: g.file, rules: rulesOut, interval: g.interval, limit: g.limit,
      evaluationTime: g.evaluationTime, lastEvaluation: new Rfc3339(g.lastEvaluation),
    });
  }
  if (maxGroups > 0 && nextToken !== "" && !foundToken) {
    throw invalidParam("group_next_token", `invalid group_next_token '${nextToken}'. were rule groups changed?`);
  }
  return { data: { groups: out, groupNextToken } };
}

/** Prometheus's page token of a rule group: hex SHA-1 of "file;name". */
export function groupToken(g: { file: string; name: string }): string {
  return createHash("sha1").update(`${g.file};${g.name}`).digest("hex");
}

function pagination(p: Params): { maxGroups: number; nextToken: string } {
  const limit = p.get("group_limit");
  const nextToken = p.get("group_next_token");
  if (limit === "") {
    if (nextToken !== "") throw invalidParam("group_limit", "group_limit needs to be present in order to paginate over the groups");
    return { maxGroups: 0, nextToken };
  }
  const n = /^[+-]?\d+$/.test(limit) ? Number(limit) : NaN;
  if (!(n > 0)) throw invalidParam("group_limit", "group_limit needs to be greater than 0");
  return { maxGroups: n, nextToken };
}

function parseBool(p: Params, name: string): boolean {
  const v = p.get(name);
  if (v === "") return false;
  const t = ["1", "t", "T", "TRUE", "true", "True"], f = ["0", "f", "F", "FALSE", "false", "False"];
  if (t.includes(v)) return true;
  if (f.includes(v)) return false;
  throw invalidParam(name, `strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function alerts(deps: ApiV1Deps): ApiOutcome {
  const out: unknown[] = [];
  for (const g of groups(deps)) {
    for (const r of g.rules) {
      if (r.type !== "alerting") continue;
      for (const a of r.alerts) if (a.state !== "inactive") out.push(alertJson(a));
    }
  }
  return { data: { alerts: out } };
}

function alertmanagers(deps: ApiV1Deps): ApiOutcome {
  const am = deps.alertmanagers;
  return {
    data: {
      activeAlertmanagers: (am?.alertmanagers() ?? []).map((url) => ({ url })),
      droppedAlertmanagers: (am?.droppedAlertmanagers() ?? []).map((url) => ({ url })),
    },
  };
}
