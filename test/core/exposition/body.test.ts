import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { BodySizeLimitError, decodeBody } from "../../../core/exposition/body.ts";

describe("decodeBody", () => {
  const text = "# TYPE a gauge\na{x=\"é\"} 1\n".repeat(500);
  const gz = gzipSync(text);
  test("gunzips when Content-Encoding says gzip, or the gzip magic is present", () => {
    expect(decodeBody(gz, { contentEncoding: "gzip" })).toBe(text);
    expect(decodeBody(gz)).toBe(text);
  });
  test("plain bodies decode as UTF-8", () => {
    expect(decodeBody(new TextEncoder().encode(text), { contentEncoding: "identity" })).toBe(text);
  });
  test("body_size_limit applies to the decoded size", () => {
    expect(() => decodeBody(gz, { contentEncoding: "gzip", maxBytes: 100 })).toThrow(BodySizeLimitError);
    expect(() => decodeBody(new TextEncoder().encode(text), { maxBytes: 100 })).toThrow("body size limit exceeded");
    expect(decodeBody(gz, { maxBytes: text.length * 2 })).toBe(text);
  });
  test("corrupt gzip is a clear error", () => {
    expect(() => decodeBody(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), { contentEncoding: "gzip" })).toThrow("cannot decompress gzip body");
  });
});
