/**
 * @module core/notifier/config
 * The `alerting:` section of prometheus.yml: `alert_relabel_configs` and `alertmanagers` (api_version v2,
 * path_prefix, scheme, timeout, the HTTP client keys, service discovery — static_configs, file_sd_configs,
 * … — relabel_configs for the discovered Alertmanagers and per-Alertmanager alert_relabel_configs).
 * Strict like Prometheus: unknown keys and `api_version: v1` (removed in Prometheus 3) are rejected.
 */
import type { SectionContext } from "../config/load.ts";
import { HTTP_CLIENT_KEYS, isDiscoveryKey, parseDiscoveryConfigs, parseHTTPClientConfig, type DiscoveryConfigs, type HTTPClientConfig } from "../discovery/index.ts";
import { parseRelabelConfigs, type RelabelConfig } from "../relabel/index.ts";
import { configFail, expectList, expectObject, joinPath, readDuration, readString } from "../util/config-check.ts";

/** Prometheus's default Alertmanager request timeout, ms. */
export const DEFAULT_ALERTMANAGER_TIMEOUT_MS = 10_000;

/** One `alertmanagers` entry. */
export interface AlertmanagerSetConfig extends HTTPClientConfig {
  api_version: "v2";
  path_prefix: string;
  scheme: "http" | "https";
  /** ms */
  timeout: number;
  discovery: DiscoveryConfigs;
  relabel_configs: RelabelConfig[];
  alert_relabel_configs: RelabelConfig[];
}

/** The parsed `alerting:` section. */
export interface AlertingConfig {
  alert_relabel_configs: RelabelConfig[];
  alertmanagers: AlertmanagerSetConfig[];
}

const AM_KEYS = ["api_version", "path_prefix", "scheme", "timeout", "relabel_configs", "alert_relabel_configs", ...HTTP_CLIENT_KEYS];

/** A SectionParser for `alerting` (core/config's injected parser shape). */
export function parseAlertingSection(raw: unknown, ctx?: Pick<SectionContext, "path">, pluginNames: ReadonlySet<string> = new Set()): AlertingConfig {
  const path = ctx?.path ?? "alerting";
  const o = expectObject(raw, path, ["alert_relabel_configs", "alertmanagers"]);
  const ams = expectList(o.alertmanagers, joinPath(path, "alertmanagers")).map((x, i): AlertmanagerSetConfig => {
    const p = joinPath(joinPath(path, "alertmanagers"), i);
    const ao = expectObject(x, p);
    for (const k of Object.keys(ao)) if (!AM_KEYS.includes(k) && !isDiscoveryKey(k)) configFail(joinPath(p, k), `unknown key "${k}"`);
    const api = readString(ao, "api_version", p, "v2");
    if (api !== "v2") configFail(joinPath(p, "api_version"), `expected Alertmanager api version to be one of [v2] but got ${api}`);
    const scheme = readString(ao, "scheme", p, "http");
    if (scheme !== "http" && scheme !== "https") configFail(joinPath(p, "scheme"), `unsupported scheme "${scheme}"`);
    const httpKeys = Object.fromEntries(Object.entries(ao).filter(([k]) => (HTTP_CLIENT_KEYS as readonly string[]).includes(k)));
    return {
      ...parseHTTPClientConfig(httpKeys, p),
      api_version: "v2" as const,
      path_prefix: readString(ao, "path_prefix", p, "").replace(/\/$/, ""),
      scheme: scheme as "http" | "https",
      timeout: readDuration(ao, "timeout", p, DEFAULT_ALERTMANAGER_TIMEOUT_MS),
      discovery: parseDiscoveryConfigs(ao, p, pluginNames),
      relabel_configs: parseRelabelConfigs(ao.relabel_configs, joinPath(p, "relabel_configs")),
      alert_relabel_configs: parseRelabelConfigs(ao.alert_relabel_configs, joinPath(p, "alert_relabel_configs")),
    };
  });
  return { alert_relabel_configs: parseRelabelConfigs(o.alert_relabel_configs, joinPath(path, "alert_relabel_configs")), alertmanagers: ams };
}
