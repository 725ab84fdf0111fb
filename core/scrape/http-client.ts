/**
 * @module core/scrape/http-client
 * One HTTP scrape: GET with the headers Prometheus sends (Accept from scrape_protocols, Accept-Encoding,
 * User-Agent, X-Prometheus-Scrape-Timeout-Seconds), auth and TLS from the scrape config, a deadline via
 * AbortSignal, redirects per follow_redirects, and the body read incrementally so body_size_limit stops
 * the transfer as soon as it is exceeded (the limit applies to the decompressed size, as in Prometheus).
 *
 * Bun and Deno decompress gzip inside fetch yet keep the Content-Encoding header, so the body is sniffed
 * (gzip magic number) instead of trusting the header.
 *
 * enable_http2 is accepted but fetch picks the protocol itself (HTTP/1.1 on Bun and Deno for plain http).
 */
import { buildAcceptHeader, type ScrapeProtocol } from "../exposition/content-type.ts";
import { decodeBody } from "../exposition/body.ts";
import { httpRequestInit } from "../discovery/http-client.ts";
import type { ScrapeConfig } from "./config.ts";

/** The User-Agent of scrape requests. */
export const SCRAPE_USER_AGENT = "Quiver/0.1.0";

/** Prometheus's error text for body_size_limit. */
export const ERR_BODY_SIZE_LIMIT = "body size limit exceeded";

/** A scrape failure with the message the targets API shows. */
export class ScrapeError extends Error {
  constructor(message: string, readonly kind: "http" | "timeout" | "body_size_limit" | "network" = "http") {
    super(message);
    this.name = "ScrapeError";
  }
}

/** The raw result of a successful HTTP scrape. */
export interface ScrapeResponse {
  text: string;
  contentType: string;
  /** Decoded body size in bytes. */
  bodyBytes: number;
}

/**
 * Fetches `url` for a target. `signal` should abort at the scrape timeout; its abort is reported as
 * Prometheus's `context deadline exceeded`. Throws {@link ScrapeError}.
 */
export async function scrapeHTTP(url: string, cfg: ScrapeConfig, timeoutMs: number, configDir: string, signal: AbortSignal): Promise<ScrapeResponse> {
  const init = httpRequestInit(cfg, configDir);
  const headers: Record<string, string> = {
    ...init.headers,
    "Accept": buildAcceptHeader(cfg.scrape_protocols as ScrapeProtocol[], cfg.metric_name_escaping_scheme),
    "Accept-Encoding": cfg.enable_compression ? "gzip" : "identity",
    "User-Agent": SCRAPE_USER_AGENT,
    "X-Prometheus-Scrape-Timeout-Seconds": String(timeoutMs / 1000),
  };
  let res: Response;
  try {
    res = await fetch(url, { method: "GET", headers, redirect: init.redirect, signal, ...init.extra } as RequestInit);
  } catch (e) {
    if (signal.aborted) throw new ScrapeError(`Get ${JSON.stringify(url)}: context deadline exceeded`, "timeout");
    throw new ScrapeError(`Get ${JSON.stringify(url)}: ${(e as Error).message}`, "network");
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new ScrapeError(`server returned HTTP status ${res.status} ${res.statusText || statusText(res.status)}`.trimEnd());
  }
  const limit = cfg.body_size_limit;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = res.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        chunks.push(value);
        // Only compressed bodies can grow on decoding; an uncompressed one can be cut off right here.
        if (limit > 0 && total > limit && !isGzip(chunks)) {
          await reader.cancel().catch(() => {});
          throw new ScrapeError(ERR_BODY_SIZE_LIMIT, "body_size_limit");
        }
      }
    }
  } catch (e) {
    if (e instanceof ScrapeError) throw e;
    if (signal.aborted) throw new ScrapeError(`Get ${JSON.stringify(url)}: context deadline exceeded`, "timeout");
    throw new ScrapeError(`Get ${JSON.stringify(url)}: ${(e as Error).message}`, "network");
  }
  const body = concat(chunks, total);
  let text: string;
  try {
    text = decodeBody(body, { contentEncoding: null, maxBytes: limit });
  } catch (e) {
    if ((e as Error).name === "BodySizeLimitError") throw new ScrapeError(ERR_BODY_SIZE_LIMIT, "body_size_limit");
    throw new ScrapeError((e as Error).message);
  }
  return { text, contentType: res.headers.get("content-type") ?? "", bodyBytes: Buffer.byteLength(text, "utf8") };
}

/** Whether the body bytes are still gzip (fetch normally decompresses and yet keeps the header). */
function isGzip(chunks: Uint8Array[]): boolean {
  const first = chunks[0];
  return first !== undefined && first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

const STATUS: Record<number, string> = {
  301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
  502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

function statusText(code: number): string {
  return STATUS[code] ?? "";
}
