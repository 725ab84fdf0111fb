/**
 * @module plugins/email
 * Email (`email_configs`) over SMTP: renders subject, HTML and text bodies from templates (Alertmanager's
 * defaults: subject `email.default.subject`, HTML `email.default.html`, no text part unless `text` is
 * set), and delivers with STARTTLS (required by default) and AUTH (CRAM-MD5 with auth_secret, PLAIN or
 * LOGIN with auth_password). Global `smtp_*` settings are merged in by core before create().
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf } from "../../core/alerting/channel.ts";
import { secret } from "../../core/alerting/http.ts";
import { ConfigError } from "../../core/util/errors.ts";
import { buildMime } from "./mime.ts";
import { sendMail, SmtpError } from "./smtp.ts";

const KEYS = [
  "to", "from", "hello", "smarthost", "auth_username", "auth_password", "auth_password_file", "auth_secret", "auth_secret_file",
  "auth_identity", "require_tls", "tls_config", "html", "text", "headers",
];

/** Alertmanager's email defaults. */
export const EMAIL_DEFAULTS = {
  html: '{{ template "email.default.html" . }}',
  subject: '{{ template "email.default.subject" . }}',
  hello: "localhost",
};

/** Splits `host:port` (port required, as Alertmanager). */
export function splitHostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s);
  if (!m) throw new ConfigError(`smarthost: address ${s}: missing port in address`);
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

/** Extracts the bare addresses of a comma-separated list (`Name <a@b>, c@d`). */
export function addresses(list: string): string[] {
  return list.split(",").map((x) => x.trim()).filter(Boolean).map((x) => /<([^>]+)>/.exec(x)?.[1] ?? x);
}

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "email",
  kind: "notifier",
  version: "1.0.0",
  description: "SMTP email with STARTTLS and AUTH, HTML and text bodies from templates",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, KEYS, "EmailConfig");
    const to = str(c, "to", "");
    if (!to) throw new ConfigError("missing to address in email config");
    const from = str(c, "from", "");
    if (!from) throw new ConfigError("no global mail from address set");
    const { host, port } = splitHostPort(str(c, "smarthost", ""));
    const requireTLS = c.require_tls === undefined ? true : c.require_tls === true;
    const tlsRaw = (c.tls_config ?? {}) as Record<string, unknown>;
    const file = (k: string) => (typeof tlsRaw[k] === "string" ? readFileSync(isAbsolute(tlsRaw[k] as string) ? (tlsRaw[k] as string) : resolve(ctx.configDir, tlsRaw[k] as string)) : undefined);
    const tls = {
      rejectUnauthorized: tlsRaw.insecure_skip_verify !== true,
      ...(typeof tlsRaw.server_name === "string" ? { servername: tlsRaw.server_name } : {}),
      ...(file("ca_file") ? { ca: file("ca_file") } : {}),
      ...(file("cert_file") ? { cert: file("cert_file"), key: file("key_file") } : {}),
    };
    const username = str(c, "auth_username", "");
    const auth = username ? {
      username, password: secret(c, "auth_password", ctx.configDir), secret: secret(c, "auth_secret", ctx.configDir),
      identity: str(c, "auth_identity", ""),
    } : undefined;
    const headersCfg = (c.headers ?? {}) as Record<string, string>;
    const tmpl = templatesOf(ctx);
    const hello = str(c, "hello", EMAIL_DEFAULTS.hello);
    return {
      async notify(m, signal) {
        const headers: Record<string, string> = {};
        const base: Record<string, string> = { From: from, To: to, Subject: EMAIL_DEFAULTS.subject, ...headersCfg };
        for (const [k, v] of Object.entries(base)) headers[k[0]!.toUpperCase() + k.slice(1)] = await tmpl.expand(v, m);
        const html = await tmpl.expandHTML(str(c, "html", EMAIL_DEFAULTS.html), m);
        const text = await tmpl.expand(str(c, "text", ""), m);
        const data = buildMime(headers, text, html, Date.now(), hostname()).replace(/\r?\n/g, "\r\n");
        try {
          await sendMail({ host, port, hello, from: addresses(headers.From!)[0]!, to: addresses(headers.To!), data, requireTLS, auth, tls, signal });
          return { retry: false };
        } catch (e) {
          return { retry: e instanceof SmtpError ? e.temporary : true, error: e instanceof Error ? e.message : String(e) };
        }
      },
    };
  },
});
