/**
 * @module core/config/plugins
 * The `plugins:` section (a Quiver extension of prometheus.yml): which plugin instances to create, with
 * their settings. Exporter instances are scraped by jobs that name them (`plugin: <id>` in a scrape
 * config). Notifier and discoverer plugins need no entry here: they are enabled where Alertmanager or
 * scrape configs use `<name>_configs` / `<name>_sd_configs`.
 *
 * ```yaml
 * plugins:
 *   node_exporter:            # instance id
 *     plugin: node_exporter   # plugin folder name (default: the id)
 *     timeout: 10s            # per-collect timeout (default: the scrape timeout)
 *     config: { ... }         # the plugin's own settings
 * ```
 */
import { configFail, expectObject, joinPath, readBool, readDuration, readString } from "../util/config-check.ts";

/** One configured plugin instance. */
export interface PluginInstanceConfig {
  /** Instance id, unique in the config. */
  id: string;
  /** Plugin (folder) name. */
  plugin: string;
  disabled: boolean;
  /** Collect/notify timeout in ms; 0 means the caller's own timeout. */
  timeout: number;
  /** The plugin's own settings, validated by the plugin. */
  config: unknown;
}

const ID_RE = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

/** Parses the plugins section. */
export function parsePlugins(raw: unknown, path: string): PluginInstanceConfig[] {
  const o = expectObject(raw, path);
  return Object.entries(o).map(([id, v]) => {
    const at = joinPath(path, id);
    if (!ID_RE.test(id)) configFail(at, `invalid plugin instance id ${JSON.stringify(id)} (letters, digits, _ and -)`);
    const e = expectObject(v, at, ["plugin", "disabled", "timeout", "config"]);
    return {
      id,
      plugin: readString(e, "plugin", at, id),
      disabled: readBool(e, "disabled", at, false),
      timeout: readDuration(e, "timeout", at, 0),
      config: e.config ?? {},
    };
  });
}
