/**
 * @module exporters/blackbox/exporter
 * The blackbox exporter as a library: a config holder with reload, the HTTP routes of the standalone
 * exporter (/probe, /metrics, /-/reload, /), and `probe(params)` for in-process use by the plugin.
 */
import { type Logger } from "../../core/log/logger.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { Counter, Gauge, Registry, collectDefaultMetrics, metricsHandler } from "../service/index.ts";
import { type BlackboxConfig, loadBlackboxConfig } from "./config.ts";
import { DEFAULT_TIMEOUT_OFFSET_S, probeHandler, probeTimeoutSeconds, runProbe } from "./probe.ts";

/** Options of {@link BlackboxExporter}. */
export interface BlackboxExporterOptions {
  /** Path of blackbox.yml (re-read on reload), or a config object. */
  config: string | BlackboxConfig;
  logger: Logger;
  /** --timeout-offset, seconds. */
  timeoutOffsetS?: number;
  /** Clock in ms. */
  now?: () => number;
}

/** A blackbox exporter instance. */
export class BlackboxExporter {
  private cfg: BlackboxConfig;
  readonly registry = new Registry();
  private readonly reloadOk: Gauge;
  private readonly reloadTime: Gauge;
  /** blackbox_module_unknown_total, incremented by /probe for unknown modules. */
  readonly unknownModules: Counter;
  private readonly now: () => number;

  constructor(private readonly opts: BlackboxExporterOptions) {
    this.now = opts.now ?? Date.now;
    this.cfg = typeof opts.config === "string" ? loadBlackboxConfig(opts.config) : opts.config;
    this.reloadOk = new Gauge({ name: "blackbox_exporter_config_last_reload_successful", help: "Blackbox exporter config loaded successfully", registers: [this.registry] });
    this.reloadTime = new Gauge({ name: "blackbox_exporter_config_last_reload_success_timestamp_seconds", help: "Timestamp of the last successful configuration reload.", registers: [this.registry] });
    this.unknownModules = new Counter({ name: "blackbox_module_unknown_total", help: "Count of unknown modules requested by probes", registers: [this.registry] });
    this.reloadOk.set(1);
    this.reloadTime.set(this.now() / 1000);
    collectDefaultMetrics({ register: this.registry, include: ["processCpuTotal", "processStartTime", "processOpenFileDescriptors", "processMemory"] });
  }

  /** The current config. */
  get config(): BlackboxConfig {
    return this.cfg;
  }

  /** Re-reads the config file; keeps the old config on error (and rethrows it). */
  reload(): void {
    if (typeof this.opts.config !== "string") return;
    try {
      this.cfg = loadBlackboxConfig(this.opts.config);
      this.reloadOk.set(1);
      this.reloadTime.set(this.now() / 1000);
      this.opts.logger.info("Loaded config file", { file: this.opts.config });
    } catch (e) {
      this.reloadOk.set(0);
      this.opts.logger.error("Error reloading config", { err: e });
      throw e;
    }
  }

  /**
   * Runs one probe from scrape parameters (`target`, `module`, like /probe) within `timeoutMs`.
   * @throws Error for a missing target or unknown module (a bad scrape configuration).
   */
  async probe(params: URLSearchParams, timeoutMs: number, signal?: AbortSignal): Promise<MetricFamily[]> {
    const moduleName = params.get("module") || "http_2xx";
    const module = this.cfg.modules.get(moduleName);
    if (!module) {
      this.unknownModules.inc();
      throw new Error(`Unknown module "${moduleName}"`);
    }
    const target = params.get("target");
    if (!target) throw new Error("Target parameter is missing");
    const timeoutS = probeTimeoutSeconds(String(timeoutMs / 1000), module, this.opts.timeoutOffsetS ?? DEFAULT_TIMEOUT_OFFSET_S);
    return (await runProbe(moduleName, module, target, timeoutS, this.opts.logger, signal)).families;
  }

  /** The standalone exporter's routes as one fetch handler. */
  handler(): (req: Request) => Promise<Response> {
    const probe = probeHandler({ config: () => this.cfg, logger: this.opts.logger, timeoutOffsetS: this.opts.timeoutOffsetS, onUnknownModule: () => this.unknownModules.inc() });
    const metrics = metricsHandler(this.registry, { instrument: this.registry });
    return async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/probe") return probe(req);
      if (path === "/metrics") return metrics(req);
      if (path === "/-/reload") {
        if (req.method !== "POST" && req.method !== "PUT") return new Response("This endpoint requires a POST request.\n", { status: 405 });
        try {
          this.reload();
          return new Response("");
        } catch (e) {
          return new Response(`failed to reload config: ${(e as Error).message}\n`, { status: 500 });
        }
      }
      if (path === "/-/healthy") return new Response("Healthy");
      if (path === "/") {
        const mods = [...this.cfg.modules.keys()].map((m) => `<li>${m}</li>`).join("");
        return new Response(`<html><head><title>Blackbox Exporter</title></head><body><h1>Blackbox Exporter (Quiver)</h1><p><a href="probe?target=prometheus.io&module=http_2xx">Probe prometheus.io for http_2xx</a></p><p><a href="probe?target=prometheus.io&module=http_2xx&debug=true">Debug probe prometheus.io for http_2xx</a></p><p><a href="metrics">Metrics</a></p><ul>${mods}</ul></body></html>`, { headers: { "content-type": "text/html; charset=utf-8" } });
      }
      return new Response("404 page not found\n", { status: 404 });
    };
  }
}
