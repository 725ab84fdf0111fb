/**
 * @module core/alerting/http-config
 * The part of Prometheus's `http_config` that notification channels apply per request: `authorization`
 * (type + credentials / credentials_file), `bearer_token` / `bearer_token_file` and `basic_auth`
 * (username, password / password_file). TLS and proxy settings are accepted by Alertmanager configs but
 * not applied by Quiver's fetch-based channels; they are rejected here so nobody relies on them silently,
 * except the harmless `follow_redirects` and `enable_http2`.
 */
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../util/errors.ts";

function readSecret(o: Record<string, unknown>, key: string, dir: string): string | undefined {
  if (typeof o[key] === "string" && o[key] !== "") return o[key] as string;
  const f = o[`${key}_file`];
  if (typeof f === "string" && f !== "") return readFileSync(isAbsolute(f) ? f : resolve(dir, f), "utf8").trim();
  return undefined;
}

/** Returns the request headers `http_config` asks for. Throws ConfigError for unsupported keys. */
export function authHeaders(raw: unknown, configDir: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError("http_config: expected a mapping");
  const o = raw as Record<string, unknown>;
  const supported = ["authorization", "bearer_token", "bearer_token_file", "basic_auth", "follow_redirects", "enable_http2"];
  for (const k of Object.keys(o)) if (!supported.includes(k)) throw new ConfigError(`http_config.${k}: not supported by Quiver's notification channels`);
  const h: Record<string, string> = {};
  if (o.authorization) {
    const a = o.authorization as Record<string, unknown>;
    const cred = readSecret(a, "credentials", configDir);
    if (cred) h.Authorization = `${typeof a.type === "string" ? a.type : "Bearer"} ${cred}`;
  }
  const bt = readSecret(o, "bearer_token", configDir);
  if (bt) h.Authorization = `Bearer ${bt}`;
  if (o.basic_auth) {
    const b = o.basic_auth as Record<string, unknown>;
    const user = typeof b.username === "string" ? b.username : "";
    const pass = readSecret(b, "password", configDir) ?? "";
    h.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  }
  return h;
}
