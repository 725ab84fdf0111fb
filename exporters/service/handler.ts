/**
 * @module exporters/service/handler
 * HTTP handlers serving a registry with per-request format negotiation (OpenMetrics when the Accept header
 * asks for it, text 0.0.4 otherwise, as client_golang's promhttp does):
 * - {@link metricsHandler}: a fetch-style `(Request) => Promise<Response>` for Bun.serve, Deno.serve and
 *   Elysia (`app.get("/metrics", ({ request }) => handler(request))`);
 * - {@link nodeMetricsHandler}: a `(req, res)` listener for node:http.
 *
 * A failing collector produces a 500 with the error text (promhttp's default HTTPErrorOnError).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { negotiate, writeOpenMetrics, writeText } from "../../core/exposition/index.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { Counter } from "./counter.ts";
import { Gauge } from "./gauge.ts";
import type { Registry } from "./registry.ts";

/** Anything that can produce families at scrape time (a Registry, or an exporter). */
export interface FamilySource {
  collect(signal?: AbortSignal): Promise<MetricFamily[]> | MetricFamily[];
}

/** Renders `families` for an Accept header; returns body and Content-Type. */
export function renderForAccept(families: readonly MetricFamily[], accept: string | null | undefined): { body: string; contentType: string } {
  const n = negotiate(accept);
  const body = n.format === "openmetrics" ? writeOpenMetrics(families, { escaping: n.escaping }) : writeText(families, { escaping: n.escaping });
  return { body, contentType: n.contentType };
}

/** Options of {@link metricsHandler}. */
export interface MetricsHandlerOptions {
  /**
   * Registry to add client_golang's promhttp handler metrics to (promhttp_metric_handler_requests_total
   * {code}, _requests_in_flight, _errors_total{cause}), as exporters built on promhttp expose them.
   */
  instrument?: Registry;
}

/**
 * A fetch-style handler serving `source` (any path; mount it where you want).
 * @example Bun.serve({ port: 9464, fetch: metricsHandler(registry) });
 */
export function metricsHandler(source: FamilySource, opts: MetricsHandlerOptions = {}): (req: Request) => Promise<Response> {
  const m = opts.instrument ? handlerMetrics(opts.instrument) : null;
  return async (req) => {
    m?.inFlight.inc();
    let fams: MetricFamily[];
    try {
      fams = await source.collect(req.signal);
    } catch (e) {
      m?.errors.inc({ cause: "gathering" });
      m?.requests.inc({ code: "500" });
      m?.inFlight.dec();
      const msg = e instanceof Error ? e.message : String(e);
      return new Response(`An error has occurred while serving metrics:\n\n${msg}\n`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    try {
      const { body, contentType } = renderForAccept(fams, req.headers.get("accept"));
      m?.requests.inc({ code: "200" });
      return new Response(req.method === "HEAD" ? null : body, { status: 200, headers: { "content-type": contentType } });
    } catch (e) {
      m?.errors.inc({ cause: "encoding" });
      m?.requests.inc({ code: "500" });
      return new Response(`An error has occurred while encoding metrics:\n\n${e instanceof Error ? e.message : String(e)}\n`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    } finally {
      m?.inFlight.dec();
    }
  };
}

/**
 * Creates promhttp's handler metrics on `registry` (or reuses them when a handler already did), with their
 * zero-valued series like client_golang.
 */
function handlerMetrics(registry: Registry) {
  const existing = registry.getSingleMetric("promhttp_metric_handler_requests_total");
  if (existing) {
    return {
      requests: existing as Counter,
      inFlight: registry.getSingleMetric("promhttp_metric_handler_requests_in_flight") as Gauge,
      errors: registry.getSingleMetric("promhttp_metric_handler_errors_total") as Counter,
    };
  }
  const requests = new Counter({ name: "promhttp_metric_handler_requests_total", help: "Total number of scrapes by HTTP status code.", labelNames: ["code"], registers: [registry] });
  const inFlight = new Gauge({ name: "promhttp_metric_handler_requests_in_flight", help: "Current number of scrapes being served.", registers: [registry] });
  const errors = new Counter({ name: "promhttp_metric_handler_errors_total", help: "Total number of internal errors encountered by the promhttp metric handler.", labelNames: ["cause"], registers: [registry] });
  for (const code of ["200", "500", "503"]) requests.inc({ code }, 0);
  for (const cause of ["encoding", "gathering"]) errors.inc({ cause }, 0);
  return { requests, inFlight, errors };
}

/**
 * A node:http request listener serving `source`.
 * @example http.createServer(nodeMetricsHandler(registry)).listen(9464);
 */
export function nodeMetricsHandler(source: FamilySource): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      try {
        const fams = await source.collect();
        const { body, contentType } = renderForAccept(fams, req.headers.accept);
        res.writeHead(200, { "content-type": contentType });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch (e) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`An error has occurred while serving metrics:\n\n${e instanceof Error ? e.message : String(e)}\n`);
      }
    })();
  };
}
