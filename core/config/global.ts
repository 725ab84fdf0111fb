/**
 * @module core/config/global
 * The `global:` section of prometheus.yml, with Prometheus's documented defaults.
 */
import {
  configFail, expectObject, joinPath, LABEL_NAME_RE, readBool, readDuration, readString, readStringList,
  readStringMap, readUint, type RawObject,
} from "../util/config-check.ts";
import { parseSize } from "../util/size.ts";

/** The scrape protocols Prometheus 3 negotiates, in its default order. */
export const DEFAULT_SCRAPE_PROTOCOLS = [
  "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4",
] as const;
const KNOWN_PROTOCOLS = ["PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"];

/** The global section. Durations in ms, sizes in bytes; 0 limits mean "no limit". */
export interface GlobalConfig {
  scrapeInterval: number;
  scrapeTimeout: number;
  evaluationInterval: number;
  ruleQueryOffset: number;
  externalLabels: Record<string, string>;
  queryLogFile?: string;
  scrapeFailureLogFile?: string;
  scrapeProtocols: string[];
  bodySizeLimit: number;
  sampleLimit: number;
  targetLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  keepDroppedTargets: number;
  metricNameValidationScheme: "utf8" | "legacy";
  metricNameEscapingScheme: string;
  alwaysScrapeClassicHistograms: boolean;
  convertClassicHistogramsToNhcb: boolean;
}

/** Prometheus's defaults for the global section (config.DefaultGlobalConfig). */
export const DEFAULT_GLOBAL: Readonly<GlobalConfig> = Object.freeze({
  scrapeInterval: 60_000,
  scrapeTimeout: 10_000,
  evaluationInterval: 60_000,
  ruleQueryOffset: 0,
  externalLabels: {},
  scrapeProtocols: [...DEFAULT_SCRAPE_PROTOCOLS],
  bodySizeLimit: 0,
  sampleLimit: 0,
  targetLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  keepDroppedTargets: 0,
  metricNameValidationScheme: "utf8",
  metricNameEscapingScheme: "allow-utf-8",
  alwaysScrapeClassicHistograms: false,
  convertClassicHistogramsToNhcb: false,
});

const GLOBAL_KEYS = [
  "scrape_interval", "scrape_timeout", "evaluation_interval", "rule_query_offset", "external_labels", "query_log_file",
  "scrape_failure_log_file", "scrape_protocols", "body_size_limit", "sample_limit", "target_limit", "label_limit",
  "label_name_length_limit", "label_value_length_limit", "keep_dropped_targets", "metric_name_validation_scheme",
  "metric_name_escaping_scheme", "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb",
  "scrape_native_histograms", "extra_scrape_metrics",
];

/** Reads a size key (`100MB`) into bytes; 0 means unlimited. */
export function readSize(o: RawObject, key: string, path: string, def: number): number {
  const v = o[key];
  if (v === undefined || v === null) return def;
  try {
    return parseSize(String(v));
  } catch (e) {
    configFail(joinPath(path, key), (e as Error).message);
  }
}

/** Parses the global section, applying defaults and Prometheus's cross-field checks. */
export function parseGlobal(raw: unknown, path: string): GlobalConfig {
  const o = expectObject(raw, path, GLOBAL_KEYS);
  const d = DEFAULT_GLOBAL;
  const scrapeInterval = readDuration(o, "scrape_interval", path, d.scrapeInterval);
  if (scrapeInterval === 0) configFail(joinPath(path, "scrape_interval"), "scrape interval must be greater than 0");
  // Prometheus: an unset timeout is min(default timeout, interval).
  const scrapeTimeout = readDuration(o, "scrape_timeout", path, Math.min(d.scrapeTimeout, scrapeInterval));
  if (scrapeTimeout > scrapeInterval) configFail(joinPath(path, "scrape_timeout"), "global scrape timeout greater than scrape interval");
  const protocols = readStringList(o, "scrape_protocols", path) ?? [...d.scrapeProtocols];
  protocols.forEach((s, i) => {
    if (!KNOWN_PROTOCOLS.includes(s)) configFail(joinPath(joinPath(path, "scrape_protocols"), i), `unknown scrape protocol ${s}, supported: ${KNOWN_PROTOCOLS.join(", ")}`);
  });
  if (new Set(protocols).size !== protocols.length) configFail(joinPath(path, "scrape_protocols"), "duplicated protocol in scrape_protocols");
  const scheme = readString(o, "metric_name_validation_scheme", path, "utf8");
  if (scheme !== "utf8" && scheme !== "legacy") {
    configFail(joinPath(path, "metric_name_validation_scheme"), `unknown name validation method specified, must be either 'legacy' or 'utf8', got ${scheme}`);
  }
  const externalLabels = readStringMap(o, "external_labels", path) ?? {};
  for (const k of Object.keys(externalLabels)) {
    if (k.startsWith("__")) configFail(joinPath(joinPath(path, "external_labels"), k), `${JSON.stringify(k)} is a reserved label name`);
    if (scheme === "legacy" && !LABEL_NAME_RE.test(k)) configFail(joinPath(joinPath(path, "external_labels"), k), `${JSON.stringify(k)} is not a valid label name`);
  }
  return {
    scrapeInterval,
    scrapeTimeout,
    evaluationInterval: readDuration(o, "evaluation_interval", path, d.evaluationInterval),
    ruleQueryOffset: readDuration(o, "rule_query_offset", path, d.ruleQueryOffset),
    externalLabels,
    queryLogFile: readString(o, "query_log_file", path),
    scrapeFailureLogFile: readString(o, "scrape_failure_log_file", path),
    scrapeProtocols: protocols,
    bodySizeLimit: readSize(o, "body_size_limit", path, 0),
    sampleLimit: readUint(o, "sample_limit", path, 0),
    targetLimit: readUint(o, "target_limit", path, 0),
    labelLimit: readUint(o, "label_limit", path, 0),
    labelNameLengthLimit: readUint(o, "label_name_length_limit", path, 0),
    labelValueLengthLimit: readUint(o, "label_value_length_limit", path, 0),
    keepDroppedTargets: readUint(o, "keep_dropped_targets", path, 0),
    metricNameValidationScheme: scheme,
    metricNameEscapingScheme: readString(o, "metric_name_escaping_scheme", path, scheme === "legacy" ? "underscores" : "allow-utf-8"),
    alwaysScrapeClassicHistograms: readBool(o, "always_scrape_classic_histograms", path, false),
    convertClassicHistogramsToNhcb: readBool(o, "convert_classic_histograms_to_nhcb", path, false),
  };
}
