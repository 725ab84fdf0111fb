import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { verifyBcrypt } from "../../../core/api/bcrypt.ts";
import { loadWebConfig, parseWebConfig, tlsServerOptions, webConfigGuard, webConfigSource, withWebConfig } from "../../../core/api/web-config.ts";

// bcrypt of "s3cret!" at cost 4 (made with Bun.password.hash; verified by the pure-TS bcrypt below).
const HASH = "$2b$04$m4YuyzVDl5v1k.19v1lqSeB1RVhZn1I4ZZcFZuwYqqyaaSdTtW9C.";

describe("bcrypt", () => {
  test("published test vectors and a Bun-made hash", async () => {
    expect(verifyBcrypt("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).toBe(true);
    expect(verifyBcrypt("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")).toBe(true);
    expect(verifyBcrypt("s3cret!", HASH)).toBe(true);
    expect(verifyBcrypt("s3cret", HASH)).toBe(false);
    expect(verifyBcrypt("x", "not a hash")).toBe(false);
    const h = await Bun.password.hash("pässwörd", { algorithm: "bcrypt", cost: 4 });
    expect(verifyBcrypt("pässwörd", h)).toBe(true);
  });
});

describe("parseWebConfig", () => {
  test("full config", () => {
    const c = parseWebConfig(
      `tls_server_config:\n  cert_file: a.crt\n  key_file: /abs/a.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  min_version: TLS13\n` +
        `http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\n` +
        `basic_auth_users:\n  alice: "${HASH}"\n`,
      "/etc/q",
    );
    expect(c.tls).toEqual({ certFile: "/etc/q/a.crt", keyFile: "/abs/a.key", cert: "", key: "", clientAuthType: "RequireAndVerifyClientCert", clientCaFile: "/etc/q/ca.crt", minVersion: "TLS13", maxVersion: "TLS13" });
    expect(c.headers).toEqual({ "X-Frame-Options": "deny", "Strict-Transport-Security": "max-age=31536000" });
    expect([...c.users.keys()]).toEqual(["alice"]);
  });

  const bad: Array<[string, string]> = [
    ["tls_server_config:\n  key_file: k\n", "tls_server_config: missing one of cert or cert_file"],
    ["tls_server_config:\n  cert_file: c\n", "tls_server_config: missing one of key or key_file"],
    ["tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Sometimes\n", "tls_server_config: Invalid ClientAuth: Sometimes"],
    ["tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: SSL3\n", "tls_server_config: unknown TLS version: SSL3"],
    ["tls_server_config:\n  cert_file: c\n  key_file: k\n  certfile: x\n", "tls_server_config: field certfile not found in type tls_server_config"],
    ["http_server_config:\n  headers:\n    Server: me\n", 'http_server_config.headers: HTTP header "Server" can not be configured'],
    ["http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n", 'http_server_config.headers: invalid value for X-Content-Type-Options. Expected one of: ["nosniff"], but got: "sniff"'],
    ["basic_auth_users:\n  bob: plaintext\n", 'basic_auth_users: the password of user "bob" is not a bcrypt hash ($2a$/$2b$/$2y$, cost 4-31)'],
    ["basic_auth_user:\n  bob: x\n", "web config: field basic_auth_user not found in type web config"],
  ];
  for (const [yaml, msg] of bad) test(`rejects: ${msg}`, () => expect(() => parseWebConfig(yaml)).toThrow(msg));

  test("file errors name the file", () => {
    expect(() => loadWebConfig("/nonexistent/web.yml")).toThrow("/nonexistent/web.yml: ");
  });
});

function basic(user: string, pass: string): Record<string, string> {
  return { authorization: "Basic " + btoa(`${user}:${pass}`) };
}

describe("basic auth", () => {
  const dir = mkdtempSync(join(tmpdir(), "quiver-webcfg-"));
  const file = join(dir, "web.yml");
  writeFileSync(file, `basic_auth_users:\n  alice: "${HASH}"\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n`);
  const source = webConfigSource(file);

  test("fetch wrapper: 401 with WWW-Authenticate, headers on every answer, success passes", async () => {
    const h = withWebConfig(source, () => new Response("ok"));
    const none = await h(new Request("http://x/api/v1/query"));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Basic");
    expect(await none.text()).toBe("Unauthorized\n");
    expect(none.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await h(new Request("http://x/", { headers: basic("alice", "wrong") }))).status).toBe(401);
    expect((await h(new Request("http://x/", { headers: basic("mallory", "s3cret!") }))).status).toBe(401);
    const ok = await h(new Request("http://x/", { headers: basic("alice", "s3cret!") }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("ok");
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("Elysia guard", async () => {
    const app = new Elysia().use(webConfigGuard(source)).get("/x", () => "hi");
    expect((await app.handle(new Request("http://localhost/x"))).status).toBe(401);
    const ok = await app.handle(new Request("http://localhost/x", { headers: basic("alice", "s3cret!") }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("no users: no authentication", async () => {
    const h = withWebConfig({ get: () => parseWebConfig("{}") }, () => new Response("ok"));
    expect((await h(new Request("http://x/"))).status).toBe(200);
  });
});

describe("TLS material", () => {
  test("reads cert and key files; inline PEM; client CA", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-tls-"));
    writeFileSync(join(dir, "c.pem"), "CERT");
    writeFileSync(join(dir, "k.pem"), "KEY");
    writeFileSync(join(dir, "ca.pem"), "CA");
    const c = parseWebConfig("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n", dir);
    expect(tlsServerOptions(c)).toEqual({ cert: "CERT", key: "KEY", ca: "CA", requestCert: true, rejectUnauthorized: true });
    expect(tlsServerOptions(parseWebConfig("tls_server_config:\n  cert: C\n  key: K\n"))).toEqual({ cert: "C", key: "K" });
    expect(tlsServerOptions(parseWebConfig(""))).toBeUndefined();
    expect(() => tlsServerOptions(parseWebConfig("tls_server_config:\n  cert_file: nope.pem\n  key_file: k.pem\n", dir))).toThrow("failed to load X509KeyPair (cert_file)");
  });
});
