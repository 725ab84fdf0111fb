/**
 * @module core/plugin/manager
 * PluginManager: discovers plugin folders, creates the configured exporter instances, wraps every
 * instance (exporters here; notifiers and discoverers through {@link PluginManager.wrap}) in a
 * RunningPlugin, and reports status and self-metrics. Applying a new config keeps unchanged instances
 * running and replaces changed ones.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PluginInstanceConfig } from "../config/plugins.ts";
import type { Logger } from "../log/logger.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import { errorMessage } from "../util/errors.ts";
import { loadPlugins, type LoadedPlugin } from "./loader.ts";
import { RunningPlugin } from "./running.ts";
import type { ExporterInstance, InstanceOf, Lifecycle, PluginDefinition, PluginKind } from "./types.ts";
import { validateFamilies } from "./validate.ts";

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions {
  /** Folders to scan, in override order (later wins). */
  dirs: string[];
  logger: Logger;
  /** Root for per-instance state directories (`<dataDir>/plugins/<id>`). */
  dataDir: string;
  /** Default collect timeout in ms when neither the plugin config nor the caller gives one. */
  defaultTimeoutMs?: number;
}

/** One row of the plugin status listing (served at /api/v1/status/plugins). */
export interface PluginStatus {
  name: string;
  kind?: PluginKind;
  version?: string;
  dir: string;
  /** "loaded" or "error" (could not import or invalid). */
  load: "loaded" | "error";
  error?: string;
  instances: Array<{
    id: string;
    state: string;
    lastError?: string;
    lastErrorAt?: string;
    calls: number;
    errors: number;
    timeouts: number;
  }>;
}

/** A collect function, as the scrape loop calls it for in-process targets. */
export type CollectFn = (signal: AbortSignal, params?: URLSearchParams) => Promise<MetricFamily[]>;

/** Owns plugin discovery and instances. */
export class PluginManager {
  #opts: PluginManagerOptions;
  #plugins = new Map<string, LoadedPlugin>();
  #exporters = new Map<string, { cfg: string; rp: RunningPlugin<ExporterInstance> }>();
  #wrapped = new Set<RunningPlugin<Lifecycle>>();

  constructor(opts: PluginManagerOptions) {
    this.#opts = opts;
  }

  /** Scans the plugin folders (again). Unchanged plugins are not re-imported. */
  async scan(): Promise<void> {
    this.#plugins = await loadPlugins(this.#opts.dirs, this.#opts.logger, this.#plugins);
  }

  /** The loaded definition of `name` of the given kind, if any. */
  definition<K extends PluginKind>(name: string, kind: K): PluginDefinition<K> | undefined {
    const p = this.#plugins.get(name);
    return p?.definition?.kind === kind ? (p.definition as PluginDefinition<K>) : undefined;
  }

  /** All loaded definitions of a kind, by name. */
  definitions<K extends PluginKind>(kind: K): Map<string, PluginDefinition<K>> {
    const m = new Map<string, PluginDefinition<K>>();
    for (const [n, p] of this.#plugins) if (p.definition?.kind === kind) m.set(n, p.definition as PluginDefinition<K>);
    return m;
  }

  /**
   * Creates, keeps or replaces exporter instances to match `instances`. Errors (unknown plugin, bad
   * settings) are logged and shown in status; they never throw, so one bad plugin can't block a reload.
   * Returns the list of problems, for the reload log.
   */
  async apply(instances: readonly PluginInstanceConfig[], configDir: string): Promise<string[]> {
    const problems: string[] = [];
    const wanted = new Map(instances.filter((i) => !i.disabled).map((i) => [i.id, i]));
    for (const [id, cur] of this.#exporters) {
      const w = wanted.get(id);
      if (!w || JSON.stringify(w) !== cur.cfg) {
        await cur.rp.stop();
        this.#exporters.delete(id);
      }
    }
    for (const [id, ic] of wanted) {
      if (this.#exporters.has(id)) continue;
      const def = this.#plugins.get(ic.plugin)?.definition;
      if (!def) {
        const why = this.#plugins.get(ic.plugin)?.error ?? "no such plugin folder";
        problems.push(`plugins.${id}: plugin ${JSON.stringify(ic.plugin)} is not available: ${why}`);
        continue;
      }
      if (def.kind !== "exporter") {
        problems.push(`plugins.${id}: plugin ${ic.plugin} is a ${def.kind}, configure it where ${def.kind === "notifier" ? `${ic.plugin}_configs` : `${ic.plugin}_sd_configs`} go instead`);
        continue;
      }
      const rp = this.wrap(def as PluginDefinition<"exporter">, id, ic.config, configDir, ic.timeout);
      this.#exporters.set(id, { cfg: JSON.stringify(ic), rp });
      try {
        await rp.start();
      } catch (e) {
        problems.push(`plugins.${id}: ${errorMessage(e)}`);
      }
    }
    for (const p of problems) this.#opts.logger.error("Plugin configuration problem", { err: p });
    return problems;
  }

  /**
   * Wraps an instance of any kind in a RunningPlugin (created lazily by start()). Alerting and discovery
   * call this for notifier and discoverer instances so they get the same isolation and appear in status.
   */
  wrap<K extends PluginKind>(def: PluginDefinition<K>, id: string, config: unknown, configDir: string, timeoutMs = 0): RunningPlugin<InstanceOf[K]> {
    const dataDir = join(this.#opts.dataDir, "plugins", id.replace(/[^a-zA-Z0-9_.-]/g, "_"));
    const logger = this.#opts.logger.child({ plugin: def.name, id });
    const rp = new RunningPlugin<InstanceOf[K]>({
      id,
      plugin: def.name,
      kind: def.kind,
      version: def.version,
      logger,
      timeoutMs: timeoutMs || this.#opts.defaultTimeoutMs || 10_000,
      onStop: () => this.#wrapped.delete(rp as RunningPlugin<Lifecycle>),
      create: () => {
        mkdirSync(dataDir, { recursive: true });
        return def.create({ config: config as never, logger, dataDir, configDir }) as InstanceOf[K] | Promise<InstanceOf[K]>;
      },
    });
    this.#wrapped.add(rp as RunningPlugin<Lifecycle>);
    return rp;
  }

  /** The collect function of exporter instance `id`, for the scrape loop; undefined if not configured. */
  collector(id: string): CollectFn | undefined {
    const e = this.#exporters.get(id);
    if (!e) return undefined;
    return (signal, params) =>
      e.rp.call("collect", (inst, sig) => inst.collect(sig, params), {
        signal,
        validate: validateFamilies,
      });
  }

  /** Status of every plugin folder and instance. */
  status(): PluginStatus[] {
    const byPlugin = new Map<string, RunningPlugin<Lifecycle>[]>();
    for (const rp of this.#wrapped) byPlugin.set(rp.plugin, [...(byPlugin.get(rp.plugin) ?? []), rp]);
    return [...this.#plugins.values()].map((p) => ({
      name: p.name,
      kind: p.definition?.kind,
      version: p.definition?.version,
      dir: p.dir,
      load: p.definition ? "loaded" as const : "error" as const,
      error: p.error,
      instances: (byPlugin.get(p.name) ?? []).map((rp) => ({
        id: rp.id,
        state: rp.state,
        lastError: rp.lastError,
        lastErrorAt: rp.lastErrorAt ? new Date(rp.lastErrorAt).toISOString() : undefined,
        calls: rp.stats.calls,
        errors: rp.stats.errors,
        timeouts: rp.stats.timeouts,
      })),
    }));
  }

  /** Self-metrics about plugins (quiver_plugin_*), for Quiver's /metrics. */
  metrics(): MetricFamily[] {
    const fam = (name: string, type: MetricFamily["type"], help: string): MetricFamily => ({ name, type, help, samples: [] });
    const loaded = fam("quiver_plugin_loaded", "gauge", "Whether a plugin folder loaded (1) or failed to load (0).");
    const up = fam("quiver_plugin_up", "gauge", "Whether a plugin instance is running and its last call succeeded.");
    const calls = fam("quiver_plugin_calls", "counter", "Calls made to a plugin instance (collect, notify, discover).");
    const errors = fam("quiver_plugin_errors", "counter", "Calls to a plugin instance that failed, timeouts included.");
    const timeouts = fam("quiver_plugin_timeouts", "counter", "Calls to a plugin instance that timed out.");
    const dur = fam("quiver_plugin_call_duration_seconds", "counter", "Total time spent in calls to a plugin instance.");
    const startFail = fam("quiver_plugin_start_failures", "counter", "Failed attempts to create or start a plugin instance.");
    for (const p of this.#plugins.values()) {
      loaded.samples.push({ name: loaded.name, labels: { plugin: p.name }, value: p.definition ? 1 : 0 });
    }
    for (const rp of this.#wrapped) {
      const l = { plugin: rp.plugin, id: rp.id, kind: rp.kind };
      up.samples.push({ name: up.name, labels: l, value: rp.state === "up" ? 1 : 0 });
      calls.samples.push({ name: "quiver_plugin_calls_total", labels: l, value: rp.stats.calls });
      errors.samples.push({ name: "quiver_plugin_errors_total", labels: l, value: rp.stats.errors });
      timeouts.samples.push({ name: "quiver_plugin_timeouts_total", labels: l, value: rp.stats.timeouts });
      dur.samples.push({ name: "quiver_plugin_call_duration_seconds_total", labels: l, value: rp.stats.durationSeconds });
      startFail.samples.push({ name: "quiver_plugin_start_failures_total", labels: l, value: rp.stats.startFailures });
    }
    return [loaded, up, calls, errors, timeouts, dur, startFail];
  }

  /** Stops every instance. */
  async stop(): Promise<void> {
    await Promise.all([...this.#wrapped].map((rp) => rp.stop()));
    this.#exporters.clear();
  }
}
