/**
 * @module core/api/remote/otlp
 * POST /api/v1/otlp/v1/metrics: OTLP metrics over HTTP (binary protobuf, optionally gzip), enabled by
 * --web.enable-otlp-receiver, translated as Prometheus 3 does (core/push/otlp/translate.ts). Status
 * codes follow Prometheus's OTLP handler: 200 with an empty ExportMetricsServiceResponse on success
 * (metrics that cannot be translated are skipped and logged, the rest is written); 400 for a body that
 * is not OTLP protobuf and for out-of-order or duplicate samples (the request is rolled back); 415 for
 * the JSON encoding; 404 with the flag's name when the receiver is disabled.
 */
import { gunzipSync } from "node:zlib";
import { Elysia } from "elysia";
import { nopLogger, type Logger } from "../../log/logger.ts";
import { decodeExportMetricsRequest } from "../../push/otlp/decode.ts";
import { appendOtlp } from "../../push/otlp/translate.ts";
import type { Appendable } from "../../storage/interface.ts";
import { errorMessage } from "../../util/errors.ts";

/** What the OTLP receiver needs. */
export interface OtlpApiDeps {
  appendable: Appendable;
  /** --web.enable-otlp-receiver (read per request). */
  enabled: boolean | (() => boolean);
  logger?: Logger;
  routePrefix?: string;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Prometheus's answer when the receiver is off. */
export const OTLP_DISABLED_MSG = "otlp write receiver needs to be enabled with --web.enable-otlp-receiver";

/** Builds the `otlp` area. */
export function otlpApi(d: OtlpApiDeps) {
  const logger = d.logger ?? nopLogger;
  const enabled = typeof d.enabled === "function" ? d.enabled : () => d.enabled as boolean;
  return new Elysia({ name: "otlp" }).post(`${d.routePrefix ?? ""}/api/v1/otlp/v1/metrics`, async ({ request }) => {
    if (!enabled()) return new Response(OTLP_DISABLED_MSG + "\n", { status: 404, headers: TEXT });
    const ct = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (ct === "application/json") return new Response("unsupported content type: application/json; Quiver accepts OTLP as application/x-protobuf\n", { status: 415, headers: TEXT });
    let body = new Uint8Array(await request.arrayBuffer());
    let resources;
    try {
      if ((request.headers.get("content-encoding") ?? "").toLowerCase() === "gzip") body = gunzipSync(body);
      resources = decodeExportMetricsRequest(body);
    } catch (e) {
      logger.error("Error decoding OTLP write request", { err: errorMessage(e) });
      return new Response(`${errorMessage(e)}\n`, { status: 400, headers: TEXT });
    }
    const app = d.appendable.appender();
    const stats = appendOtlp(app, resources);
    const storageErr = stats.errors.find((m) => /out of order|duplicate sample|too old|out of bounds/.test(m));
    if (storageErr) {
      app.rollback();
      return new Response(`${storageErr}\n`, { status: 400, headers: TEXT });
    }
    try {
      await app.commit();
    } catch (e) {
      return new Response(`${errorMessage(e)}\n`, { status: 500, headers: TEXT });
    }
    if (stats.errors.length) logger.warn("Error translating OTLP metrics to Prometheus write request", { err: stats.errors.join("; ") });
    return new Response(new Uint8Array(0), { status: 200, headers: { "content-type": "application/x-protobuf" } });
  }, { parse: "none" });
}
