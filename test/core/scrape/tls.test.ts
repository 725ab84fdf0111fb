import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { makeLoop, samples, scrapeConfig } from "./helpers.ts";

// A self-signed certificate made with openssl for this test only; skipped when openssl is absent.
const OPENSSL = ["/usr/bin/openssl", "/bin/openssl"].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), "quiver-tls-"));
let server: Server | undefined;
let port = 0;

function makeCert(): boolean {
  if (!OPENSSL) return false;
  try {
    execFileSync(OPENSSL, [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=quiver-test",
      "-addext", "subjectAltName=DNS:quiver.test", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const haveCert = makeCert();
if (!haveCert) console.warn("tls.test.ts: openssl not available, skipping TLS scrape tests");

beforeAll(async () => {
  if (!haveCert) return;
  server = await detectRuntime().serve(() => new Response("tls_metric 1\n", { headers: { "content-type": "text/plain; version=0.0.4" } }), {
    hostname: "127.0.0.1", port: 0, tls: { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") },
  });
  port = server.port;
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveCert)("scraping over TLS", () => {
  const T = 1_700_000_000_000;
  test("an untrusted self-signed certificate fails the scrape", async () => {
    const { loop, target } = makeLoop(scrapeConfig({ scheme: "https" }), `127.0.0.1:${port}`);
    await loop.scrapeOnce(T);
    expect(target.health).toBe("down");
    expect(target.lastError).toStartWith(`Get "https://127.0.0.1:${port}/metrics": `);
  });
  test("ca_file plus server_name verifies the certificate", async () => {
    const { db, loop, target } = makeLoop(scrapeConfig({ scheme: "https", tls_config: { ca_file: join(dir, "cert.pem"), server_name: "quiver.test" } }), `127.0.0.1:${port}`);
    await loop.scrapeOnce(T);
    expect(target.lastError).toBe("");
    expect((await samples(db, "tls_metric"))[0]!.v).toBe(1);
  });
  test("ca_file with a wrong server_name fails", async () => {
    const { loop, target } = makeLoop(scrapeConfig({ scheme: "https", tls_config: { ca_file: join(dir, "cert.pem"), server_name: "other.test" } }), `127.0.0.1:${port}`);
    await loop.scrapeOnce(T);
    expect(target.health).toBe("down");
  });
  test("insecure_skip_verify accepts the certificate", async () => {
    const { loop, target } = makeLoop(scrapeConfig({ scheme: "https", tls_config: { insecure_skip_verify: true } }), `127.0.0.1:${port}`);
    await loop.scrapeOnce(T);
    expect(target.lastError).toBe("");
  });
});
