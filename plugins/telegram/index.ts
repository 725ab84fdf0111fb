/**
 * @module plugins/telegram
 * Telegram (`telegram_configs`): calls the Bot API's sendMessage (`<api_url>/bot<token>/sendMessage`)
 * with the chat id, the rendered message (Alertmanager's default, up to 4096 characters), parse mode
 * (default HTML) and disable_notification. Telegram's `{"ok": false}` answers count as failures.
 */
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf, truncate } from "../../core/alerting/channel.ts";
import { checkURL, postJSON, secret } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "telegram",
  kind: "notifier",
  version: "1.0.0",
  description: "Telegram Bot API sendMessage",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, ["api_url", "bot_token", "bot_token_file", "chat_id", "message_thread_id", "message", "disable_notifications", "parse_mode"], "TelegramConfig");
    const token = secret(c, "bot_token", ctx.configDir);
    if (!token) throw new ConfigError("missing bot_token or bot_token_file on telegram_config");
    if (typeof c.chat_id !== "number" || !Number.isInteger(c.chat_id) || c.chat_id === 0) throw new ConfigError("missing chat_id on telegram_config");
    const parseMode = str(c, "parse_mode", "HTML");
    if (!["", "HTML", "Markdown", "MarkdownV2"].includes(parseMode)) throw new ConfigError("unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string");
    const api = checkURL(str(c, "api_url", "https://api.telegram.org"), "api_url").replace(/\/$/, "");
    const tmpl = templatesOf(ctx);
    const headers = authHeaders(c.http_config, ctx.configDir);
    return {
      async notify(m, signal) {
        const text = truncate(await tmpl.expand(str(c, "message", '{{ template "telegram.default.message" . }}'), m), 4096).text;
        const body: Record<string, unknown> = { chat_id: c.chat_id, text, disable_notification: c.disable_notifications === true };
        if (parseMode) body.parse_mode = parseMode;
        if (typeof c.message_thread_id === "number") body.message_thread_id = c.message_thread_id;
        const r = await postJSON(`${api}/bot${token}/sendMessage`, body, signal, headers);
        if (r.error) return { retry: r.retry, error: r.error.replace(token, "<token>") };
        try {
          const j = JSON.parse(r.text ?? "{}") as { ok?: boolean; description?: string };
          if (j.ok === false) return { retry: false, error: `telegram: ${j.description ?? "request failed"}` };
        } catch {
          // Not JSON: accept a 2xx.
        }
        return { retry: false };
      },
    };
  },
});
