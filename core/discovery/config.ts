/**
 * @module core/discovery/config
 * The service discovery keys of a scrape config: static_configs, file_sd_configs, http_sd_configs,
 * dns_sd_configs, and `<name>_sd_configs` for discoverer plugins. Types use Prometheus's YAML keys;
 * durations are milliseconds. Validators throw ConfigError naming the key path.
 */
import { configFail, expectList, expectObject, joinPath, LABEL_NAME_RE, readDuration, readString, readStringList, readStringMap, readUint } from "../util/config-check.ts";
import { HTTP_CLIENT_KEYS, parseHTTPClientConfig, type HTTPClientConfig } from "./http-client.ts";

/** One `static_configs` entry. */
export interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

/** One `file_sd_configs` entry. */
export interface FileSDConfig {
  files: string[];
  /** Re-read interval in ms (default 5m). */
  refresh_interval: number;
}

/** One `http_sd_configs` entry. */
export interface HTTPSDConfig extends HTTPClientConfig {
  url: string;
  /** Polling interval in ms (default 60s). */
  refresh_interval: number;
}

/** DNS record types dns_sd_configs supports. */
export type DNSRecordType = "SRV" | "A" | "AAAA" | "MX" | "NS";

/** One `dns_sd_configs` entry. */
export interface DNSSDConfig {
  names: string[];
  /** Re-resolve interval in ms (default 30s). */
  refresh_interval: number;
  type: DNSRecordType;
  /** Port for A, AAAA, MX and NS records (0 for SRV). */
  port: number;
}

/** A `<name>_sd_configs` entry handed to a discoverer plugin unvalidated. */
export interface PluginSDConfig {
  /** Discoverer plugin name (the key without `_sd_configs`). */
  name: string;
  config: unknown;
}

/** All discovery mechanisms of one scrape job. */
export interface DiscoveryConfigs {
  static_configs: StaticConfig[];
  file_sd_configs: FileSDConfig[];
  http_sd_configs: HTTPSDConfig[];
  dns_sd_configs: DNSSDConfig[];
  plugins: PluginSDConfig[];
}

/** Built-in discovery keys. */
export const BUILTIN_SD_KEYS = ["static_configs", "file_sd_configs", "http_sd_configs", "dns_sd_configs"] as const;

/** Defaults, as Prometheus documents them (ms). */
export const DEFAULT_FILE_SD_REFRESH_INTERVAL = 5 * 60_000;
export const DEFAULT_HTTP_SD_REFRESH_INTERVAL = 60_000;
export const DEFAULT_DNS_SD_REFRESH_INTERVAL = 30_000;

const FILE_SD_NAME_RE = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/**
 * Reads the discovery keys of a scrape config mapping. Keys ending in `_sd_configs` that are not built in
 * must name a discoverer plugin in `pluginNames`, otherwise ConfigError.
 */
export function parseDiscoveryConfigs(o: Record<string, unknown>, path: string, pluginNames: ReadonlySet<string> = new Set()): DiscoveryConfigs {
  const out: DiscoveryConfigs = { static_configs: [], file_sd_configs: [], http_sd_configs: [], dns_sd_configs: [], plugins: [] };
  out.static_configs = expectList(o.static_configs, joinPath(path, "static_configs")).map((r, i) => parseStaticConfig(r, joinPath(joinPath(path, "static_configs"), i)));
  out.file_sd_configs = expectList(o.file_sd_configs, joinPath(path, "file_sd_configs")).map((r, i) => parseFileSD(r, joinPath(joinPath(path, "file_sd_configs"), i)));
  out.http_sd_configs = expectList(o.http_sd_configs, joinPath(path, "http_sd_configs")).map((r, i) => parseHTTPSD(r, joinPath(joinPath(path, "http_sd_configs"), i)));
  out.dns_sd_configs = expectList(o.dns_sd_configs, joinPath(path, "dns_sd_configs")).map((r, i) => parseDNSSD(r, joinPath(joinPath(path, "dns_sd_configs"), i)));
  for (const key of Object.keys(o)) {
    if (!key.endsWith("_sd_configs") || (BUILTIN_SD_KEYS as readonly string[]).includes(key)) continue;
    const name = key.slice(0, -"_sd_configs".length);
    if (!pluginNames.has(name)) {
      configFail(joinPath(path, key), `unknown service discovery "${key}": no discoverer plugin named "${name}" is loaded`);
    }
    expectList(o[key], joinPath(path, key)).forEach((c) => out.plugins.push({ name, config: c }));
  }
  return out;
}

/** Whether a key belongs to discovery (built-in or plugin). */
export function isDiscoveryKey(key: string): boolean {
  return key === "static_configs" || key.endsWith("_sd_configs");
}

function checkLabels(labels: Record<string, string>, path: string): void {
  for (const n of Object.keys(labels)) if (!LABEL_NAME_RE.test(n)) configFail(joinPath(path, n), `"${n}" is not a valid label name`);
}

/** Validates one static_configs entry. */
export function parseStaticConfig(raw: unknown, path: string): StaticConfig {
  const o = expectObject(raw, path, ["targets", "labels"]);
  const targets = readStringList(o, "targets", path) ?? [];
  const labels = readStringMap(o, "labels", path) ?? {};
  checkLabels(labels, joinPath(path, "labels"));
  targets.forEach((t, i) => {
    if (t === "") configFail(joinPath(joinPath(path, "targets"), i), "empty target address");
  });
  return { targets, labels };
}

function parseFileSD(raw: unknown, path: string): FileSDConfig {
  const o = expectObject(raw, path, ["files", "refresh_interval"]);
  const files = readStringList(o, "files", path) ?? [];
  if (files.length === 0) configFail(path, "file service discovery config must contain at least one path name");
  files.forEach((f, i) => {
    if (!FILE_SD_NAME_RE.test(f)) configFail(joinPath(joinPath(path, "files"), i), `path name "${f}" is not valid for file discovery`);
  });
  return { files, refresh_interval: readDuration(o, "refresh_interval", path, DEFAULT_FILE_SD_REFRESH_INTERVAL) };
}

function parseHTTPSD(raw: unknown, path: string): HTTPSDConfig {
  const o = expectObject(raw, path, ["url", "refresh_interval", ...HTTP_CLIENT_KEYS]);
  const url = readString(o, "url", path, "");
  if (url === "") configFail(path, "URL is missing");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    configFail(joinPath(path, "url"), `invalid URL "${url}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") configFail(joinPath(path, "url"), "URL scheme must be 'http' or 'https'");
  if (!u.hostname) configFail(joinPath(path, "url"), "host is missing in URL");
  return { ...parseHTTPClientConfig(o, path), url, refresh_interval: readDuration(o, "refresh_interval", path, DEFAULT_HTTP_SD_REFRESH_INTERVAL) };
}

function parseDNSSD(raw: unknown, path: string): DNSSDConfig {
  const o = expectObject(raw, path, ["names", "refresh_interval", "type", "port"]);
  const names = readStringList(o, "names", path) ?? [];
  if (names.length === 0) configFail(path, "DNS-SD config must contain at least one SRV record name");
  const type = readString(o, "type", path, "SRV").toUpperCase() as DNSRecordType;
  if (!["SRV", "A", "AAAA", "MX", "NS"].includes(type)) configFail(joinPath(path, "type"), `invalid DNS-SD records type ${type}`);
  const port = readUint(o, "port", path, 0);
  if (type !== "SRV" && port === 0) configFail(path, "a port is required in DNS-SD configs for all record types except SRV");
  if (type === "SRV" && port !== 0) configFail(path, "a port is not allowed in DNS-SD configs for SRV records");
  return { names, type, port, refresh_interval: readDuration(o, "refresh_interval", path, DEFAULT_DNS_SD_REFRESH_INTERVAL) };
}
