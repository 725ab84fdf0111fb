/**
 * @module core/discovery/types
 * The discovery contract: a Discoverer runs until aborted and emits target groups; a factory builds one
 * from its (already validated) config section. Built-in kinds (static, file, http, dns) and discoverer
 * plugins (`<name>_sd_configs`) all implement the same interface, as in Prometheus's discovery package.
 */
import type { Logger } from "../log/logger.ts";
import type { TargetGroup } from "../model/target-group.ts";

export type { TargetGroup } from "../model/target-group.ts";

/** Receives full or changed target groups. A group with `targets: []` removes that source's targets. */
export type EmitFn = (groups: TargetGroup[]) => void;

/** A running service discovery mechanism. */
export interface Discoverer {
  /** Runs until `signal` aborts, calling `emit` whenever groups change. Resolves after abort. */
  run(signal: AbortSignal, emit: EmitFn): Promise<void>;
}

/** What a factory gets besides its config. */
export interface DiscovererContext {
  logger: Logger;
  /** Directory relative paths in the config are resolved against. */
  configDir: string;
  /** Clock in ms since the epoch (tests inject one). */
  now: () => number;
}

/** Builds a discoverer from one `<name>_sd_configs` entry. Throws ConfigError for invalid settings. */
export type DiscovererFactory = (config: unknown, ctx: DiscovererContext) => Discoverer | Promise<Discoverer>;

/** Failure counters of the built-in discoverers, named as Prometheus names them. */
export type DiscoveryCounter =
  | "prometheus_sd_file_read_errors_total"
  | "prometheus_sd_http_failures_total"
  | "prometheus_sd_dns_lookup_failures_total"
  | "prometheus_sd_dns_lookups_total";

/** Increments a discovery counter. */
export type CountFn = (name: DiscoveryCounter) => void;

/** Sleeps `ms` or until `signal` aborts (then resolves early). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
