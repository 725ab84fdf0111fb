/**
 * @module core/api/remote/write
 * POST /api/v1/write: the remote-write receiver (1.0, and 2.0 by Content-Type), enabled by
 * --web.enable-remote-write-receiver. 2.0 answers carry X-Prometheus-Remote-Write-*-Written headers.
 * When disabled it answers 404 with Prometheus's message, so a misdirected sender learns why. The
 * decoding, appending and status mapping live in core/remote/receiver.ts; this area only moves bytes.
 */
import { Elysia } from "elysia";
import { nopLogger, type Logger } from "../../log/logger.ts";
import { newReceiverCache, newReceiverCounters, receiveWrite, type ReceiverCounters, type WriteProto } from "../../remote/receiver.ts";
import type { Appendable } from "../../storage/interface.ts";

/** What the remote-write receiver needs. */
export interface RemoteWriteApiDeps {
  appendable: Appendable;
  /** --web.enable-remote-write-receiver (read per request). */
  enabled: boolean | (() => boolean);
  logger?: Logger;
  /** --web.route-prefix without trailing slash. */
  routePrefix?: string;
  /** Counters to update (pass your own to expose them; a fresh set otherwise). */
  counters?: ReceiverCounters;
  /** Until true, answers 503. */
  isReady?: () => boolean;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Prometheus's answer when the receiver is off. */
export const REMOTE_WRITE_DISABLED_MSG = "remote write receiver needs to be enabled with --web.enable-remote-write-receiver";

/**
 * Picks the protobuf message from Content-Type as Prometheus 3 does: absent or plain
 * `application/x-protobuf` is 1.0, `;proto=io.prometheus.write.v2.Request` is 2.0, anything else is
 * refused (415); a Content-Encoding other than snappy is refused too (none is tolerated, as Prometheus
 * tolerates 1.0 clients that omit it).
 */
export function negotiate(h: Headers): { proto: WriteProto } | { error: string } {
  const ct = h.get("content-type");
  let proto: WriteProto = "prometheus.WriteRequest";
  if (ct) {
    const [media, ...params] = ct.split(";").map((x) => x.trim());
    if (media!.toLowerCase() !== "application/x-protobuf") return { error: `expected application/x-protobuf as the first (media) part, got ${ct} content-type` };
    for (const p of params) {
      const [k, v] = p.split("=").map((x) => x.trim());
      if (k?.toLowerCase() !== "proto") continue;
      if (v === "prometheus.WriteRequest" || v === "io.prometheus.write.v2.Request") proto = v;
      else return { error: `unknown type for remote write protobuf message ${v}, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request` };
    }
  }
  const enc = h.get("content-encoding");
  if (enc && enc.toLowerCase() !== "snappy") return { error: `${enc} encoding (compression) is not accepted by this server; only snappy is acceptable` };
  return { proto };
}

/** Builds the `remote-write` area. */
export function remoteWriteApi(d: RemoteWriteApiDeps) {
  const counters = d.counters ?? newReceiverCounters();
  const logger = d.logger ?? nopLogger;
  const cache = newReceiverCache();
  const enabled = typeof d.enabled === "function" ? d.enabled : () => d.enabled as boolean;
  return new Elysia({ name: "remote-write" }).post(`${d.routePrefix ?? ""}/api/v1/write`, async ({ request }) => {
    if (!enabled()) return new Response(REMOTE_WRITE_DISABLED_MSG + "\n", { status: 404, headers: TEXT });
    if (d.isReady && !d.isReady()) return new Response("Service Unavailable", { status: 503, headers: TEXT });
    const neg = negotiate(request.headers);
    if ("error" in neg) return new Response(`${neg.error}\n`, { status: 415, headers: TEXT });
    const body = new Uint8Array(await request.arrayBuffer());
    const r = await receiveWrite(d.appendable, body, counters, logger, undefined, cache, neg.proto);
    const headers: Record<string, string> = {};
    if (neg.proto === "io.prometheus.write.v2.Request") {
      headers["X-Prometheus-Remote-Write-Samples-Written"] = String(r.samples);
      headers["X-Prometheus-Remote-Write-Histograms-Written"] = String(r.histograms);
      headers["X-Prometheus-Remote-Write-Exemplars-Written"] = String(r.exemplars);
    }
    if (r.status === 204) return new Response(null, { status: 204, headers });
    return new Response(`${r.message}\n`, { status: r.status, headers: { ...TEXT, ...headers } });
  }, { parse: "none" });
}
