/**
 * @module core/api/remote/read
 * POST /api/v1/read: Prometheus's remote-read endpoint (SAMPLES and STREAMED_XOR_CHUNKS), so a Prometheus can use
 * Quiver as `remote_read` storage. Logic in core/remote/read-handler.ts; this area moves bytes and maps
 * errors to statuses: bad requests 400, anything else 500 (plain text, as Prometheus's http.Error).
 */
import { Elysia } from "elysia";
import type { Labels } from "../../model/labels.ts";
import { handleRead } from "../../remote/read-handler.ts";
import type { Queryable } from "../../storage/interface.ts";
import { QuiverError } from "../../util/errors.ts";

/** What the remote-read endpoint needs. */
export interface RemoteReadApiDeps {
  queryable: Queryable;
  /** global.external_labels (read per request). */
  externalLabels: () => Labels;
  /** --storage.remote.read-sample-limit (0 = unlimited; default 5e7). */
  sampleLimit?: number;
  routePrefix?: string;
  isReady?: () => boolean;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Builds the `remote-read` area. */
export function remoteReadApi(d: RemoteReadApiDeps) {
  return new Elysia({ name: "remote-read" }).post(`${d.routePrefix ?? ""}/api/v1/read`, async ({ request }) => {
    if (d.isReady && !d.isReady()) return new Response("Service Unavailable", { status: 503, headers: TEXT });
    try {
      const a = await handleRead({ queryable: d.queryable, externalLabels: d.externalLabels(), sampleLimit: d.sampleLimit }, new Uint8Array(await request.arrayBuffer()));
      const headers: Record<string, string> = { "content-type": a.contentType };
      if (a.contentEncoding) headers["content-encoding"] = a.contentEncoding;
      return new Response(a.body as Uint8Array<ArrayBuffer>, { headers });
    } catch (e) {
      const status = e instanceof QuiverError && e.code === "bad_data" ? 400 : 500;
      return new Response(`${(e as Error).message}\n`, { status, headers: TEXT });
    }
  }, { parse: "none" });
}
