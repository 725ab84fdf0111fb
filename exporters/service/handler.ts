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

/**
 * A fetch-style handler serving `source` (any path; mount it where you want).
 * @example Bun.serve({ port: 9464, fetch: metricsHandler(registry) });
 */
export function metricsHandler(source: FamilySource): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      const fams = await source.collect(req.signal);
      const { body, contentType } = renderForAccept(fams, req.headers.get("accept"));
      return new Response(req.method === "HEAD" ? null : body, { status: 200, headers: { "content-type": contentType } });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return new Response(`An error has occurred while serving metrics:\n\n${msg}\n`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
  };
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
