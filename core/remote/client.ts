/**
 * @module core/remote/client
 * HTTP client for remote write and remote read endpoints: Prometheus's headers
 * (`Content-Encoding: snappy`, `Content-Type: application/x-protobuf`,
 * `X-Prometheus-Remote-Write-Version: 0.1.0` / `X-Prometheus-Remote-Read-Version: 0.1.0`), the
 * `<http_config>` credentials and TLS of core/discovery, user headers, and remote_timeout.
 *
 * Errors are classified as Prometheus does: network errors, timeouts, 5xx and (when enabled) 429 are
 * recoverable (retried with backoff, honouring Retry-After); any other non-2xx is not (the batch is
 * dropped and counted as failed).
 */
import { httpRequestInit, type HTTPClientConfig } from "../discovery/http-client.ts";

/** User-Agent of remote requests. */
export const REMOTE_USER_AGENT = "Quiver/0.1.0";

/** A failed remote request. */
export class RemoteSendError extends Error {
  constructor(message: string, readonly recoverable: boolean, readonly status = 0, readonly retryAfterMs = 0) {
    super(message);
  }
}

/** What a client needs from a remote_write / remote_read entry. */
export interface ClientConfig {
  url: string;
  /** ms */
  remoteTimeout: number;
  headers: Record<string, string>;
  http: HTTPClientConfig;
  configDir: string;
}

/** Fetch function (injectable for tests). */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

function parseRetryAfter(v: string | null): number {
  if (!v) return 0;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, d - Date.now()) : 0;
}

/**
 * POSTs a snappy-compressed protobuf body. Resolves with the response for 2xx; throws
 * {@link RemoteSendError} otherwise. `extraHeaders` are protocol headers (version, accept-encoding).
 */
export async function postProto(cfg: ClientConfig, body: Uint8Array, extraHeaders: Record<string, string>, retryOn429: boolean, signal?: AbortSignal, fetchFn: FetchFn = fetch): Promise<Response> {
  let init: ReturnType<typeof httpRequestInit>;
  try {
    init = httpRequestInit(cfg.http, cfg.configDir);
  } catch (e) {
    throw new RemoteSendError(`cannot prepare request: ${(e as Error).message}`, true);
  }
  const timeout = AbortSignal.timeout(cfg.remoteTimeout);
  const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetchFn(cfg.url, {
      method: "POST",
      body: body as Uint8Array<ArrayBuffer>,
      headers: {
        ...cfg.headers, ...init.headers,
        "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf", "User-Agent": REMOTE_USER_AGENT, ...extraHeaders,
      },
      redirect: init.redirect,
      signal: sig,
      ...init.extra,
    });
  } catch (e) {
    const msg = timeout.aborted ? `context deadline exceeded (remote_timeout ${cfg.remoteTimeout}ms)` : (e as Error).message;
    throw new RemoteSendError(`Post "${cfg.url}": ${msg}`, true);
  }
  if (res.status >= 200 && res.status < 300) return res;
  let text = "";
  try {
    text = (await res.text()).slice(0, 512).trim();
  } catch {
    // The body is only for the log line.
  }
  const msg = `server returned HTTP status ${res.status} ${res.statusText}: ${text}`;
  const recoverable = res.status >= 500 || (res.status === 429 && retryOn429);
  throw new RemoteSendError(msg, recoverable, res.status, parseRetryAfter(res.headers.get("retry-after")));
}
