/**
 * Prober tests against loopback servers: HTTP and HTTPS (self-signed, made with openssl), TCP dialogues
 * with STARTTLS, a UDP/TCP DNS responder, gRPC health, ICMP's clear failure, and timeouts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeCert, startDNS, startGRPC, startHttp, startLineServer, type TestCert } from "./servers.ts";
import { probe } from "./helpers.ts";

let cert: TestCert | null;
let web: Awaited<ReturnType<typeof startHttp>>;
let line: Awaited<ReturnType<typeof startLineServer>>;
let dns: Awaited<ReturnType<typeof startDNS>>;
let grpc: Awaited<ReturnType<typeof startGRPC>>;
let grpcTLS: Awaited<ReturnType<typeof startGRPC>> | null;

beforeAll(async () => {
  cert = makeCert();
  if (!cert) console.warn("openssl not available: HTTPS/TLS prober tests are skipped");
  web = await startHttp(cert);
  line = await startLineServer(cert);
  dns = await startDNS();
  grpc = await startGRPC(null);
  grpcTLS = cert ? await startGRPC(cert) : null;
}, 30_000); // openssl key generation can be slow on a loaded machine
afterAll(() => {
  web.close();
  line.close();
  dns.close();
  grpc.close();
  grpcTLS?.close();
});

describe("http prober", () => {
  test("success: status, lengths, phases, last-modified, ip metrics", async () => {
    const r = await probe("prober: http\nhttp:\n  preferred_ip_protocol: ip4", `${web.http}/ok`);
    expect(r.success).toBe(true);
    expect(r.value("probe_http_status_code")).toBe(200);
    expect(r.value("probe_http_content_length")).toBe(29);
    expect(r.value("probe_http_uncompressed_body_length")).toBe(29);
    expect(r.value("probe_http_version")).toBe(1.1);
    expect(r.value("probe_http_ssl")).toBe(0);
    expect(r.value("probe_ip_protocol")).toBe(4);
    expect(r.value("probe_ip_addr_hash")).toBe(3668918509);
    expect(r.value("probe_http_last_modified_timestamp_seconds")).toBe(1445412480);
    for (const phase of ["resolve", "connect", "tls", "processing", "transfer"]) expect(r.value("probe_http_duration_seconds", { phase })).toBeGreaterThanOrEqual(0);
    expect(r.names).toEqual([...r.names].sort());
  });

  test("status codes: default 2xx, valid_status_codes", async () => {
    expect((await probe("prober: http", `${web.http}/notfound`)).success).toBe(false);
    expect((await probe("prober: http\nhttp:\n  valid_status_codes: [404]", `${web.http}/notfound`)).success).toBe(true);
  });

  test("redirects are followed and counted; no_follow_redirects stops; loops fail", async () => {
    const r = await probe("prober: http", `${web.http}/redirect`);
    expect(r.success).toBe(true);
    expect(r.value("probe_http_redirects")).toBe(1);
    const n = await probe("prober: http\nhttp:\n  no_follow_redirects: true", `${web.http}/redirect`);
    expect(n.success).toBe(false);
    expect(n.value("probe_http_status_code")).toBe(302);
    expect((await probe("prober: http", `${web.http}/redirect-loop`)).success).toBe(false);
  });

  test("body and header regexps set probe_failed_due_to_regex", async () => {
    const bad = await probe('prober: http\nhttp:\n  fail_if_body_matches_regexp: ["database is fine"]', `${web.http}/ok`);
    expect(bad.success).toBe(false);
    expect(bad.value("probe_failed_due_to_regex")).toBe(1);
    expect((await probe('prober: http\nhttp:\n  fail_if_body_not_matches_regexp: ["hello w.rld"]', `${web.http}/ok`)).success).toBe(true);
    expect((await probe('prober: http\nhttp:\n  fail_if_body_not_matches_regexp: ["^goodbye"]', `${web.http}/ok`)).value("probe_failed_due_to_regex")).toBe(1);
    expect((await probe("prober: http\nhttp:\n  fail_if_header_matches:\n    - header: Set-Cookie\n      regexp: '.*'", `${web.http}/ok`)).success).toBe(false);
    expect((await probe("prober: http\nhttp:\n  fail_if_header_not_matches:\n    - header: Access-Control-Allow-Origin\n      regexp: '(\\*|example\\.com)'", `${web.http}/ok`)).success).toBe(true);
    expect((await probe("prober: http\nhttp:\n  fail_if_header_not_matches:\n    - header: X-Missing\n      regexp: '.*'", `${web.http}/ok`)).success).toBe(false);
    expect((await probe("prober: http\nhttp:\n  fail_if_header_not_matches:\n    - header: X-Missing\n      regexp: '.*'\n      allow_missing: true", `${web.http}/ok`)).success).toBe(true);
  });

  test("method, headers, body, basic auth, bearer token, compression", async () => {
    const post = await probe('prober: http\nhttp:\n  method: POST\n  headers:\n    X-Test: abc\n  body: "{}"\n  basic_auth:\n    username: u\n    password: p\n  fail_if_body_not_matches_regexp: ["^POST auth=Basic dTpw ua=Blackbox Exporter/\\\\S+ x=abc ae= body=\\\\{\\\\}$"]', `${web.http}/echo`);
    expect(post.logs).not.toContain("did not match");
    expect(post.success).toBe(true);
    expect((await probe('prober: http\nhttp:\n  bearer_token: tok\n  fail_if_body_not_matches_regexp: ["auth=Bearer tok "]', `${web.http}/echo`)).success).toBe(true);
    const gz = await probe('prober: http\nhttp:\n  compression: gzip\n  fail_if_body_not_matches_regexp: ["^compressed hello$"]', `${web.http}/gzip`);
    expect(gz.success).toBe(true);
    expect(gz.value("probe_http_uncompressed_body_length")).toBe(16);
    expect((await probe('prober: http\nhttp:\n  fail_if_body_not_matches_regexp: ["part one part two"]', `${web.http}/chunked`)).success).toBe(true);
    expect((await probe("prober: http\nhttp:\n  fail_if_not_ssl: true", `${web.http}/ok`)).success).toBe(false);
  });

  test("authorization, http_headers; unsupported settings fail clearly", async () => {
    expect((await probe('prober: http\nhttp:\n  authorization:\n    type: Token\n    credentials: abc\n  fail_if_body_not_matches_regexp: ["auth=Token abc "]', `${web.http}/echo`)).success).toBe(true);
    expect((await probe('prober: http\nhttp:\n  http_headers:\n    X-Test:\n      values: [v1]\n  fail_if_body_not_matches_regexp: ["x=v1 "]', `${web.http}/echo`)).success).toBe(true);
    const proxy = await probe('prober: http\nhttp:\n  proxy_url: "http://127.0.0.1:3128"', `${web.http}/ok`);
    expect(proxy.success).toBe(false);
    expect(proxy.logs).toContain("proxy_url is not supported");
  });

  test("a closed port fails with every http family at 0", async () => {
    const r = await probe("prober: http", "http://127.0.0.1:1/");
    expect(r.success).toBe(false);
    expect(r.value("probe_http_status_code")).toBe(0);
    expect(r.names).toContain("probe_http_duration_seconds");
  });

  test("a probe never outlives its timeout", async () => {
    const start = performance.now();
    const r = await probe("prober: http", `${web.http}/hang`, 0.3);
    expect(r.success).toBe(false);
    expect(r.value("probe_duration_seconds")!).toBeLessThan(2);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.logs).toContain("deadline");
  });

  test("https: self-signed rejected by default, accepted with ca_file or insecure_skip_verify; TLS metrics", async () => {
    if (!cert || !web.https) return;
    const bad = await probe("prober: http", `${web.https}/ok`);
    expect(bad.success).toBe(false);
    const ok = await probe(`prober: http\nhttp:\n  tls_config:\n    ca_file: ${cert.certFile}`, `${web.https}/ok`);
    expect(ok.logs).not.toContain("Error");
    expect(ok.success).toBe(true);
    expect(ok.value("probe_http_ssl")).toBe(1);
    expect(ok.value("probe_ssl_earliest_cert_expiry")).toBe(cert.notAfter);
    expect(ok.families.find((f) => f.name === "probe_tls_version_info")!.samples[0]!.labels.version).toMatch(/^TLS 1\.[23]$/);
    expect(ok.families.find((f) => f.name === "probe_tls_cipher_info")!.samples[0]!.labels.cipher).toMatch(/^TLS_/);
    const chain = ok.families.find((f) => f.name === "probe_ssl_last_chain_info")!.samples[0]!.labels;
    expect(chain.subject).toBe("CN=localhost");
    expect(chain.subjectalternative).toBe("localhost,127.0.0.1");
    expect(chain.serialnumber).toMatch(/^[0-9a-f]+$/);
    expect(ok.value("probe_http_duration_seconds", { phase: "tls" })).toBeGreaterThan(0);
    expect((await probe("prober: http\nhttp:\n  tls_config:\n    insecure_skip_verify: true", `${web.https}/ok`)).success).toBe(true);
    expect((await probe("prober: http\nhttp:\n  fail_if_ssl: true\n  tls_config:\n    insecure_skip_verify: true", `${web.https}/ok`)).success).toBe(false);
  });
});

describe("http prober over HTTP/2", () => {
  test("ALPN h2 when enable_http2 (default); HTTP/1.1 when disabled; valid_http_versions", async () => {
    if (!cert || !web.h2) return;
    const tls = `tls_config:\n    ca_file: ${cert.certFile}`;
    const r = await probe(`prober: http\nhttp:\n  ${tls}\n  fail_if_body_not_matches_regexp: ["database is fine"]`, `${web.h2}/ok`);
    expect(r.logs).not.toContain("Error");
    expect(r.success).toBe(true);
    expect(r.value("probe_http_version")).toBe(2);
    expect(r.value("probe_http_content_length")).toBe(29);
    expect(r.value("probe_http_ssl")).toBe(1);
    const one = await probe(`prober: http\nhttp:\n  enable_http2: false\n  ${tls}`, `${web.h2}/ok`);
    expect(one.value("probe_http_version")).toBe(1.1);
    expect((await probe(`prober: http\nhttp:\n  valid_http_versions: ["HTTP/1.1"]\n  ${tls}`, `${web.h2}/ok`)).success).toBe(false);
    expect((await probe(`prober: http\nhttp:\n  valid_http_versions: ["HTTP/2.0"]\n  ${tls}`, `${web.h2}/ok`)).success).toBe(true);
    const post = await probe(`prober: http\nhttp:\n  method: POST\n  body: hi\n  ${tls}\n  fail_if_body_not_matches_regexp: ["^POST .*body=hi$"]`, `${web.h2}/echo`);
    expect(post.success).toBe(true);
  });
});

describe("tcp prober", () => {
  test("connect, expect with labels, send/expect with ${1}", async () => {
    expect((await probe("prober: tcp", line.addr)).success).toBe(true);
    expect((await probe("prober: tcp\ntcp:\n  source_ip_address: 127.0.0.1", line.addr)).success).toBe(true);
    const r = await probe(
      'prober: tcp\ntcp:\n  query_response:\n    - expect: "^SSH-2.0-([^ -]+)(?: (.*))?$"\n      labels:\n        - name: ssh_version\n          value: "${1}"\n    - send: "PING ${1}"\n    - expect: "^PONG OpenSSH_9.2p1$"',
      line.addr,
    );
    expect(r.logs).not.toContain("did not match");
    expect(r.success).toBe(true);
    expect(r.value("probe_expect_info", { ssh_version: "OpenSSH_9.2p1" })).toBe(1);
  });

  test("an unmatched expect fails: at the deadline while the peer stays open", async () => {
    const r = await probe('prober: tcp\ntimeout: 1s\ntcp:\n  query_response:\n    - send: "PING a"\n    - expect: "^NEVER"', line.addr, 0.5);
    expect(r.success).toBe(false);
    expect(r.logs).toContain("deadline");
  });

  test("starttls upgrades the connection", async () => {
    if (!cert) return;
    const r = await probe(
      `prober: tcp\ntcp:\n  tls_config:\n    ca_file: ${cert.certFile}\n    server_name: localhost\n  query_response:\n    - expect: "^SSH"\n    - send: "STARTTLS"\n    - expect: "^220"\n    - starttls: true\n    - send: "HELLO"\n    - expect: "^250 secure"`,
      line.addr,
    );
    expect(r.logs).not.toContain("Error");
    expect(r.success).toBe(true);
    expect(r.value("probe_ssl_earliest_cert_expiry")).toBe(cert.notAfter);
  });

  test("a refused connection fails", async () => {
    expect((await probe("prober: tcp", "127.0.0.1:1")).success).toBe(false);
    expect((await probe("prober: tcp", "no-port")).success).toBe(false);
  });
});

describe("unix prober", () => {
  test("dialogue over a Unix domain socket", async () => {
    const { createServer } = await import("node:net");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const path = join(mkdtempSync(join(tmpdir(), "quiver-bb-unix-")), "s.sock");
    const srv = createServer((sock) => {
      sock.on("data", (d) => {
        if (d.toString().startsWith("PING")) sock.write("PONG\n");
      });
    });
    await new Promise<void>((r) => srv.listen(path, r));
    try {
      const ok = await probe('prober: unix\nunix:\n  query_response:\n    - send: "PING"\n    - expect: "PONG"', path);
      expect(ok.success).toBe(true);
      const bad = await probe('prober: unix\nunix:\n  query_response:\n    - send: "PING"\n    - expect: "NOPE"', path, 0.3);
      expect(bad.success).toBe(false);
      expect((await probe("prober: unix", path + ".missing")).success).toBe(false);
    } finally {
      srv.close();
    }
  });
});

describe("dns prober", () => {
  test("udp A query with answer validation and counts", async () => {
    const r = await probe(
      'prober: dns\ndns:\n  query_name: www.example.org\n  query_type: A\n  validate_answer_rrs:\n    fail_if_not_matches_regexp: ["www.example.org.\\t300\\tIN\\tA\\t192.0.2.1[01]"]\n  validate_authority_rrs:\n    fail_if_none_matches_regexp: ["IN\\tNS\\tns1.example.org."]',
      dns.udp,
    );
    expect(r.logs).not.toContain("did not match");
    expect(r.success).toBe(true);
    expect(r.value("probe_dns_answer_rrs")).toBe(2);
    expect(r.value("probe_dns_authority_rrs")).toBe(1);
    expect(r.value("probe_dns_additional_rrs")).toBe(1);
    expect(r.value("probe_dns_query_succeeded")).toBe(1);
  });

  test("fail_if_matches_regexp and valid_rcodes", async () => {
    expect((await probe('prober: dns\ndns:\n  query_name: www.example.org\n  query_type: A\n  validate_answer_rrs:\n    fail_if_matches_regexp: [".*192.0.2.10"]', dns.udp)).success).toBe(false);
    expect((await probe("prober: dns\ndns:\n  query_name: missing.example.org\n  query_type: A", dns.udp)).success).toBe(false);
    expect((await probe("prober: dns\ndns:\n  query_name: missing.example.org\n  query_type: A\n  valid_rcodes: [NXDOMAIN]", dns.udp)).success).toBe(true);
  });

  test("tcp transport and SOA serial", async () => {
    const r = await probe("prober: dns\ndns:\n  transport_protocol: tcp\n  query_name: example.org\n  query_type: SOA", dns.tcp);
    expect(r.success).toBe(true);
    expect(r.value("probe_dns_serial")).toBe(2024010101);
  });
});

describe("grpc prober", () => {
  test("health check SERVING, NOT_SERVING and unknown service", async () => {
    const ok = await probe("prober: grpc", grpc.addr);
    expect(ok.logs).not.toContain("Error");
    expect(ok.success).toBe(true);
    expect(ok.value("probe_grpc_healthcheck_response", { serving_status: "SERVING" })).toBe(1);
    expect(ok.value("probe_grpc_status_code")).toBe(0);
    const down = await probe("prober: grpc\ngrpc:\n  service: down", grpc.addr);
    expect(down.success).toBe(false);
    expect(down.value("probe_grpc_healthcheck_response", { serving_status: "NOT_SERVING" })).toBe(1);
    const unknown = await probe("prober: grpc\ngrpc:\n  service: other", grpc.addr);
    expect(unknown.success).toBe(false);
    expect(unknown.value("probe_grpc_status_code")).toBe(5);
  });

  test("over TLS", async () => {
    if (!grpcTLS || !cert) return;
    const r = await probe(`prober: grpc\ngrpc:\n  tls: true\n  tls_config:\n    ca_file: ${cert.certFile}\n    server_name: localhost`, grpcTLS.addr);
    expect(r.success).toBe(true);
    expect(r.value("probe_grpc_ssl")).toBe(1);
  });
});

describe("icmp prober", () => {
  test("fails clearly instead of crashing", async () => {
    const r = await probe("prober: icmp", "127.0.0.1");
    expect(r.success).toBe(false);
    expect(r.logs).toContain("raw sockets");
    expect(r.value("probe_ip_protocol")).toBe(4);
  });
});
