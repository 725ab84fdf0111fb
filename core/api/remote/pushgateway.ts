/**
 * @module core/api/remote/pushgateway
 * A Pushgateway-compatible push API for batch jobs, with the Pushgateway's paths and status codes:
 * - `PUT /metrics/job/<JOB>{/<LABEL>/<VALUE>}`: replace the group (200; 400 with the reason);
 * - `POST` (same path): replace only the pushed metric names (200; 400);
 * - `DELETE` (same path): delete the group (202, also when it does not exist);
 * - `PUT /api/v1/admin/wipe` (only with `enableAdminApi`): delete every group (202).
 * Bodies are the text exposition format (optionally `Content-Encoding: gzip`); the protobuf delimited
 * format is refused with 415. Pushed metrics are exposed for scraping at `GET /push/metrics` (text
 * format, with push_time_seconds / push_failure_time_seconds); scrape it with `honor_labels: true`.
 */
import { gunzipSync } from "node:zlib";
import { Elysia } from "elysia";
import { parseToFamilies, writeText, CONTENT_TYPE_TEXT } from "../../exposition/index.ts";
import { nopLogger, type Logger } from "../../log/logger.ts";
import { parseGroupingPath } from "../../push/grouping.ts";
import type { PushStore } from "../../push/store.ts";
import { errorMessage } from "../../util/errors.ts";

/** What the push API needs. */
export interface PushgatewayApiDeps {
  store: PushStore;
  logger?: Logger;
  routePrefix?: string;
  /** Enables PUT /api/v1/admin/wipe (shares --web.enable-admin-api). */
  enableAdminApi?: boolean;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: TEXT });
}

/** Builds the `pushgateway` area. */
export function pushgatewayApi(d: PushgatewayApiDeps) {
  const prefix = d.routePrefix ?? "";
  const logger = d.logger ?? nopLogger;
  const base = `${prefix}/metrics/`;

  const push = async (request: Request, method: "PUT" | "POST"): Promise<Response> => {
    const path = new URL(request.url).pathname;
    let key;
    try {
      key = parseGroupingPath(path.slice(base.length));
    } catch (e) {
      return text(400, `${errorMessage(e)}\n`);
    }
    const ct = request.headers.get("content-type") ?? "";
    if (ct.includes("application/vnd.google.protobuf")) return text(415, "the protobuf push format is not supported by Quiver; push the text format\n");
    let body = new Uint8Array(await request.arrayBuffer());
    try {
      if ((request.headers.get("content-encoding") ?? "").toLowerCase() === "gzip") body = gunzipSync(body);
      const families = body.length ? parseToFamilies(new TextDecoder().decode(body), "text") : [];
      d.store.push(method, key, families);
    } catch (e) {
      logger.error("Failed to push metrics", { grouping_key: key, err: errorMessage(e) });
      return text(400, `${errorMessage(e)}\n`);
    }
    return text(200, "");
  };

  return new Elysia({ name: "pushgateway" })
    .put(`${base}job/*`, ({ request }) => push(request, "PUT"), { parse: "none" })
    .put(`${base}job@base64/*`, ({ request }) => push(request, "PUT"), { parse: "none" })
    .post(`${base}job/*`, ({ request }) => push(request, "POST"), { parse: "none" })
    .post(`${base}job@base64/*`, ({ request }) => push(request, "POST"), { parse: "none" })
    .delete(`${base}job/*`, ({ request }) => del(request), { parse: "none" })
    .delete(`${base}job@base64/*`, ({ request }) => del(request), { parse: "none" })
    .put(`${prefix}/api/v1/admin/wipe`, () => {
      if (!d.enableAdminApi) return text(404, "admin APIs disabled\n");
      d.store.wipe();
      return text(202, "");
    }, { parse: "none" })
    .get(`${prefix}/push/metrics`, () => new Response(writeText(d.store.families()), { headers: { "content-type": CONTENT_TYPE_TEXT } }));

  function del(request: Request): Response {
    try {
      d.store.delete(parseGroupingPath(new URL(request.url).pathname.slice(base.length)));
    } catch (e) {
      return text(400, `${errorMessage(e)}\n`);
    }
    return text(202, "");
  }
}
