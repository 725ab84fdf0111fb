/**
 * @module plugins/slack
 * Slack (`slack_configs`): posts one attachment per notification to an incoming webhook, or to the Web
 * API (chat.postMessage) with an app token, using Alertmanager's default title/text templates. Slack's
 * `{"ok": false}` answers count as failures.
 */
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf, truncate } from "../../core/alerting/channel.ts";
import { checkURL, postJSON, secret } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

const KEYS = [
  "api_url", "api_url_file", "app_token", "app_token_file", "app_url", "channel", "username", "color", "title", "title_link",
  "pretext", "text", "fields", "short_fields", "footer", "fallback", "callback_id", "icon_emoji", "icon_url", "image_url",
  "thumb_url", "link_names", "mrkdwn_in", "update_message",
];

/** Alertmanager's slack_configs defaults. */
export const SLACK_DEFAULTS = {
  username: '{{ template "slack.default.username" . }}',
  color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
  title: '{{ template "slack.default.title" . }}',
  title_link: '{{ template "slack.default.titlelink" . }}',
  pretext: '{{ template "slack.default.pretext" . }}',
  text: '{{ template "slack.default.text" . }}',
  fallback: '{{ template "slack.default.fallback" . }}',
  callback_id: '{{ template "slack.default.callbackid" . }}',
  footer: '{{ template "slack.default.footer" . }}',
  icon_emoji: '{{ template "slack.default.iconemoji" . }}',
  icon_url: '{{ template "slack.default.iconurl" . }}',
};

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "slack",
  kind: "notifier",
  version: "1.0.0",
  description: "Slack incoming webhook or chat.postMessage with Alertmanager's default templates",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, KEYS, "SlackConfig");
    const token = secret(c, "app_token", ctx.configDir);
    let url = secret(c, "api_url", ctx.configDir) ?? (token ? str(c, "app_url", "https://slack.com/api/chat.postMessage") : undefined);
    if (!url) throw new ConfigError("no Slack API URL nor App token set either inline or in a file");
    url = checkURL(url, "api_url");
    const t = (k: keyof typeof SLACK_DEFAULTS) => str(c, k, SLACK_DEFAULTS[k]);
    const channel = str(c, "channel", "");
    const mrkdwnIn = Array.isArray(c.mrkdwn_in) ? (c.mrkdwn_in as string[]) : ["fallback", "pretext", "text"];
    const fields = Array.isArray(c.fields) ? (c.fields as Array<Record<string, unknown>>) : [];
    const headers = { ...authHeaders(c.http_config, ctx.configDir), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const tmpl = templatesOf(ctx);
    return {
      async notify(m, signal) {
        const x = (s: string) => tmpl.expand(s, m);
        const title = truncate(await x(t("title")), 1024).text;
        const att: Record<string, unknown> = {
          title, title_link: await x(t("title_link")), pretext: await x(t("pretext")), text: await x(t("text")),
          fallback: await x(t("fallback")), callback_id: await x(t("callback_id")), footer: await x(t("footer")),
          color: await x(t("color")), mrkdwn_in: mrkdwnIn,
        };
        if (fields.length) {
          att.fields = await Promise.all(fields.map(async (f) => ({ title: await x(String(f.title ?? "")), value: await x(String(f.value ?? "")), short: f.short ?? c.short_fields ?? false })));
        }
        for (const k of ["image_url", "thumb_url"]) if (typeof c[k] === "string") att[k] = await x(c[k] as string);
        for (const k of Object.keys(att)) if (att[k] === "") delete att[k];
        const body: Record<string, unknown> = {
          channel: await x(channel), username: await x(t("username")), icon_emoji: await x(t("icon_emoji")), icon_url: await x(t("icon_url")),
          link_names: c.link_names === true, attachments: [att],
        };
        for (const k of ["channel", "username", "icon_emoji", "icon_url"]) if (body[k] === "") delete body[k];
        if (!body.link_names) delete body.link_names;
        const r = await postJSON(url!, body, signal, headers);
        if (!r.error && token && r.text) {
          try {
            const j = JSON.parse(r.text) as { ok?: boolean; error?: string };
            if (j.ok === false) return { retry: false, error: `error response from Slack: ${j.error ?? "unknown"}` };
          } catch {
            // Webhook answers are plain "ok".
          }
        }
        return r.error ? { retry: r.retry, error: r.error } : { retry: false };
      },
    };
  },
});
