/**
 * @module core/api/metrics-endpoint
 * GET /metrics: Quiver's own metrics, in the format the client negotiates (text 0.0.4 by default,
 * OpenMetrics when asked), as client_golang's promhttp handler serves Prometheus's.
 */
import { Elysia } from "elysia";
import { negotiate, writeOpenMetrics, writeText } from "../exposition/index.ts";
import type { MetricFamily } from "../model/metric-family.ts";

/** Builds the /metrics area. `collect` gathers every self-metric family (unique names). */
export function metricsEndpoint(collect: (signal?: AbortSignal) => Promise<MetricFamily[]>) {
  return new Elysia({ name: "metrics" }).get("/metrics", async ({ request }) => {
    const fams = await collect(request.signal);
    const n = negotiate(request.headers.get("accept"));
    const body = n.format === "openmetrics" ? writeOpenMetrics(fams) : writeText(fams);
    return new Response(body, { headers: { "content-type": n.contentType } });
  });
}
