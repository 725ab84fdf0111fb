/**
 * @module core/api/remote/write
 * POST /api/v1/write: the remote-write 1.0 receiver, enabled by --web.enable-remote-write-receiver.
 * When disabled it answers 404 with Prometheus's message, so a misdirected sender learns why. The
 * decoding, appending and status mapping live in core/remote/receiver.ts; this area only moves bytes.
 */
import { Elysia } from "elysia";
import { nopLogger, type Logger } from "../../log/logger.ts";
import { newReceiverCache, newReceiverCounters, receiveWrite, type ReceiverCounters } from "../../remote/receiver.ts";
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

/** Builds the `remote-write` area. */
export function remoteWriteApi(d: RemoteWriteApiDeps) {
  const counters = d.counters ?? newReceiverCounters();
  const logger = d.logger ?? nopLogger;
  const cache = newReceiverCache();
  const enabled = typeof d.enabled === "function" ? d.enabled : () => d.enabled as boolean;
  return new Elysia({ name: "remote-write" }).post(`${d.routePrefix ?? ""}/api/v1/write`, async ({ request }) => {
    if (!enabled()) return new Response(REMOTE_WRITE_DISABLED_MSG + "\n", { status: 404, headers: TEXT });
    if (d.isReady && !d.isReady()) return new Response("Service Unavailable", { status: 503, headers: TEXT });
    const body = new Uint8Array(await request.arrayBuffer());
    const r = await receiveWrite(d.appendable, body, counters, logger, undefined, cache);
    if (r.status === 204) return new Response(null, { status: 204 });
    return new Response(`${r.message}\n`, { status: r.status, headers: TEXT });
  }, { parse: "none" });
}
