/**
 * @module core/scrape/config
 * The `<scrape_config>` section: types with Prometheus's YAML keys (durations in ms, sizes in bytes),
 * defaults taken from the global section as Prometheus does, and strict validation with errors naming the
 * key path. Service discovery keys are delegated to core/discovery, relabel rules to core/relabel, and
 * the HTTP client keys to core/discovery/http-client.
 *
 * Quiver extension: `plugin: <plugin instance id>` scrapes an in-process exporter instead of HTTP.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYAML } from "yaml";
import type { GlobalConfig } from "../config/global.ts";
import { ConfigError } from "../util/errors.ts";
import { readSize } from "../config/global.ts";
import { HTTP_CLIENT_KEYS, parseHTTPClientConfig, type HTTPClientConfig } from "../discovery/http-client.ts";
import { isDiscoveryKey, parseDiscoveryConfigs, type DiscoveryConfigs } from "../discovery/config.ts";
import { parseRelabelConfigs, type RelabelConfig } from "../relabel/config.ts";
import { formatDuration } from "../util/duration.ts";
import {
  configFail, expectList, expectObject, joinPath, readBool, readDuration, readString, readStringList, readUint, scalarString,
} from "../util/config-check.ts";

/** Scrape protocols a scrape config may list (PrometheusProto is accepted but never negotiated by Quiver's parser). */
export const KNOWN_SCRAPE_PROTOCOLS = ["PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"] as const;

/** One scrape job. */
export interface ScrapeConfig extends HTTPClientConfig {
  job_name: string;
  honor_labels: boolean;
  honor_timestamps: boolean;
  track_timestamps_staleness: boolean;
  /** ms */
  scrape_interval: number;
  /** ms; never greater than scrape_interval. */
  scrape_timeout: number;
  scrape_protocols: string[];
  fallback_scrape_protocol?: string;
  metrics_path: string;
  scheme: string;
  /** URL query parameters (each key may repeat). */
  params: Record<string, string[]>;
  enable_compression: boolean;
  /** 0 = no limit. */
  sample_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  /** Bytes, 0 = no limit. */
  body_size_limit: number;
  target_limit: number;
  keep_dropped_targets: number;
  relabel_configs: RelabelConfig[];
  metric_relabel_configs: RelabelConfig[];
  discovery: DiscoveryConfigs;
  /** "utf8" (Prometheus 3 default) or "legacy" (scraped names must match the classic character sets). */
  metric_name_validation_scheme: "utf8" | "legacy";
  /** The `escaping=` value sent in the Accept header. */
  metric_name_escaping_scheme: "allow-utf-8" | "underscores" | "dots" | "values";
  /**
   * Accepted for compatibility. Quiver stores classic histograms only (no native histograms are parsed), so
   * classic series are always kept and native-histogram limits never apply.
   */
  always_scrape_classic_histograms: boolean;
  native_histogram_bucket_limit: number;
  native_histogram_min_bucket_factor: number;
  /** Quiver extension: the in-process exporter plugin instance to scrape. */
  plugin?: string;
}

const KEYS = [
  "job_name", "honor_labels", "honor_timestamps", "track_timestamps_staleness", "scrape_interval", "scrape_timeout",
  "scrape_protocols", "fallback_scrape_protocol", "metrics_path", "scheme", "params", "enable_compression", "sample_limit",
  "label_limit", "label_name_length_limit", "label_value_length_limit", "body_size_limit", "target_limit",
  "keep_dropped_targets", "relabel_configs", "metric_relabel_configs", "plugin",
  "metric_name_validation_scheme", "metric_name_escaping_scheme", "always_scrape_classic_histograms",
  "scrape_classic_histograms", "native_histogram_bucket_limit", "native_histogram_min_bucket_factor",
  "convert_classic_histograms_to_nhcb", "scrape_native_histograms", "scrape_failure_log_file",
  ...HTTP_CLIENT_KEYS,
];

/** Options of {@link parseScrapeConfig}. */
export interface ParseScrapeOptions {
  /** Names of loaded discoverer plugins, allowing `<name>_sd_configs`. */
  sdPluginNames?: ReadonlySet<string>;
  /** Ids of configured exporter plugin instances; when given, `plugin:` must name one of them. */
  exporterIds?: ReadonlySet<string>;
  /**
   * Directory of the file the config came from. When set, relative paths (file_sd files, TLS and
   * credential files) are made absolute against it, as Prometheus's SetDirectory does.
   */
  dir?: string;
}

/**
 * Validates one scrape config, applying defaults from `global`. Throws ConfigError naming `path`.
 * @example parseScrapeConfig({ job_name: "node", static_configs: [{ targets: ["localhost:9100"] }] }, DEFAULT_GLOBAL, "scrape_configs[0]")
 */
export function parseScrapeConfig(raw: unknown, global: GlobalConfig, path: string, opts: ParseScrapeOptions = {}): ScrapeConfig {
  const o = expectObject(raw, path);
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k) && !isDiscoveryKey(k)) configFail(joinPath(path, k), `unknown key "${k}"`);
  }
  const job = readString(o, "job_name", path, "");
  if (job === "") configFail(joinPath(path, "job_name"), "job_name is empty");
  const interval = readDuration(o, "scrape_interval", path, 0) || global.scrapeInterval;
  let timeout = readDuration(o, "scrape_timeout", path, 0);
  if (timeout > interval) {
    configFail(joinPath(path, "scrape_timeout"), `scrape timeout greater than scrape interval for scrape config with job name "${job}"`);
  }
  if (timeout === 0) timeout = Math.min(global.scrapeTimeout, interval);
  const protocols = readStringList(o, "scrape_protocols", path) ?? [...global.scrapeProtocols];
  protocols.forEach((p, i) => {
    if (!(KNOWN_SCRAPE_PROTOCOLS as readonly string[]).includes(p)) {
      configFail(joinPath(joinPath(path, "scrape_protocols"), i), `unknown scrape protocol ${p}, supported: ${KNOWN_SCRAPE_PROTOCOLS.join(", ")}`);
    }
  });
  if (new Set(protocols).size !== protocols.length) configFail(joinPath(path, "scrape_protocols"), `duplicated protocol in scrape_protocols, got [${protocols.join(" ")}]`);
  const fallback = readString(o, "fallback_scrape_protocol", path);
  if (fallback !== undefined && !(KNOWN_SCRAPE_PROTOCOLS as readonly string[]).includes(fallback)) {
    configFail(joinPath(path, "fallback_scrape_protocol"), `unknown scrape protocol ${fallback}, supported: ${KNOWN_SCRAPE_PROTOCOLS.join(", ")}`);
  }
  const scheme = readString(o, "scheme", path, "http");
  if (scheme !== "http" && scheme !== "https") configFail(joinPath(path, "scheme"), `unsupported scheme "${scheme}" (http or https)`);
  const metricsPath = readString(o, "metrics_path", path, "/metrics");
  const params: Record<string, string[]> = {};
  const rawParams = expectObject(o.params, joinPath(path, "params"));
  for (const [k, v] of Object.entries(rawParams)) {
    const p = joinPath(joinPath(path, "params"), k);
    params[k] = expectList(v, p).map((x, i) => {
      const str = scalarString(x);
      if (str === undefined) configFail(joinPath(p, i), `expected a string, got ${JSON.stringify(x)}`);
      return str;
    });
  }
  const plugin = readString(o, "plugin", path);
  if (plugin !== undefined && opts.exporterIds && !opts.exporterIds.has(plugin)) {
    configFail(joinPath(path, "plugin"), `no exporter plugin instance "${plugin}" is configured in the plugins section`);
  }
  const limit = (key: string, def: number) => readUint(o, key, path, 0) || def;
  const validation = readString(o, "metric_name_validation_scheme", path, global.metricNameValidationScheme);
  if (validation !== "utf8" && validation !== "legacy") {
    configFail(joinPath(path, "metric_name_validation_scheme"), `unknown scrape config name validation method specified, must be either 'legacy' or 'utf8', got ${validation}`);
  }
  const escaping = readString(o, "metric_name_escaping_scheme", path, validation === "legacy" ? "underscores" : "allow-utf-8");
  if (!["allow-utf-8", "underscores", "dots", "values"].includes(escaping)) {
    configFail(joinPath(path, "metric_name_escaping_scheme"), `unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got ${escaping}`);
  }
  if (validation === "legacy" && escaping === "allow-utf-8") {
    configFail(joinPath(path, "metric_name_escaping_scheme"), "utf8 metric names requested but validation scheme is not set to UTF8");
  }
  if (readBool(o, "convert_classic_histograms_to_nhcb", path, false)) {
    configFail(joinPath(path, "convert_classic_histograms_to_nhcb"), "convert_classic_histograms_to_nhcb is not supported by Quiver (native histograms are not implemented)");
  }
  // scrape_native_histograms only asks for the protobuf format, which Quiver never negotiates: targets
  // then expose classic buckets in text, which is what gets stored — the same as Prometheus scraping a
  // text-only target. Accepted (and type-checked) so existing configs load.
  readBool(o, "scrape_native_histograms", path, false);
  if (o.scrape_failure_log_file !== undefined && o.scrape_failure_log_file !== null) {
    configFail(joinPath(path, "scrape_failure_log_file"), "scrape_failure_log_file is not supported by Quiver yet");
  }
  const factor = o.native_histogram_min_bucket_factor ?? 0;
  if (typeof factor !== "number" || factor < 0) configFail(joinPath(path, "native_histogram_min_bucket_factor"), `expected a non-negative number, got ${JSON.stringify(factor)}`);
  return {
    ...parseHTTPClientConfig(o, path),
    job_name: job,
    honor_labels: readBool(o, "honor_labels", path, false),
    honor_timestamps: readBool(o, "honor_timestamps", path, true),
    track_timestamps_staleness: readBool(o, "track_timestamps_staleness", path, false),
    scrape_interval: interval,
    scrape_timeout: timeout,
    scrape_protocols: protocols,
    fallback_scrape_protocol: fallback,
    metrics_path: metricsPath,
    scheme,
    params,
    enable_compression: readBool(o, "enable_compression", path, true),
    sample_limit: limit("sample_limit", global.sampleLimit),
    label_limit: limit("label_limit", global.labelLimit),
    label_name_length_limit: limit("label_name_length_limit", global.labelNameLengthLimit),
    label_value_length_limit: limit("label_value_length_limit", global.labelValueLengthLimit),
    body_size_limit: readSize(o, "body_size_limit", path, 0) || global.bodySizeLimit,
    target_limit: limit("target_limit", global.targetLimit),
    keep_dropped_targets: limit("keep_dropped_targets", global.keepDroppedTargets),
    relabel_configs: parseRelabelConfigs(o.relabel_configs, joinPath(path, "relabel_configs")),
    metric_relabel_configs: parseRelabelConfigs(o.metric_relabel_configs, joinPath(path, "metric_relabel_configs")),
    discovery: parseDiscoveryConfigs(o, path, opts.sdPluginNames),
    metric_name_validation_scheme: validation,
    metric_name_escaping_scheme: escaping as ScrapeConfig["metric_name_escaping_scheme"],
    always_scrape_classic_histograms: readBool(o, "always_scrape_classic_histograms", path, global.alwaysScrapeClassicHistograms) ||
      readBool(o, "scrape_classic_histograms", path, false),
    native_histogram_bucket_limit: readUint(o, "native_histogram_bucket_limit", path, 0),
    native_histogram_min_bucket_factor: factor as number,
    plugin,
  };
}

/**
 * Validates the `scrape_configs` list: each entry, plus unique job names. Suitable as the lead's
 * SectionParser body: `(raw, ctx) => parseScrapeConfigs(raw, ctx.global, ctx.path, opts)`.
 */
export function parseScrapeConfigs(raw: unknown, global: GlobalConfig, path = "scrape_configs", opts: ParseScrapeOptions = {}, seen = new Set<string>()): ScrapeConfig[] {
  return expectList(raw, path).map((r, i) => {
    const c = parseScrapeConfig(r, global, joinPath(path, i), opts);
    if (seen.has(c.job_name)) configFail(joinPath(joinPath(path, i), "job_name"), `found multiple scrape configs with job name "${c.job_name}"`);
    seen.add(c.job_name);
    return opts.dir ? resolvePaths(c, opts.dir) : c;
  });
}

/**
 * Parses one file named by `scrape_config_files` (a mapping with only `scrape_configs`). Relative paths
 * inside resolve against the file's own directory; `seen` carries job names across files and the main
 * config so duplicates are reported. Throws ConfigError naming the file.
 */
export function parseScrapeConfigFile(text: string, file: string, global: GlobalConfig, opts: ParseScrapeOptions = {}, seen = new Set<string>()): ScrapeConfig[] {
  let doc: unknown;
  try {
    doc = parseYAML(text, { uniqueKeys: true, merge: true });
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message}`, file);
  }
  try {
    const o = expectObject(doc, "", ["scrape_configs"]);
    return parseScrapeConfigs(o.scrape_configs, global, "scrape_configs", { ...opts, dir: dirname(file) }, seen);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${file}: ${e.message}`, file, e.path);
    throw e;
  }
}

/** Makes the relative file paths of a parsed config absolute against `dir` (returns a new object). */
export function resolvePaths(c: ScrapeConfig, dir: string): ScrapeConfig {
  const abs = (p: string | undefined) => (p === undefined || p === "" || isAbsolute(p) ? p : resolve(dir, p));
  const http = <T extends HTTPClientConfig>(h: T): T => ({
    ...h,
    tls_config: { ...h.tls_config, ca_file: abs(h.tls_config.ca_file), cert_file: abs(h.tls_config.cert_file), key_file: abs(h.tls_config.key_file) },
    ...(h.basic_auth ? { basic_auth: { ...h.basic_auth, username_file: abs(h.basic_auth.username_file), password_file: abs(h.basic_auth.password_file) } } : {}),
    ...(h.authorization ? { authorization: { ...h.authorization, credentials_file: abs(h.authorization.credentials_file) } } : {}),
  });
  const clean = <T extends object>(x: T): T => JSON.parse(JSON.stringify(x)) as T; // drop undefined members
  const out: ScrapeConfig = {
    ...http(c),
    discovery: {
      ...c.discovery,
      file_sd_configs: c.discovery.file_sd_configs.map((f) => ({ ...f, files: f.files.map((x) => abs(x)!) })),
      http_sd_configs: c.discovery.http_sd_configs.map((h) => clean(http(h))),
    },
  };
  out.tls_config = clean(out.tls_config);
  if (out.basic_auth) out.basic_auth = clean(out.basic_auth);
  if (out.authorization) out.authorization = clean(out.authorization);
  return out;
}

/** Formats a duration in ms as Prometheus prints it in labels (`__scrape_interval__`). */
export function durationLabel(ms: number): string {
  return formatDuration(ms);
}
