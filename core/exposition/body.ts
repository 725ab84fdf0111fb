/**
 * @module core/exposition/body
 * Turns a scrape response body into text: gunzips when the response says `Content-Encoding: gzip` (or the
 * bytes start with the gzip magic number), enforces an optional decoded-size limit (`body_size_limit`), and
 * decodes UTF-8. The returned string is what the parsers read; the input buffer is not kept.
 */
import { gunzipSync } from "node:zlib";
import { QuiverError } from "../util/errors.ts";

/** Options of {@link decodeBody}. */
export interface DecodeBodyOptions {
  /** The response's Content-Encoding header, if any. */
  contentEncoding?: string | null;
  /** Maximum decoded size in bytes (Prometheus's `body_size_limit`); 0 or absent means no limit. */
  maxBytes?: number;
}

/** The body exceeded `body_size_limit` (after decompression). */
export class BodySizeLimitError extends QuiverError {
  constructor(readonly limitBytes: number) {
    super("bad_data", `body size limit exceeded (limit ${limitBytes} bytes)`);
  }
}

/**
 * Decodes a scrape body to a string. The caller keeps ownership of `body`; it is not modified.
 * @throws BodySizeLimitError when the decoded body is larger than `maxBytes`.
 * @throws QuiverError (bad_data) when gzip data is corrupt.
 */
export function decodeBody(body: Uint8Array, options: DecodeBodyOptions = {}): string {
  const limit = options.maxBytes ?? 0;
  const enc = (options.contentEncoding ?? "").trim().toLowerCase();
  let bytes = body;
  const looksGzip = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  if (enc === "gzip" || enc === "x-gzip" || (enc === "" && looksGzip)) {
    try {
      bytes = gunzipSync(body, limit > 0 ? { maxOutputLength: limit + 1 } : {});
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ERR_BUFFER_TOO_LARGE" || (e instanceof RangeError && limit > 0)) throw new BodySizeLimitError(limit);
      throw new QuiverError("bad_data", `cannot decompress gzip body: ${(e as Error).message}`, { cause: e });
    }
  }
  if (limit > 0 && bytes.length > limit) throw new BodySizeLimitError(limit);
  return new TextDecoder("utf-8").decode(bytes);
}
