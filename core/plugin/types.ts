/**
 * @module core/plugin/types
 * The plugin contract. A plugin is one folder under plugins/ (or a folder given with --plugins.dir) whose
 * `index.ts` default-exports `definePlugin({...})`. The folder name equals `name`.
 *
 * Kinds:
 * - exporter: produces metric families; scraped in-process by a scrape job with `plugin: <id>`, and servable
 *   standalone over HTTP.
 * - notifier: a notification channel; enabled in Alertmanager configs as `<name>_configs` in a receiver.
 * - discoverer: service discovery; enabled in scrape configs as `<name>_sd_configs`.
 *
 * Lifecycle: `create(ctx)` validates the config and throws ConfigError for what cannot work; `start()` does
 * work that may be retried; `stop()` releases it. Core wraps every instance in a RunningPlugin that owns
 * timeouts, error isolation and self-metrics, so a plugin never needs to guard against taking the server down.
 */
import type { Logger } from "../log/logger.ts";
import type { NotificationMessage } from "../model/alert.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { TargetGroup } from "../model/target-group.ts";

export type { MetricFamily } from "../model/metric-family.ts";
export type { NotificationMessage, NotificationAlert, Alert } from "../model/alert.ts";
export type { TargetGroup } from "../model/target-group.ts";
export type { Logger } from "../log/logger.ts";

/** Plugin kinds. */
export type PluginKind = "exporter" | "notifier" | "discoverer";

/** What core hands a plugin when creating an instance. */
export interface PluginContext<C = unknown> {
  /** The plugin's own settings from the config file, unvalidated (the plugin validates in create). */
  config: C;
  /** A logger with `plugin=<name>` (and the instance id) attached. */
  logger: Logger;
  /** A directory the instance may keep state in (created on demand), under the storage path. */
  dataDir: string;
  /** The config file's directory, to resolve relative paths against. */
  configDir: string;
}

/** Common lifecycle methods. */
export interface Lifecycle {
  /** Work that may fail and be retried (connect, open files). */
  start?(): Promise<void> | void;
  /** Releases everything start acquired. */
  stop?(): Promise<void> | void;
}

/** An exporter instance. */
export interface ExporterInstance extends Lifecycle {
  /**
   * Collects current metrics. Must honour `signal` (aborted at the scrape timeout). `params` are the
   * target's URL parameters (the job's `params:` plus `__param_<name>` labels), exactly what an HTTP
   * exporter would receive in its query string — e.g. `target` and `module` for a blackbox probe.
   */
  collect(signal: AbortSignal, params?: URLSearchParams): Promise<MetricFamily[]> | MetricFamily[];
}

/** The outcome of one notification attempt. */
export interface NotifyResult {
  /** Whether the failure is worth retrying (network error, 5xx, 429). Ignored on success. */
  retry: boolean;
  /** Set when delivery failed. */
  error?: string;
}

/** A notification channel instance (one per `<name>_configs` entry of a receiver). */
export interface NotifierInstance extends Lifecycle {
  /** Delivers one message. Throwing counts as a retryable failure. */
  notify(message: NotificationMessage, signal: AbortSignal): Promise<NotifyResult>;
}

/** A service discovery instance (one per `<name>_sd_configs` entry). */
export interface DiscovererInstance extends Lifecycle {
  /**
   * Runs until `signal` aborts, calling `emit` with full or changed target groups. A group with targets
   * `[]` removes that source's targets.
   */
  run(signal: AbortSignal, emit: (groups: TargetGroup[]) => void): Promise<void>;
}

/** Maps a kind to its instance type. */
export interface InstanceOf {
  exporter: ExporterInstance;
  notifier: NotifierInstance;
  discoverer: DiscovererInstance;
}

/** A plugin definition: the default export of a plugin's index.ts. */
export interface PluginDefinition<K extends PluginKind = PluginKind, C = unknown> {
  /** Equals the folder name; lowercase letters, digits and underscores. */
  name: string;
  kind: K;
  /** Semantic version of the plugin. */
  version: string;
  /** One line for listings. */
  description?: string;
  /** Creates an instance; throw ConfigError (core/util/errors.ts) for invalid settings. */
  create(ctx: PluginContext<C>): Promise<InstanceOf[K]> | InstanceOf[K];
}

/** Declares a plugin with full typing. Returns its argument. */
export function definePlugin<K extends PluginKind, C = unknown>(def: PluginDefinition<K, C>): PluginDefinition<K, C> {
  return def;
}
