/**
 * @module plugins/blackbox_exporter
 * In-process blackbox exporter: a thin adapter from exporters/blackbox to the exporter plugin contract.
 * A scrape job for this plugin relabels targets into `__param_target` (and sets `__param_module`) as it
 * would for a standalone blackbox_exporter; core passes those parameters as the second argument of
 * `collect(signal, params)`.
 *
 * Contract note: `collect(signal, params?: URLSearchParams)` extends ExporterInstance.collect with the
 * scrape's URL parameters (requested from the lead for core/plugin/types.ts). Without a target the
 * collect fails with blackbox_exporter's "Target parameter is missing".
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { stringify } from "yaml";
import { type BlackboxConfig, parseBlackboxConfig } from "../../exporters/blackbox/config.ts";
import { BlackboxExporter } from "../../exporters/blackbox/exporter.ts";
import { type ExporterInstance, type MetricFamily, definePlugin } from "../../core/plugin/types.ts";
import { parseDuration } from "../../core/util/duration.ts";
import { ConfigError } from "../../core/util/errors.ts";

/** The plugin's settings (see example.yml). */
export interface BlackboxPluginConfig {
  config_file?: string;
  modules?: Record<string, unknown>;
  probe_timeout?: string;
}

/** Default probe timeout when neither module nor settings give one, ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** An exporter instance whose collect takes the scrape parameters. */
export interface ProbeExporterInstance extends ExporterInstance {
  collect(signal: AbortSignal, params?: URLSearchParams): Promise<MetricFamily[]>;
}

/** Builds the modules config from the settings. @throws ConfigError. */
export function buildConfig(cfg: BlackboxPluginConfig | null | undefined, configDir: string): BlackboxConfig {
  const c = cfg ?? {};
  for (const k of Object.keys(c)) {
    if (!["config_file", "modules", "probe_timeout"].includes(k)) throw new ConfigError(`blackbox_exporter: unknown setting ${JSON.stringify(k)}`, undefined, k);
  }
  if (!c.config_file && !c.modules) throw new ConfigError("blackbox_exporter: set config_file or modules");
  try {
    const merged: BlackboxConfig = { modules: new Map() };
    if (c.config_file) {
      const path = isAbsolute(c.config_file) ? c.config_file : join(configDir, c.config_file);
      for (const [k, v] of parseBlackboxConfig(readFileSync(path, "utf8"), path).modules) merged.modules.set(k, v);
    }
    if (c.modules) {
      for (const [k, v] of parseBlackboxConfig(stringify({ modules: c.modules }), "plugin settings").modules) merged.modules.set(k, v);
    }
    return merged;
  } catch (e) {
    throw new ConfigError(`blackbox_exporter: ${(e as Error).message}`);
  }
}

export default definePlugin<"exporter", BlackboxPluginConfig>({
  name: "blackbox_exporter",
  kind: "exporter",
  version: "1.0.0",
  description: "Probes endpoints over HTTP(S), TCP, DNS and gRPC with blackbox_exporter's modules and metrics",
  create(ctx): ProbeExporterInstance {
    const config = buildConfig(ctx.config, ctx.configDir);
    let timeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
    if (ctx.config?.probe_timeout) {
      try {
        timeoutMs = parseDuration(ctx.config.probe_timeout);
      } catch (e) {
        throw new ConfigError(`blackbox_exporter: probe_timeout: ${(e as Error).message}`, undefined, "probe_timeout");
      }
    }
    const exporter = new BlackboxExporter({ config, logger: ctx.logger, timeoutOffsetS: 0 });
    return {
      collect: (signal: AbortSignal, params?: URLSearchParams) => exporter.probe(params ?? new URLSearchParams(), timeoutMs, signal),
    };
  },
});
