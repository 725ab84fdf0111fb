/**
 * @module core/api/http-metrics
 * Per-handler HTTP instrumentation with Prometheus's own metric names, so its HTTP dashboards work on
 * Quiver: prometheus_http_requests_total{code,handler}, prometheus_http_request_duration_seconds{handler}
 * and prometheus_http_response_size_bytes{handler}. `handler` is the route pattern (e.g.
 * `/api/v1/query`, `/api/v1/label/:name/values`), never the raw path, to bound cardinality.
 */
import { Elysia } from "elysia";
import { Counter, Histogram, exponentialBuckets, type Registry } from "../../exporters/service/index.ts";

/** Creates the instrumentation plugin; register it first so it sees every route. */
export function httpMetrics(registry: Registry) {
  const requests = new Counter({
    name: "prometheus_http_requests_total",
    help: "Counter of HTTP requests.",
    labelNames: ["code", "handler"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "prometheus_http_request_duration_seconds",
    help: "Histogram of latencies for HTTP requests.",
    labelNames: ["handler"] as const,
    buckets: [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120],
    registers: [registry],
  });
  const size = new Histogram({
    name: "prometheus_http_response_size_bytes",
    help: "Histogram of response size for HTTP requests.",
    labelNames: ["handler"] as const,
    buckets: exponentialBuckets(100, 10, 8),
    registers: [registry],
  });
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: "http-metrics" })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, (ctx) => {
      const t0 = started.get(ctx.request);
      const handler = (ctx as { route?: string }).route || "other";
      const status = typeof ctx.set.status === "number" ? ctx.set.status : 200;
      const res = (ctx as { response?: unknown }).response;
      const code = res instanceof Response ? res.status : status;
      requests.inc({ code: String(code), handler });
      if (t0 !== undefined) duration.observe({ handler }, (performance.now() - t0) / 1000);
      const len = res instanceof Response ? Number(res.headers.get("content-length") ?? NaN) : typeof res === "string" ? res.length : NaN;
      if (Number.isFinite(len)) size.observe({ handler }, len);
    });
}
