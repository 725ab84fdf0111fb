/**
 * @module plugins/msteams
 * Microsoft Teams (`msteams_configs`): posts an Office 365 connector MessageCard to an incoming webhook,
 * with Alertmanager's default title, summary and text, red for firing and green for resolved.
 */
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf } from "../../core/alerting/channel.ts";
import { checkURL, postJSON, secret } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

/** Theme colours Alertmanager uses. */
export const MSTEAMS_COLORS = { firing: "8C1A1A", resolved: "2DC72D" };

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "msteams",
  kind: "notifier",
  version: "1.0.0",
  description: "Microsoft Teams incoming webhook (MessageCard)",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, ["webhook_url", "webhook_url_file", "title", "summary", "text"], "MSTeamsConfig");
    const url = secret(c, "webhook_url", ctx.configDir);
    if (!url) throw new ConfigError("one of webhook_url or webhook_url_file must be configured");
    checkURL(url, "webhook_url");
    const tmpl = templatesOf(ctx);
    const headers = authHeaders(c.http_config, ctx.configDir);
    return {
      async notify(m, signal) {
        const x = (s: string) => tmpl.expand(s, m);
        const body = {
          "@type": "MessageCard",
          "@context": "http://schema.org/extensions",
          title: await x(str(c, "title", '{{ template "msteams.default.title" . }}')),
          summary: await x(str(c, "summary", '{{ template "msteams.default.summary" . }}')),
          text: await x(str(c, "text", '{{ template "msteams.default.text" . }}')),
          themeColor: m.status === "firing" ? MSTEAMS_COLORS.firing : MSTEAMS_COLORS.resolved,
        };
        const r = await postJSON(url, body, signal, headers);
        return r.error ? { retry: r.retry, error: r.error } : { retry: false };
      },
    };
  },
});
