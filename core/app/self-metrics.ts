/**
 * @module core/app/self-metrics
 * Quiver's own top-level metrics with Prometheus's names: build info, readiness, config reload status.
 * Component metrics (TSDB, scrape, rules, plugins) are added as collectors by the composition root.
 */
import { Gauge, collectDefaultMetrics, type Registry } from "../../exporters/service/index.ts";
import { VERSION } from "./version.ts";

/** The gauges the app updates. */
export interface SelfMetrics {
  reloadSuccessful: Gauge;
  reloadSuccessTimestamp: Gauge;
  ready: Gauge;
}

/** Registers build info, process/runtime metrics and the config/readiness gauges on `registry`. */
export function registerSelfMetrics(registry: Registry, runtime: { name: string; version: string }): SelfMetrics {
  collectDefaultMetrics({ register: registry });
  const build = new Gauge({
    name: "prometheus_build_info",
    help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.",
    labelNames: ["version", "revision", "branch", "goversion", "goos", "goarch", "tags"] as const,
    registers: [registry],
  });
  build.set({ version: VERSION, revision: "", branch: "main", goversion: `${runtime.name}${runtime.version}`, goos: process.platform, goarch: process.arch === "x64" ? "amd64" : process.arch, tags: "quiver" }, 1);
  return {
    reloadSuccessful: new Gauge({ name: "prometheus_config_last_reload_successful", help: "Whether the last configuration reload attempt was successful.", registers: [registry] }),
    reloadSuccessTimestamp: new Gauge({ name: "prometheus_config_last_reload_success_timestamp_seconds", help: "Timestamp of the last successful configuration reload.", registers: [registry] }),
    ready: new Gauge({ name: "prometheus_ready", help: "Whether Prometheus startup was fully completed and the server is ready for normal operation.", registers: [registry] }),
  };
}
