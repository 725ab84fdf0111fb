/**
 * @module core/alerting/config
 * Alertmanager's configuration file (loaded from --alertmanager.config.file), in Alertmanager's own format
 * so users reuse theirs: `global`, `route` (tree with matchers / match / match_re, continue, group_by with
 * '...', group_wait, group_interval, repeat_interval, mute_time_intervals, active_time_intervals, labels),
 * `receivers`, `inhibit_rules`, `time_intervals` / `mute_time_intervals` and `templates`.
 *
 * Strict like Alertmanager: unknown keys, dangling receiver or interval references, a root route with
 * matchers or without receiver, empty regexes, duplicate receivers and secrets set twice are rejected with
 * the key path and reason. Durations are ms.
 */
import { parseYaml } from "../config/load.ts";
import type { Matcher } from "../model/matcher.ts";
import { newMatcher } from "../model/matcher.ts";
import { configFail, expectList, expectObject, joinPath, readBool, readDuration, readStringList, readStringMap, type RawObject } from "../util/config-check.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import { parseMatcher } from "./matchers.ts";
import { checkGlobalSecrets, KNOWN_INTEGRATIONS, parseReceiver, type ReceiverConfig } from "./receivers.ts";
import { parseTimeIntervalSpecs, type TimeIntervalSpec } from "./time-intervals.ts";

/** Alertmanager's defaults. */
export const DEFAULT_GROUP_WAIT_MS = 30_000;
export const DEFAULT_GROUP_INTERVAL_MS = 300_000;
export const DEFAULT_REPEAT_INTERVAL_MS = 4 * 3_600_000;
export const DEFAULT_RESOLVE_TIMEOUT_MS = 300_000;

/** A route node with inherited values resolved. */
export interface RouteConfig {
  receiver: string;
  /** Label names to group by; null = `...` (group by all labels). */
  groupBy: string[] | null;
  matchers: Matcher[];
  continue: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  /** Route labels (templates), inherited by children. */
  labels: Record<string, string>;
  routes: RouteConfig[];
}

/** An inhibition rule. */
export interface InhibitRuleConfig {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

/** A parsed Alertmanager config. */
export interface AlertmanagerConfig {
  /** Original YAML text (what /api/v2/status shows). */
  original: string;
  global: RawObject & { resolveTimeoutMs: number };
  route: RouteConfig;
  receivers: ReceiverConfig[];
  inhibitRules: InhibitRuleConfig[];
  timeIntervals: Map<string, TimeIntervalSpec[]>;
  /** Template file globs (resolved against the config file's directory by the loader). */
  templates: string[];
}

const GLOBAL_KEYS = [
  "resolve_timeout", "http_config", "smtp_from", "smtp_hello", "smtp_smarthost", "smtp_auth_username", "smtp_auth_password",
  "smtp_auth_password_file", "smtp_auth_secret", "smtp_auth_secret_file", "smtp_auth_identity", "smtp_require_tls", "smtp_tls_config",
  "slack_api_url", "slack_api_url_file", "slack_app_token", "slack_app_token_file", "slack_app_url", "pagerduty_url",
  "opsgenie_api_key", "opsgenie_api_key_file", "opsgenie_api_url", "wechat_api_secret", "wechat_api_secret_file", "wechat_api_url",
  "wechat_api_corp_id", "victorops_api_key", "victorops_api_key_file", "victorops_api_url", "telegram_api_url", "telegram_bot_token",
  "telegram_bot_token_file", "webex_api_url", "rocketchat_api_url", "rocketchat_token", "rocketchat_token_file", "rocketchat_token_id",
  "rocketchat_token_id_file", "mattermost_webhook_url", "mattermost_webhook_url_file", "jira_api_url",
];
const ROUTE_KEYS = [
  "receiver", "group_by", "continue", "matchers", "match", "match_re", "group_wait", "group_interval", "repeat_interval",
  "mute_time_intervals", "active_time_intervals", "routes", "labels",
];
const GLOBAL_DEFAULTS: RawObject = {
  smtp_hello: "localhost", smtp_require_tls: true, pagerduty_url: "https://events.pagerduty.com/v2/enqueue",
  opsgenie_api_url: "https://api.opsgenie.com/", wechat_api_url: "https://qyapi.weixin.qq.com/cgi-bin/",
  victorops_api_url: "https://alert.victorops.com/integrations/generic/20131114/alert/", telegram_api_url: "https://api.telegram.org",
  webex_api_url: "https://webexapis.com/v1/messages", rocketchat_api_url: "https://open.rocket.chat/",
};

function matchersOf(o: RawObject, path: string, prefix: string): Matcher[] {
  const out: Matcher[] = [];
  const key = (k: string) => (prefix ? `${prefix}_${k}` : k);
  const match = readStringMap(o, key("match"), path);
  for (const [k, v] of Object.entries(match ?? {})) out.push(newMatcher("=", k, v));
  const mre = o[key("match_re")];
  if (mre !== undefined && mre !== null) {
    const mp = joinPath(path, key("match_re"));
    for (const [k, v] of Object.entries(expectObject(mre, mp))) {
      if (v === null || v === undefined || v === "") configFail(joinPath(mp, k), "invalid_label: empty regular expression (use .* to match anything)");
      try {
        out.push(newMatcher("=~", k, String(v)));
      } catch (e) {
        configFail(joinPath(mp, k), `invalid regular expression: ${errorMessage(e)}`);
      }
    }
  }
  const ms = readStringList(o, key("matchers"), path);
  (ms ?? []).forEach((s, i) => {
    try {
      out.push(parseMatcher(s));
    } catch (e) {
      configFail(joinPath(joinPath(path, key("matchers")), i), errorMessage(e));
    }
  });
  return out;
}

function parseRoute(raw: unknown, path: string, parent: RouteConfig | null): RouteConfig {
  const o = expectObject(raw, path, ROUTE_KEYS);
  const gb = readStringList(o, "group_by", path);
  let groupBy: string[] | null = parent ? parent.groupBy : [];
  if (gb) {
    if (gb.includes("...")) {
      if (gb.length !== 1) configFail(joinPath(path, "group_by"), "cannot have wildcard group_by (`...`) and other labels at the same time");
      groupBy = null;
    } else {
      const seen = new Set<string>();
      for (const l of gb) {
        if (seen.has(l)) configFail(joinPath(path, "group_by"), `duplicated label ${JSON.stringify(l)} in group_by`);
        seen.add(l);
      }
      groupBy = gb;
    }
  }
  const r: RouteConfig = {
    receiver: typeof o.receiver === "string" ? o.receiver : parent?.receiver ?? "",
    groupBy,
    matchers: matchersOf(o, path, ""),
    continue: readBool(o, "continue", path, false),
    groupWaitMs: readDuration(o, "group_wait", path, parent?.groupWaitMs ?? DEFAULT_GROUP_WAIT_MS),
    groupIntervalMs: readDuration(o, "group_interval", path, parent?.groupIntervalMs ?? DEFAULT_GROUP_INTERVAL_MS),
    repeatIntervalMs: readDuration(o, "repeat_interval", path, parent?.repeatIntervalMs ?? DEFAULT_REPEAT_INTERVAL_MS),
    muteTimeIntervals: readStringList(o, "mute_time_intervals", path) ?? [],
    activeTimeIntervals: readStringList(o, "active_time_intervals", path) ?? [],
    labels: { ...(parent?.labels ?? {}), ...(readStringMap(o, "labels", path) ?? {}) },
    routes: [],
  };
  if (r.groupIntervalMs === 0) configFail(joinPath(path, "group_interval"), "group_interval cannot be zero");
  if (r.repeatIntervalMs === 0) configFail(joinPath(path, "repeat_interval"), "repeat_interval cannot be zero");
  r.routes = expectList(o.routes, joinPath(path, "routes")).map((c, i) => parseRoute(c, joinPath(joinPath(path, "routes"), i), r));
  return r;
}

/**
 * Parses Alertmanager config text. `integrations` adds accepted `<name>_configs` beyond Alertmanager's own
 * (installed notifier plugins). Throws ConfigError with the key path and reason.
 */
export function parseAlertmanagerConfig(text: string, opts: { file?: string; integrations?: Iterable<string> } = {}): AlertmanagerConfig {
  try {
    return parseInner(text, opts);
  } catch (e) {
    if (e instanceof ConfigError && opts.file && !e.message.startsWith(opts.file)) throw new ConfigError(`${opts.file}: ${e.message}`, opts.file, e.path, { cause: e });
    throw e;
  }
}

function parseInner(text: string, opts: { file?: string; integrations?: Iterable<string> }): AlertmanagerConfig {
  const raw = parseYaml(text, opts.file);
  const o = expectObject(raw, "", ["global", "route", "receivers", "inhibit_rules", "templates", "time_intervals", "mute_time_intervals", "tracing"]);
  const g = expectObject(o.global, "global", GLOBAL_KEYS);
  checkGlobalSecrets(g);
  const global = { ...GLOBAL_DEFAULTS, ...g, resolveTimeoutMs: readDuration(g, "resolve_timeout", "global", DEFAULT_RESOLVE_TIMEOUT_MS) };
  if (o.route === undefined || o.route === null) configFail("route", "no routes provided");
  const route = parseRoute(o.route, "route", null);
  if (route.receiver === "") configFail("route", "root route must specify a default receiver");
  if (route.matchers.length) configFail("route", "root route must not have any matchers");
  if (route.muteTimeIntervals.length) configFail("route", "root route must not have any mute time intervals");
  if (route.activeTimeIntervals.length) configFail("route", "root route must not have any active time intervals");
  const integrations = new Set([...KNOWN_INTEGRATIONS, ...(opts.integrations ?? [])]);
  const receivers: ReceiverConfig[] = [];
  const names = new Set<string>();
  expectList(o.receivers, "receivers").forEach((r, i) => {
    const rc = parseReceiver(r, joinPath("receivers", i), global, integrations);
    if (names.has(rc.name)) configFail(joinPath("receivers", i), `notification config name "${rc.name}" is not unique`);
    names.add(rc.name);
    receivers.push(rc);
  });
  const timeIntervals = new Map<string, TimeIntervalSpec[]>();
  for (const key of ["time_intervals", "mute_time_intervals"]) {
    expectList(o[key], key).forEach((x, i) => {
      const p = joinPath(key, i);
      const ti = expectObject(x, p, ["name", "time_intervals"]);
      if (typeof ti.name !== "string" || ti.name === "") configFail(p, "missing name in time interval");
      if (timeIntervals.has(ti.name)) configFail(p, `time interval "${ti.name}" is not unique`);
      timeIntervals.set(ti.name, parseTimeIntervalSpecs(ti.time_intervals, joinPath(p, "time_intervals")));
    });
  }
  const check = (r: RouteConfig, path: string) => {
    if (!names.has(r.receiver)) configFail(path, `undefined receiver "${r.receiver}" used in route`);
    for (const n of [...r.muteTimeIntervals, ...r.activeTimeIntervals]) if (!timeIntervals.has(n)) configFail(path, `undefined time interval "${n}" used in route`);
    r.routes.forEach((c, i) => check(c, joinPath(joinPath(path, "routes"), i)));
  };
  check(route, "route");
  const inhibitRules = expectList(o.inhibit_rules, "inhibit_rules").map((x, i) => {
    const p = joinPath("inhibit_rules", i);
    const ir = expectObject(x, p, ["source_match", "source_match_re", "source_matchers", "target_match", "target_match_re", "target_matchers", "equal"]);
    return { sourceMatchers: matchersOf(ir, p, "source"), targetMatchers: matchersOf(ir, p, "target"), equal: readStringList(ir, "equal", p) ?? [] };
  });
  const templates = readStringList(o, "templates", "") ?? [];
  return { original: text, global, route, receivers, inhibitRules, timeIntervals, templates };
}
