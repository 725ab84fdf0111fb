/**
 * @module core/alerting/receivers
 * Receiver validation for Alertmanager configs. Each `<name>_configs` list is an integration; Quiver
 * delivers through the notifier plugin `<name>` and validates the plugin's settings in its create(). This
 * module applies what Alertmanager checks at load for every integration, whether or not a plugin is
 * installed: secrets given both inline and as `_file`, required secrets missing both in the receiver and
 * in `global`, Slack's `update_message` without an app token, SNS without a target, and removed fields.
 * It also merges the `global` defaults an integration inherits (smtp_*, slack_api_url, pagerduty_url, …)
 * into the settings handed to the plugin, so a plugin sees one complete config.
 */
import { configFail, expectList, expectObject, joinPath, type RawObject } from "../util/config-check.ts";
import { parseDuration } from "../util/duration.ts";

/** The integrations Alertmanager defines (`<name>_configs`). */
export const KNOWN_INTEGRATIONS = [
  "email", "pagerduty", "slack", "webhook", "opsgenie", "wechat", "pushover", "victorops", "sns", "telegram",
  "discord", "webex", "msteams", "msteamsv2", "jira", "rocketchat", "incidentio", "mattermost",
];

/** One integration entry of a receiver, with global defaults merged in. */
export interface IntegrationConfig {
  /** Integration (= notifier plugin) name, e.g. "webhook". */
  integration: string;
  /** Index within the receiver's `<name>_configs` list. */
  index: number;
  /** Settings with global defaults applied. */
  settings: RawObject;
  /** `send_resolved` (Alertmanager's per-integration default: false for email, slack and wechat). */
  sendResolved: boolean;
}

/** A receiver: a name and its integrations. */
export interface ReceiverConfig {
  name: string;
  integrations: IntegrationConfig[];
}

/** Global keys each integration inherits: receiver key → global key. */
const INHERIT: Record<string, Record<string, string>> = {
  email: {
    from: "smtp_from", hello: "smtp_hello", smarthost: "smtp_smarthost", auth_username: "smtp_auth_username",
    auth_password: "smtp_auth_password", auth_password_file: "smtp_auth_password_file", auth_secret: "smtp_auth_secret",
    auth_secret_file: "smtp_auth_secret_file", auth_identity: "smtp_auth_identity", require_tls: "smtp_require_tls",
    tls_config: "smtp_tls_config",
  },
  slack: { api_url: "slack_api_url", api_url_file: "slack_api_url_file", app_token: "slack_app_token", app_token_file: "slack_app_token_file", app_url: "slack_app_url" },
  pagerduty: { url: "pagerduty_url" },
  opsgenie: { api_key: "opsgenie_api_key", api_key_file: "opsgenie_api_key_file", api_url: "opsgenie_api_url" },
  wechat: { api_secret: "wechat_api_secret", api_secret_file: "wechat_api_secret_file", api_url: "wechat_api_url", corp_id: "wechat_api_corp_id" },
  victorops: { api_key: "victorops_api_key", api_key_file: "victorops_api_key_file", api_url: "victorops_api_url" },
  telegram: { api_url: "telegram_api_url", bot_token: "telegram_bot_token", bot_token_file: "telegram_bot_token_file" },
  webex: { api_url: "webex_api_url" },
  rocketchat: { api_url: "rocketchat_api_url", token: "rocketchat_token", token_file: "rocketchat_token_file", token_id: "rocketchat_token_id", token_id_file: "rocketchat_token_id_file" },
  mattermost: { webhook_url: "mattermost_webhook_url", webhook_url_file: "mattermost_webhook_url_file" },
  jira: { api_url: "jira_api_url" },
};

/** Secrets that must be set (inline or file) after inheriting from global: [key, fileKey]. */
const REQUIRED: Record<string, Array<[string, string]>> = {
  opsgenie: [["api_key", "api_key_file"]],
  victorops: [["api_key", "api_key_file"]],
  wechat: [["api_secret", "api_secret_file"]],
  telegram: [["bot_token", "bot_token_file"]],
  rocketchat: [["token", "token_file"], ["token_id", "token_id_file"]],
  mattermost: [["webhook_url", "webhook_url_file"]],
};
/** Inline/file pairs that must not both be set. */
const EXCLUSIVE: Record<string, Array<[string, string]>> = {
  ...REQUIRED,
  email: [["auth_password", "auth_password_file"], ["auth_secret", "auth_secret_file"]],
  slack: [["api_url", "api_url_file"], ["app_token", "app_token_file"]],
  pagerduty: [["routing_key", "routing_key_file"], ["service_key", "service_key_file"]],
  webhook: [["url", "url_file"]],
  discord: [["webhook_url", "webhook_url_file"]],
  msteams: [["webhook_url", "webhook_url_file"]],
  msteamsv2: [["webhook_url", "webhook_url_file"]],
};
const GLOBAL_EXCLUSIVE: Array<[string, string]> = [
  ["smtp_auth_password", "smtp_auth_password_file"], ["smtp_auth_secret", "smtp_auth_secret_file"],
  ["slack_api_url", "slack_api_url_file"], ["slack_app_token", "slack_app_token_file"], ["opsgenie_api_key", "opsgenie_api_key_file"],
  ["victorops_api_key", "victorops_api_key_file"], ["wechat_api_secret", "wechat_api_secret_file"],
  ["telegram_bot_token", "telegram_bot_token_file"], ["rocketchat_token", "rocketchat_token_file"],
  ["rocketchat_token_id", "rocketchat_token_id_file"], ["mattermost_webhook_url", "mattermost_webhook_url_file"],
];
/** Integrations whose `send_resolved` defaults to false in Alertmanager (all others default to true). */
const SEND_RESOLVED_OFF = new Set(["email", "slack", "wechat"]);

/** Fields Alertmanager removed and rejects. */
const REMOVED: Record<string, string[]> = { opsgenie: ["teams"] };

const set = (o: RawObject, k: string) => o[k] !== undefined && o[k] !== null && o[k] !== "";

/** Whether a Slack URL is the Web API (chat.postMessage), usable with an app token, rather than a webhook. */
function isSlackAPI(u: unknown): boolean {
  return typeof u === "string" && /\/api\/chat\.(postMessage|update)\/?$/.test(u);
}

/** Validates global secret pairs (both inline and file set). */
export function checkGlobalSecrets(g: RawObject): void {
  for (const [a, b] of GLOBAL_EXCLUSIVE) if (set(g, a) && set(g, b)) configFail(joinPath("global", a), `at most one of ${a} & ${b} must be configured`);
  if ((set(g, "slack_api_url") && !isSlackAPI(g.slack_api_url)) || set(g, "slack_api_url_file")) {
    if (set(g, "slack_app_token") || set(g, "slack_app_token_file")) configFail("global", "at most one of slack_api_url/slack_api_url_file & slack_app_token/slack_app_token_file must be configured (a webhook URL cannot be combined with an app token)");
  }
}

/**
 * Parses one receiver. `integrations` is the set of integration names accepted (Alertmanager's plus any
 * installed notifier plugin).
 */
export function parseReceiver(raw: unknown, path: string, global: RawObject, integrations: ReadonlySet<string>): ReceiverConfig {
  const o = expectObject(raw, path);
  if (typeof o.name !== "string" || o.name === "") configFail(joinPath(path, "name"), "missing name in receiver");
  const out: ReceiverConfig = { name: o.name, integrations: [] };
  for (const key of Object.keys(o)) {
    if (key === "name") continue;
    const m = /^(.+)_configs$/.exec(key);
    if (!m || !integrations.has(m[1]!)) configFail(joinPath(path, key), `field ${key} not found in type config.plain`);
    const integ = m[1]!;
    expectList(o[key], joinPath(path, key)).forEach((entry, i) => {
      const p = joinPath(joinPath(path, key), i);
      const cfg = { ...expectObject(entry, p) };
      for (const r of REMOVED[integ] ?? []) if (r in cfg) configFail(joinPath(p, r), `field ${r} not found in type config.plain`);
      for (const [a, b] of EXCLUSIVE[integ] ?? []) if (set(cfg, a) && set(cfg, b)) configFail(p, `at most one of ${a} & ${b} must be configured`);
      checkSpecial(integ, cfg, global, p);
      // Inherit global defaults, never overriding a pair the receiver sets in either form.
      for (const [k, gk] of Object.entries(INHERIT[integ] ?? {})) {
        if (set(cfg, k) || !set(global, gk)) continue;
        const pair = (EXCLUSIVE[integ] ?? []).find(([a, b]) => a === k || b === k);
        if (pair && (set(cfg, pair[0]) || set(cfg, pair[1]))) continue;
        cfg[k] = global[gk];
      }
      for (const [a, b] of REQUIRED[integ] ?? []) {
        if (!set(cfg, a) && !set(cfg, b)) configFail(p, `no global ${INHERIT[integ]?.[a] ?? a} set either inline or in a file`);
      }
      if (integ === "email" && !set(cfg, "smarthost")) configFail(p, "no global SMTP smarthost set");
      if (integ === "email" && !set(cfg, "from")) configFail(p, "no global mail from address set");
      if (integ === "slack" && !set(cfg, "api_url") && !set(cfg, "api_url_file") && !set(cfg, "app_token") && !set(cfg, "app_token_file")) {
        configFail(p, "no global Slack API URL nor App token set either inline or in a file");
      }
      if (cfg.timeout !== undefined && cfg.timeout !== null) {
        try {
          if (typeof cfg.timeout !== "string") throw new Error(`not a valid duration string: ${JSON.stringify(cfg.timeout)}`);
          parseDuration(cfg.timeout);
        } catch (e) {
          configFail(joinPath(p, "timeout"), (e as Error).message);
        }
      }
      const sr = cfg.send_resolved;
      if (sr !== undefined && typeof sr !== "boolean") configFail(joinPath(p, "send_resolved"), "expected true or false");
      out.integrations.push({ integration: integ, index: i, settings: cfg, sendResolved: sr === undefined ? !SEND_RESOLVED_OFF.has(integ) : sr });
    });
  }
  return out;
}

function checkSpecial(integ: string, cfg: RawObject, global: RawObject, p: string): void {
  if (integ === "slack") {
    const hasURL = set(cfg, "api_url") || set(cfg, "api_url_file");
    const hasToken = set(cfg, "app_token") || set(cfg, "app_token_file");
    if (hasURL && hasToken && !isSlackAPI(cfg.api_url)) configFail(p, "at most one of api_url/api_url_file & app_token/app_token_file must be configured");
    if (cfg.update_message === true) {
      const token = hasToken || (!hasURL && (set(global, "slack_app_token") || set(global, "slack_app_token_file")));
      if (!token) configFail(p, "update_message requires an app token (app_token or app_token_file); it does not work with a webhook URL");
    }
  }
  if (integ === "sns" && !set(cfg, "target_arn") && !set(cfg, "topic_arn") && !set(cfg, "phone_number")) {
    configFail(p, "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config");
  }
  if (integ === "email" && !set(cfg, "to")) configFail(p, "missing to address in email config");
  if (integ === "webhook" && !set(cfg, "url") && !set(cfg, "url_file")) configFail(p, "one of url or url_file must be configured");
}
