/**
 * @module exporters/node/cli
 * Standalone node exporter: `bun run exporter:node -- [node_exporter flags]`. Serves the collectors on
 * --web.telemetry-path (default /metrics) at --web.listen-address (default :9100), together with this
 * process's own process_* metrics (unless --web.disable-exporter-metrics), with text/OpenMetrics
 * negotiation, at most --web.max-requests concurrent scrapes (default 40, 0 = unlimited). Runs under Bun
 * and Deno.
 */
import { createLogger, type Logger } from "../../core/log/logger.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import { errorMessage } from "../../core/util/errors.ts";
import { Registry, collectDefaultMetrics, metricsHandler } from "../service/index.ts";
import { NodeExporter } from "./exporter.ts";
import { type NodeFlags, parseNodeFlags, splitListenAddress } from "./flags.ts";

/**
 * The standalone exporter's routes as one fetch handler: the telemetry path (collectors, the process's own
 * metrics and promhttp's handler metrics unless --web.disable-exporter-metrics; at most --web.max-requests
 * concurrent scrapes) and a landing page.
 */
export function createNodeExporterHandler(flags: NodeFlags, logger: Logger): (req: Request) => Promise<Response> {
  const exporter = new NodeExporter({
    procfs: flags.procfs, sysfs: flags.sysfs, rootfs: flags.rootfs, enabled: flags.enabled, flags: flags.options, logger, timeoutMs: flags.timeoutMs,
  });
  const self = new Registry();
  if (!flags.disableExporterMetrics) {
    collectDefaultMetrics({ register: self, include: ["processCpuTotal", "processStartTime", "processOpenFileDescriptors", "processMemory"] });
  }
  const handler = metricsHandler(
    { collect: async (signal) => [...(await exporter.collect(signal)), ...(await self.collect(signal))] },
    flags.disableExporterMetrics ? {} : { instrument: self },
  );
  let inFlight = 0;
  return async (req) => {
    const path = new URL(req.url).pathname;
    if (path === flags.telemetryPath) {
      // --web.max-requests: like node_exporter, refuse scrapes beyond the limit with 503.
      if (flags.maxRequests > 0 && inFlight >= flags.maxRequests) return new Response("Limit of concurrent requests reached, try again later.\n", { status: 503 });
      inFlight++;
      try {
        return await handler(req);
      } finally {
        inFlight--;
      }
    }
    if (path === "/") {
      return new Response(`<html><head><title>Node Exporter</title></head><body><h1>Node Exporter (Quiver)</h1><p><a href="${flags.telemetryPath}">Metrics</a></p></body></html>`, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    return new Response("404 page not found\n", { status: 404 });
  };
}

/** Starts the exporter; resolves with the running server (its `port` is the bound one). */
export async function main(argv: readonly string[]) {
  const flags = parseNodeFlags(argv);
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  for (const c of flags.unknownCollectors) logger.warn("collector is not implemented by Quiver's node exporter; flag ignored", { collector: c });
  for (const f of flags.ignored) logger.warn("flag has no effect in Quiver's node exporter", { flag: f });
  const { hostname, port } = splitListenAddress(flags.listenAddress);
  const runtime = detectRuntime();
  const server = await runtime.serve(createNodeExporterHandler(flags, logger), { hostname, port });
  logger.info("Listening on", { address: `${server.hostname}:${server.port}`, collectors: flags.enabled.join(",") });
  const stop = () => void server.stop().then(() => process.exit(0));
  runtime.onSignal("SIGTERM", stop);
  runtime.onSignal("SIGINT", stop);
  return server;
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`node exporter: ${errorMessage(e)}\n`);
    process.exit(1);
  });
}
