/**
 * @module plugins/discord
 * Discord (`discord_configs`): posts an embed (title up to 256 characters, description up to 4096) to a
 * channel webhook, red for firing and green for resolved, with Alertmanager's default title and message.
 */
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf, truncate } from "../../core/alerting/channel.ts";
import { checkURL, postJSON, secret } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

/** Embed colours Alertmanager uses (decimal RGB). */
export const DISCORD_COLORS = { firing: 0x992d22, resolved: 0x2ecc71 };

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "discord",
  kind: "notifier",
  version: "1.0.0",
  description: "Discord channel webhook (embed)",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, ["webhook_url", "webhook_url_file", "title", "message", "content", "username", "avatar_url"], "DiscordConfig");
    const url = secret(c, "webhook_url", ctx.configDir);
    if (!url) throw new ConfigError("one of webhook_url or webhook_url_file must be configured");
    checkURL(url, "webhook_url");
    const tmpl = templatesOf(ctx);
    const headers = authHeaders(c.http_config, ctx.configDir);
    return {
      async notify(m, signal) {
        const x = (s: string) => tmpl.expand(s, m);
        const body: Record<string, unknown> = {
          content: truncate(await x(str(c, "content", "")), 2000).text,
          embeds: [{
            title: truncate(await x(str(c, "title", '{{ template "discord.default.title" . }}')), 256).text,
            description: truncate(await x(str(c, "message", '{{ template "discord.default.message" . }}')), 4096).text,
            color: m.status === "firing" ? DISCORD_COLORS.firing : DISCORD_COLORS.resolved,
          }],
        };
        const user = await x(str(c, "username", ""));
        if (user) body.username = user;
        const avatar = await x(str(c, "avatar_url", ""));
        if (avatar) body.avatar_url = avatar;
        const r = await postJSON(url, body, signal, headers);
        return r.error ? { retry: r.retry, error: r.error } : { retry: false };
      },
    };
  },
});
