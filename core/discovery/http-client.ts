/**
 * @module core/discovery/http-client
 * Prometheus's `<http_config>` (prometheus/common HTTPClientConfig) as used by scrape_configs and
 * http_sd_configs: basic_auth, authorization, bearer_token(_file), tls_config, follow_redirects,
 * enable_http2. Validation reproduces Prometheus's messages; credentials in `*_file` keys are read on
 * every request, so rotated secrets apply without a reload, as in Prometheus.
 *
 * Not supported (rejected with a clear message rather than silently ignored): oauth2, proxy settings,
 * http_headers. TLS options are handed to the runtime through core/runtime/fetch-tls.ts.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { tlsFetchOptions, type TLSClientOptions } from "../runtime/fetch-tls.ts";
import {
  configFail, expectObject, joinPath, readBool, readString, type RawObject,
} from "../util/config-check.ts";

/** `<tls_config>`. File paths are resolved against the config directory. */
export interface TLSConfig {
  ca?: string;
  ca_file?: string;
  cert?: string;
  cert_file?: string;
  key?: string;
  key_file?: string;
  server_name?: string;
  insecure_skip_verify: boolean;
  min_version?: string;
  max_version?: string;
}

/** `<basic_auth>`. */
export interface BasicAuth {
  username: string;
  username_file?: string;
  password?: string;
  password_file?: string;
}

/** `<authorization>`; `type` defaults to Bearer. */
export interface Authorization {
  type: string;
  credentials?: string;
  credentials_file?: string;
}

/** The HTTP client part of a scrape or http_sd config. */
export interface HTTPClientConfig {
  basic_auth?: BasicAuth;
  /** Also set from the legacy bearer_token / bearer_token_file keys. */
  authorization?: Authorization;
  tls_config: TLSConfig;
  follow_redirects: boolean;
  enable_http2: boolean;
}

/** The keys {@link parseHTTPClientConfig} reads; callers add them to their allowed-key lists. */
export const HTTP_CLIENT_KEYS = [
  "basic_auth", "authorization", "bearer_token", "bearer_token_file", "tls_config", "follow_redirects",
  "enable_http2", "oauth2", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "http_headers",
] as const;

const TLS_KEYS = ["ca", "ca_file", "cert", "cert_file", "key", "key_file", "server_name", "insecure_skip_verify", "min_version", "max_version"];
const TLS_VERSIONS = ["TLS10", "TLS11", "TLS12", "TLS13"];

/** Reads the HTTP client keys of `o` (a scrape or http_sd config mapping). Throws ConfigError. */
export function parseHTTPClientConfig(o: RawObject, path: string): HTTPClientConfig {
  for (const k of ["oauth2", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "http_headers"]) {
    if (o[k] !== undefined && o[k] !== null) configFail(joinPath(path, k), `${k} is not supported by Quiver`);
  }
  const cfg: HTTPClientConfig = {
    tls_config: parseTLS(o.tls_config, joinPath(path, "tls_config")),
    follow_redirects: readBool(o, "follow_redirects", path, true),
    enable_http2: readBool(o, "enable_http2", path, true),
  };
  if (o.basic_auth !== undefined && o.basic_auth !== null) {
    const p = joinPath(path, "basic_auth");
    const b = expectObject(o.basic_auth, p, ["username", "username_file", "password", "password_file"]);
    cfg.basic_auth = {
      username: readString(b, "username", p, ""), username_file: readString(b, "username_file", p),
      password: readString(b, "password", p), password_file: readString(b, "password_file", p),
    };
    if (cfg.basic_auth.username && cfg.basic_auth.username_file) configFail(p, "at most one of basic_auth username & username_file must be configured");
    if (cfg.basic_auth.password && cfg.basic_auth.password_file) configFail(p, "at most one of basic_auth password & password_file must be configured");
  }
  const bearer = readString(o, "bearer_token", path);
  const bearerFile = readString(o, "bearer_token_file", path);
  if (bearer && bearerFile) configFail(path, "at most one of bearer_token & bearer_token_file must be configured");
  if (o.authorization !== undefined && o.authorization !== null) {
    const p = joinPath(path, "authorization");
    const a = expectObject(o.authorization, p, ["type", "credentials", "credentials_file"]);
    if (bearer || bearerFile) configFail(path, "authorization is not compatible with bearer_token & bearer_token_file");
    const type = readString(a, "type", p, "").trim() || "Bearer";
    if (type.toLowerCase() === "basic") configFail(joinPath(p, "type"), `authorization type cannot be set to "basic", use "basic_auth" instead`);
    cfg.authorization = { type, credentials: readString(a, "credentials", p), credentials_file: readString(a, "credentials_file", p) };
    if (cfg.authorization.credentials && cfg.authorization.credentials_file) {
      configFail(p, "at most one of authorization credentials & credentials_file must be configured");
    }
  } else if (bearer || bearerFile) {
    cfg.authorization = { type: "Bearer", credentials: bearer, credentials_file: bearerFile };
  }
  if (cfg.basic_auth && cfg.authorization) {
    configFail(path, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
  }
  return cfg;
}

function parseTLS(raw: unknown, path: string): TLSConfig {
  const t = expectObject(raw, path, TLS_KEYS);
  const cfg: TLSConfig = { insecure_skip_verify: readBool(t, "insecure_skip_verify", path, false) };
  for (const k of ["ca", "ca_file", "cert", "cert_file", "key", "key_file", "server_name", "min_version", "max_version"] as const) {
    const v = readString(t, k, path);
    if (v !== undefined && v !== "") cfg[k] = v;
  }
  if (cfg.ca && cfg.ca_file) configFail(path, "at most one of ca and ca_file must be configured");
  if (cfg.cert && cfg.cert_file) configFail(path, "at most one of cert and cert_file must be configured");
  if (cfg.key && cfg.key_file) configFail(path, "at most one of key and key_file must be configured");
  if ((cfg.cert || cfg.cert_file) !== undefined && !(cfg.key || cfg.key_file)) configFail(path, "exactly one of key or key_file must be configured when a client certificate is configured");
  if ((cfg.key || cfg.key_file) !== undefined && !(cfg.cert || cfg.cert_file)) configFail(path, "exactly one of cert or cert_file must be configured when a client key is configured");
  for (const k of ["min_version", "max_version"] as const) {
    if (cfg[k] && !TLS_VERSIONS.includes(cfg[k]!)) configFail(joinPath(path, k), `unknown TLS version: ${cfg[k]}`);
  }
  return cfg;
}

function readSecretFile(file: string, dir: string): string {
  return readFileSync(isAbsolute(file) ? file : resolve(dir, file), "utf8").trim();
}

/**
 * Builds the per-request pieces of a fetch call: auth headers, TLS options (runtime-specific, opaque)
 * and the redirect mode. Reads credential and certificate files now; throws when one is unreadable.
 */
export function httpRequestInit(cfg: HTTPClientConfig, configDir: string): { headers: Record<string, string>; extra: Record<string, unknown>; redirect: RequestRedirect } {
  const headers: Record<string, string> = {};
  if (cfg.basic_auth) {
    const b = cfg.basic_auth;
    const user = b.username_file ? readSecretFile(b.username_file, configDir) : b.username;
    const pass = b.password_file ? readSecretFile(b.password_file, configDir) : (b.password ?? "");
    headers["Authorization"] = "Basic " + Buffer.from(`${user}:${pass}`, "utf8").toString("base64");
  } else if (cfg.authorization) {
    const a = cfg.authorization;
    const cred = a.credentials_file ? readSecretFile(a.credentials_file, configDir) : (a.credentials ?? "");
    headers["Authorization"] = `${a.type} ${cred}`;
  }
  const t = cfg.tls_config;
  const read = (f: string) => readFileSync(isAbsolute(f) ? f : resolve(configDir, f), "utf8");
  const tls: TLSClientOptions = {
    ca: t.ca ?? (t.ca_file ? read(t.ca_file) : undefined),
    cert: t.cert ?? (t.cert_file ? read(t.cert_file) : undefined),
    key: t.key ?? (t.key_file ? read(t.key_file) : undefined),
    serverName: t.server_name,
    insecureSkipVerify: t.insecure_skip_verify,
  };
  return { headers, extra: tlsFetchOptions(tls), redirect: cfg.follow_redirects ? "follow" : "manual" };
}

/** The default HTTP client config (all Prometheus defaults). */
export function defaultHTTPClientConfig(): HTTPClientConfig {
  return { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };
}
