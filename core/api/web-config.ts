/**
 * @module core/api/web-config
 * --web.config.file, in Prometheus's exporter-toolkit format:
 * ```yaml
 * tls_server_config: {cert_file, key_file | cert, key, client_auth_type, client_ca_file, min_version, max_version}
 * http_server_config: {http2, headers: {Name: value}}
 * basic_auth_users: {user: <bcrypt hash>}
 * ```
 * Parsing is strict (unknown keys are errors; paths are relative to the file's folder; messages name
 * the file and key). {@link webConfigGuard} enforces basic auth and the configured headers on every
 * request, re-reading the file when it changes (as exporter-toolkit does per request); answers are
 * exporter-toolkit's: 401 `Unauthorized` with `WWW-Authenticate: Basic`. Successful bcrypt checks are
 * cached so a client does not pay the bcrypt cost on each request. {@link tlsServerOptions} gives the
 * PEM material for `serve()`.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { Elysia } from "elysia";
import { parseYaml } from "../config/load.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import { isBcryptHash, verifyBcrypt } from "./bcrypt.ts";

/** exporter-toolkit's client_auth_type values. */
export type ClientAuthType = "NoClientCert" | "RequestClientCert" | "RequireAnyClientCert" | "VerifyClientCertIfGiven" | "RequireAndVerifyClientCert";

/** tls_server_config with paths resolved. */
export interface TlsServerConfig {
  certFile: string;
  keyFile: string;
  /** Inline PEM (cert/key keys) when given instead of files. */
  cert: string;
  key: string;
  clientAuthType: ClientAuthType;
  clientCaFile: string;
  minVersion: string;
  maxVersion: string;
}

/** A parsed web config file. */
export interface WebConfig {
  tls: TlsServerConfig | null;
  http2: boolean;
  /** Response headers to set on every answer. */
  headers: Record<string, string>;
  /** user → bcrypt hash. Empty: no authentication. */
  users: Map<string, string>;
}

/** The config used when --web.config.file is empty. */
export const EMPTY_WEB_CONFIG: WebConfig = { tls: null, http2: true, headers: {}, users: new Map() };

const CLIENT_AUTH: readonly ClientAuthType[] = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"];
const TLS_VERSIONS = ["TLS10", "TLS11", "TLS12", "TLS13"];
/** Headers exporter-toolkit lets users set, with their allowed values (null: any). */
const HEADERS: Record<string, readonly string[] | null> = {
  "Content-Security-Policy": null,
  "X-Frame-Options": ["deny", "sameorigin"],
  "X-Content-Type-Options": ["nosniff"],
  "X-XSS-Protection": null,
  "Strict-Transport-Security": null,
};

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new ConfigError(`${where}: expected a mapping`);
  return v as Obj;
}

function strict(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ConfigError(`${where}: field ${k} not found in type ${where.split(".").pop()}`);
  }
}

function str(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new ConfigError(`${where}.${k}: expected a string`);
  return v;
}

/**
 * Parses web config YAML. `dir` resolves relative file paths. Throws ConfigError naming the key and
 * the reason.
 */
export function parseWebConfig(text: string, dir = "."): WebConfig {
  const root = obj(parseYaml(text), "web config");
  strict(root, ["tls_server_config", "http_server_config", "basic_auth_users"], "web config");
  if ("rate_limit" in root) throw new ConfigError("web config: rate_limit is not supported by Quiver");
  const cfg: WebConfig = { tls: null, http2: true, headers: {}, users: new Map() };

  const t = obj(root["tls_server_config"], "tls_server_config");
  strict(t, ["cert_file", "key_file", "cert", "key", "client_auth_type", "client_ca_file", "min_version", "max_version", "cipher_suites", "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans"], "tls_server_config");
  if (Object.keys(t).length > 0) {
    const w = "tls_server_config";
    const resolve = (p: string) => (p === "" || isAbsolute(p) ? p : join(dir, p));
    const tls: TlsServerConfig = {
      certFile: resolve(str(t, "cert_file", w)),
      keyFile: resolve(str(t, "key_file", w)),
      cert: str(t, "cert", w),
      key: str(t, "key", w),
      clientAuthType: (str(t, "client_auth_type", w) || "NoClientCert") as ClientAuthType,
      clientCaFile: resolve(str(t, "client_ca_file", w)),
      minVersion: str(t, "min_version", w) || "TLS12",
      maxVersion: str(t, "max_version", w) || "TLS13",
    };
    if (tls.certFile === "" && tls.cert === "") throw new ConfigError(`${w}: missing one of cert or cert_file`);
    if (tls.keyFile === "" && tls.key === "") throw new ConfigError(`${w}: missing one of key or key_file`);
    if (tls.certFile !== "" && tls.cert !== "") throw new ConfigError(`${w}: at most one of cert and cert_file must be configured`);
    if (tls.keyFile !== "" && tls.key !== "") throw new ConfigError(`${w}: at most one of key and key_file must be configured`);
    if (!CLIENT_AUTH.includes(tls.clientAuthType)) throw new ConfigError(`${w}: Invalid ClientAuth: ${tls.clientAuthType}`);
    for (const k of ["minVersion", "maxVersion"] as const) {
      if (!TLS_VERSIONS.includes(tls[k])) throw new ConfigError(`${w}: unknown TLS version: ${tls[k]}`);
    }
    if (tls.clientCaFile === "" && (tls.clientAuthType === "RequireAndVerifyClientCert" || tls.clientAuthType === "VerifyClientCertIfGiven")) {
      throw new ConfigError(`${w}: client_ca_file is required for client_auth_type ${tls.clientAuthType}`);
    }
    cfg.tls = tls;
  }

  const h = obj(root["http_server_config"], "http_server_config");
  strict(h, ["http2", "headers"], "http_server_config");
  if (h["http2"] !== undefined) {
    if (typeof h["http2"] !== "boolean") throw new ConfigError("http_server_config.http2: expected true or false");
    cfg.http2 = h["http2"];
  }
  for (const [name, value] of Object.entries(obj(h["headers"], "http_server_config.headers"))) {
    const canon = Object.keys(HEADERS).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!canon) throw new ConfigError(`http_server_config.headers: HTTP header ${JSON.stringify(name)} can not be configured`);
    if (typeof value !== "string") throw new ConfigError(`http_server_config.headers.${name}: expected a string`);
    const allowed = HEADERS[canon];
    if (allowed && !allowed.includes(value.toLowerCase())) {
      throw new ConfigError(`http_server_config.headers: invalid value for ${canon}. Expected one of: ${JSON.stringify(allowed)}, but got: ${JSON.stringify(value)}`);
    }
    cfg.headers[canon] = value;
  }

  for (const [user, hash] of Object.entries(obj(root["basic_auth_users"], "basic_auth_users"))) {
    if (typeof hash !== "string" || !isBcryptHash(hash)) {
      throw new ConfigError(`basic_auth_users: the password of user ${JSON.stringify(user)} is not a bcrypt hash ($2a$/$2b$/$2y$, cost 4-31)`);
    }
    cfg.users.set(user, hash);
  }
  return cfg;
}

/** Reads and parses a web config file. Throws ConfigError prefixed with the file name. */
export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`${file}: ${errorMessage(e)}`, file);
  }
  try {
    return parseWebConfig(text, dirname(file));
  } catch (e) {
    throw new ConfigError(`${file}: ${errorMessage(e)}`, file, undefined, { cause: e });
  }
}

/**
 * A web config source that re-reads the file when its modification time or size changes (so users
 * and headers can change without a restart). A file that became invalid throws on `get()`.
 */
export function webConfigSource(file: string): { get(): WebConfig } {
  if (file === "") return { get: () => EMPTY_WEB_CONFIG };
  let stamp = "";
  let cfg: WebConfig = loadWebConfig(file);
  const st = statSync(file);
  stamp = `${st.mtimeMs}:${st.size}`;
  return {
    get() {
      const s = statSync(file);
      const now = `${s.mtimeMs}:${s.size}`;
      if (now !== stamp) {
        cfg = loadWebConfig(file);
        stamp = now;
      }
      return cfg;
    },
  };
}

/** PEM material for `serve()`, or undefined when TLS is not configured. Throws ConfigError on unreadable files. */
export function tlsServerOptions(cfg: WebConfig): { cert: string; key: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean } | undefined {
  const t = cfg.tls;
  if (!t) return undefined;
  const read = (f: string, what: string) => {
    try {
      return readFileSync(f, "utf8");
    } catch (e) {
      throw new ConfigError(`tls_server_config: failed to load ${what}: ${errorMessage(e)}`);
    }
  };
  const cert = t.cert || read(t.certFile, "X509KeyPair (cert_file)");
  const key = t.key || read(t.keyFile, "X509KeyPair (key_file)");
  const out: { cert: string; key: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean } = { cert, key };
  if (t.clientAuthType !== "NoClientCert") {
    out.requestCert = true;
    out.rejectUnauthorized = t.clientAuthType === "RequireAndVerifyClientCert" || t.clientAuthType === "RequireAnyClientCert";
    if (t.clientCaFile) out.ca = read(t.clientCaFile, "client_ca_file");
  }
  return out;
}

/** The hash exporter-toolkit compares against for unknown users, so their answer takes as long. */
const DUMMY_HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
const CACHE_MAX = 1024;

/**
 * Checks a request against the config: undefined when it may proceed, else the 401 answer.
 * `cache` remembers successful (user, password, hash) checks.
 */
export function checkBasicAuth(req: Request, cfg: WebConfig, cache: Set<string>): Response | undefined {
  if (cfg.users.size === 0) return undefined;
  const creds = parseBasicAuth(req.headers.get("authorization"));
  if (creds) {
    const hash = cfg.users.get(creds.user);
    const valid = hash !== undefined;
    const h = hash ?? DUMMY_HASH;
    const key = createHash("sha256").update(`${creds.user}\0${creds.pass}\0${h}`).digest("hex");
    let ok = cache.has(key);
    if (!ok) {
      ok = verifyBcrypt(creds.pass, h);
      if (ok && valid) {
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.add(key);
      }
    }
    if (ok && valid) return undefined;
  }
  return new Response("Unauthorized\n", { status: 401, headers: { "www-authenticate": "Basic", "content-type": "text/plain; charset=utf-8" } });
}

function parseBasicAuth(h: string | null): { user: string; pass: string } | null {
  if (!h || !/^basic /i.test(h)) return null;
  let dec: string;
  try {
    dec = new TextDecoder().decode(Uint8Array.from(atob(h.slice(6).trim()), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const i = dec.indexOf(":");
  return i < 0 ? null : { user: dec.slice(0, i), pass: dec.slice(i + 1) };
}

/**
 * Wraps a fetch handler with the web config: configured headers on every answer, basic auth before
 * anything else. A config file that became unreadable answers 500 (exporter-toolkit does the same).
 */
export function withWebConfig(source: { get(): WebConfig }, handler: (req: Request) => Response | Promise<Response>): (req: Request) => Promise<Response> {
  const cache = new Set<string>();
  return async (req) => {
    let cfg: WebConfig;
    try {
      cfg = source.get();
    } catch {
      return new Response("Internal Server Error\n", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    const res = checkBasicAuth(req, cfg, cache) ?? (await handler(req));
    const names = Object.keys(cfg.headers);
    if (names.length === 0) return res;
    const out = new Response(res.body, res);
    for (const n of names) out.headers.set(n, cfg.headers[n]!);
    return out;
  };
}

/**
 * The same as an Elysia plugin (global onRequest hook): rejects unauthenticated requests with 401.
 * Configured headers are added through the after-handle hook. Prefer {@link withWebConfig} around
 * `app.handle` when every answer (including 404s) must carry the headers.
 */
export function webConfigGuard(source: { get(): WebConfig }) {
  const cache = new Set<string>();
  return new Elysia({ name: "web-config" })
    .onRequest(({ request, set }: { request: Request; set: { headers: Record<string, string | number> } }) => {
      let cfg: WebConfig;
      try {
        cfg = source.get();
      } catch {
        return new Response("Internal Server Error\n", { status: 500 });
      }
      for (const [k, v] of Object.entries(cfg.headers)) set.headers[k] = v;
      return checkBasicAuth(request, cfg, cache);
    });
}
