/**
 * blackbox.yml loading: the upstream example and default files load; every bad file of upstream's
 * testdata is rejected with a message naming the problem (table-driven, like blackbox_exporter's
 * config_test.go).
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sharedPath } from "../../../test/helpers/shared.ts";
import { loadBlackboxConfig, parseBlackboxConfig } from "../config.ts";
import { compileGoRegex } from "../regex.ts";

const dir = sharedPath("conformance", "configs", "blackbox");

/** Expected error fragment per bad file. */
const BAD: Record<string, string> = {
  "blackbox-bad.yml": "line 50: field invalid_extra_field not found in type config.DNSProbe",
  "blackbox-bad2.yml": "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
  "invalid-dns-class.yml": "query class 'X' is not valid",
  "invalid-dns-module.yml": "query name must be set for DNS module",
  "invalid-dns-type.yml": "query type 'X' is not valid",
  "invalid-http-body-config.yml": "setting body and body_file both are not allowed",
  "invalid-http-body-match-regexp.yml": '"Could not compile regular expression" regexp=":["',
  "invalid-http-body-not-match-regexp.yml": '"Could not compile regular expression" regexp=":["',
  "invalid-http-compression-mismatch-special-case.yml": 'invalid configuration "Accept-Encoding: deflate", "compression: gzip"',
  "invalid-http-compression-mismatch.yml": 'invalid configuration "Accept-Encoding: deflate", "compression: gzip"',
  "invalid-http-header-match-regexp.yml": '"Could not compile regular expression" regexp=":["',
  "invalid-http-header-match.yml": "regexp must be set for HTTP header matchers",
  "invalid-http-http3-http2-enabled.yml": "HTTP/3 and HTTP/2 cannot be enabled at the same time",
  "invalid-http-http3-http2-version.yml": "valid_http_versions must be set to only HTTP/3.0",
  "invalid-http-http3-http2.yml": "HTTP/3 and HTTP/2 cannot be enabled at the same time",
  "invalid-http-request-compression-reject-all-encodings.yml": 'invalid configuration "Accept-Encoding: *;q=0.0", "compression: gzip"',
  "invalid-icmp-ttl-overflow.yml": '"ttl" cannot exceed 255',
  "invalid-icmp-ttl.yml": '"ttl" cannot be negative',
  "invalid-no-versions-http3-enabled.yml": "HTTP/3",
  "invalid-prober.yml": 'unknown prober "invalid"',
  "invalid-tcp-query-response-regexp.yml": '"Could not compile regular expression" regexp=":["',
  "invalid-unix-query-response-regexp.yml": '"Could not compile regular expression" regexp=":["',
  "invalid-websocket-query-response-regexp.yml": '"Could not compile regular expression" regexp=":["',
};

describe("upstream files", () => {
  test.skipIf(!dir)("example.yml, blackbox.yml and blackbox-good.yml load", () => {
    const ex = loadBlackboxConfig(join(dir!, "example.yml"));
    expect(ex.modules.get("http_2xx_example")!.timeoutMs).toBe(5000);
    expect(ex.modules.get("http_2xx_example")!.http.preferred_ip_protocol).toBe("ip4");
    expect(ex.modules.get("dns_tcp_example")!.dns.transport_protocol).toBe("tcp");
    expect(ex.modules.get("postgresql")!.tcp.query_response![0]!.send).toBe("\x00\x00\x00\x08\x04\xd2\x16\x2f");
    const bb = loadBlackboxConfig(join(dir!, "blackbox.yml"));
    expect([...bb.modules.keys()]).toContain("http_2xx");
    expect(loadBlackboxConfig(join(dir!, "testdata", "blackbox-good.yml")).modules.get("http_post_2xx")!.http.body_size_limit).toBe(1024 * 1024);
  });

  const files = dir ? readdirSync(join(dir, "testdata")).filter((f) => f !== "blackbox-good.yml") : [];
  test.skipIf(!dir)("every testdata bad file has an expected error", () => {
    expect(files.sort()).toEqual(Object.keys(BAD).sort());
  });
  for (const f of files) {
    test(`rejects ${f}`, () => {
      expect(() => loadBlackboxConfig(join(dir!, "testdata", f))).toThrow(BAD[f]!);
    });
  }
});

describe("defaults", () => {
  test("module defaults follow blackbox_exporter", () => {
    const m = parseBlackboxConfig("modules:\n  x:\n    prober: http\n").modules.get("x")!;
    expect(m.http.ip_protocol_fallback).toBe(true);
    expect(m.http.follow_redirects).toBe(true);
    expect(m.http.preferred_ip_protocol).toBeUndefined();
    expect(m.icmp.ttl).toBe(64);
    expect(m.dns.recursion_desired).toBe(true);
    expect(m.timeoutMs).toBe(0);
  });

  test("RE2 repeated assertions compile as RE2 reads them", () => {
    expect(compileGoRegex("^+OK").test("OK ready")).toBe(true);
    expect(compileGoRegex("^+OK").test("not OK")).toBe(false);
    expect(compileGoRegex("a$*b").test("ab")).toBe(true);
    expect(compileGoRegex("[^+]\\^+").test("x^^")).toBe(true);
  });
});
