/**
 * @module exporters/blackbox/probe
 * Runs one probe the way blackbox_exporter's /probe handler does: pick the module, derive the timeout from
 * the X-Prometheus-Scrape-Timeout-Seconds header (120 s when absent) minus --timeout-offset, capped by the
 * module's timeout; run the prober under an AbortSignal at that deadline so a probe never outlives it; add
 * probe_success and probe_duration_seconds; and, with debug=true, render the probe's logs, the metrics and
 * the module as text.
 */
import { stringify } from "yaml";
import { writeText } from "../../core/exposition/index.ts";
import { createLogger, type Logger } from "../../core/log/logger.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import type { BlackboxConfig, Module } from "./config.ts";
import { PROBERS } from "./probers/index.ts";
import { ProbeMetrics } from "./prober.ts";

/** Default --timeout-offset, seconds. */
export const DEFAULT_TIMEOUT_OFFSET_S = 0.5;
/** Timeout when Prometheus sends no header, seconds. */
export const DEFAULT_SCRAPE_TIMEOUT_S = 120;

/** A request for a probe error (HTTP 400). */
export class ProbeRequestError extends Error {}

/** blackbox_exporter's getTimeout: the probe timeout in seconds. @throws ProbeRequestError for a bad header. */
export function probeTimeoutSeconds(header: string | null, module: Module, offsetS: number): number {
  let t = 0;
  if (header) {
    t = Number(header);
    if (Number.isNaN(t)) throw new ProbeRequestError(`Failed to parse timeout from Prometheus header: strconv.ParseFloat: parsing ${JSON.stringify(header)}: invalid syntax`);
  }
  if (t === 0) t = DEFAULT_SCRAPE_TIMEOUT_S;
  const max = t - offsetS;
  const mod = module.timeoutMs / 1000;
  return (mod < max && mod > 0) || max < 0 ? mod : max;
}

/** The outcome of one probe. */
export interface ProbeOutcome {
  success: boolean;
  families: MetricFamily[];
  /** Log lines of this probe (for debug output). */
  logs: string[];
}

/**
 * Runs `prober` of `module` against `target` within `timeoutS` seconds. Never throws for probe failures.
 * `parentLogger` receives the probe's log lines at debug level.
 */
export async function runProbe(moduleName: string, module: Module, target: string, timeoutS: number, parentLogger: Logger, outer?: AbortSignal): Promise<ProbeOutcome> {
  const logs: string[] = [];
  const base = { module: moduleName, target };
  const logger = createLogger({ level: "debug", write: (l) => logs.push(l) }, base);
  const metrics = new ProbeMetrics();
  const prober = PROBERS.get(module.prober);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`context deadline exceeded (probe timeout ${timeoutS}s)`)), Math.max(0, timeoutS * 1000));
  const onOuter = () => ac.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  const start = performance.now();
  let success = false;
  logger.info("Beginning probe", { probe: module.prober, timeout_seconds: timeoutS });
  try {
    if (!prober) throw new Error(`Unknown prober ${JSON.stringify(module.prober)}`);
    const deadline = new Promise<boolean>((_, reject) => ac.signal.addEventListener("abort", () => reject(ac.signal.reason), { once: true }));
    success = await Promise.race([prober({ target, module, metrics, logger, signal: ac.signal, timeoutMs: timeoutS * 1000 }), deadline]);
  } catch (e) {
    logger.error("Error for probe", { err: e });
    success = false;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuter);
    ac.abort(new Error("probe finished"));
  }
  const duration = (performance.now() - start) / 1000;
  if (success) logger.info("Probe succeeded", { duration_seconds: duration });
  else logger.error("Probe failed", { duration_seconds: duration });
  for (const l of logs) parentLogger.debug(l);
  metrics.set("probe_duration_seconds", "Returns how long the probe took to complete in seconds", duration);
  metrics.set("probe_success", "Displays whether or not the probe was a success", success ? 1 : 0);
  return { success, families: metrics.families(), logs };
}

/** The debug=true page: logs, metrics and module configuration, as blackbox_exporter renders it. */
export function debugOutput(outcome: ProbeOutcome, module: Module): string {
  const { timeoutMs, ...rest } = module;
  const cfg = { prober: rest.prober, ...(timeoutMs > 0 ? { timeout: `${timeoutMs / 1000}s` } : {}), http: rest.http, tcp: rest.tcp, icmp: rest.icmp, dns: rest.dns, grpc: rest.grpc, unix: rest.unix };
  return `Logs for the probe:\n${outcome.logs.join("\n")}\n\n\n\nMetrics that would have been returned:\n${writeText(outcome.families)}\n\n\nModule configuration:\n${stringify(cfg)}`;
}

/** Options of {@link probeHandler}. */
export interface ProbeHandlerOptions {
  /** The current config (a function, so reloads take effect). */
  config: () => BlackboxConfig;
  logger: Logger;
  /** --timeout-offset in seconds. */
  timeoutOffsetS?: number;
  /** Called when a request names an unknown module (for blackbox_module_unknown_total). */
  onUnknownModule?: () => void;
}

/**
 * The fetch-style /probe handler: `?target=…&module=…[&debug=true]`, module default http_2xx.
 * Errors: 400 for a missing target, unknown module or bad timeout header (blackbox_exporter's messages).
 */
export function probeHandler(opts: ProbeHandlerOptions): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    const moduleName = url.searchParams.get("module") || "http_2xx";
    const module = opts.config().modules.get(moduleName);
    if (!module) {
      opts.onUnknownModule?.();
      return new Response(`Unknown module "${moduleName}"\n`, { status: 400 });
    }
    const target = url.searchParams.get("target");
    if (!target) return new Response("Target parameter is missing\n", { status: 400 });
    let timeoutS: number;
    try {
      timeoutS = probeTimeoutSeconds(req.headers.get("x-prometheus-scrape-timeout-seconds"), module, opts.timeoutOffsetS ?? DEFAULT_TIMEOUT_OFFSET_S);
    } catch (e) {
      return new Response(`${(e as Error).message}\n`, { status: 500 });
    }
    const outcome = await runProbe(moduleName, module, target, timeoutS, opts.logger, req.signal);
    if (url.searchParams.get("debug") === "true") {
      return new Response(debugOutput(outcome, module), { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return new Response(writeText(outcome.families), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  };
}
