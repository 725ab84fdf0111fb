/**
 * --web.config.file end to end: the API served over TLS with basic_auth_users (bcrypt), and a real
 * Prometheus federating from it with `scheme: https`, `tls_config.ca_file` and `basic_auth`. Wrong
 * credentials must be refused with 401 and WWW-Authenticate, as Prometheus's exporter-toolkit does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pollUntil, startPrometheus } from "../../exporters/service/testing/processes.ts";
import { federateConfig, peer, startHarness, type Harness } from "./api-harness.ts";

// bcrypt of "s3cret!" (cost 4).
const HASH = "$2b$04$m4YuyzVDl5v1k.19v1lqSeB1RVhZn1I4ZZcFZuwYqqyaaSdTtW9C.";
const openssl = peer("/usr/bin/openssl");
const prometheus = peer("/usr/bin/prometheus");
let h: Harness;
let dir = "";

describe.skipIf(!openssl)("TLS and basic auth from --web.config.file", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-sec-"));
    const r = spawnSync(openssl!, [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    writeFileSync(join(dir, "web.yml"), `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  alice: "${HASH}"\n`);
    h = await startHarness({ webConfigFile: join(dir, "web.yml") });
  });

  afterAll(async () => {
    await h?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("HTTPS with credentials answers; without, 401 + WWW-Authenticate", async () => {
    const ca = readFileSync(join(dir, "cert.pem"), "utf8");
    // deno-lint-ignore no-explicit-any
    const tls = { tls: { ca } } as any;
    const anon = await fetch(`${h.url}/api/v1/labels`, tls);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe("Basic");
    const bad = await fetch(`${h.url}/api/v1/labels`, { ...tls, headers: { authorization: "Basic " + btoa("alice:nope") } });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${h.url}/api/v1/labels`, { ...tls, headers: { authorization: "Basic " + btoa("alice:s3cret!") } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: string[] }).data).toContain("job");
  });

  test.skipIf(!prometheus)("a real Prometheus federates over HTTPS with basic auth", async () => {
    const tlsLines = ["    scheme: https", "    tls_config:", `      ca_file: ${join(dir, "cert.pem")}`];
    const prom = await startPrometheus(federateConfig(`127.0.0.1:${h.port}`, "node_load1", {
      jobLines: [...tlsLines, "    basic_auth:", "      username: alice", "      password: s3cret!"],
      more: ["  - job_name: refused", "    metrics_path: /federate", ...tlsLines, "    static_configs:", `      - targets: ['127.0.0.1:${h.port}']`],
    }), { binary: prometheus! });
    try {
      type T = { labels: { job: string }; health: string; lastError: string };
      const targets = (await pollUntil(async () => {
        const b = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: T[] } };
        const ts = b.data.activeTargets;
        return ts.length === 2 && ts.every((t) => t.health !== "unknown") ? ts : undefined;
      }, 25_000, 300)) ?? [];
      if (targets.length !== 2) console.error(prom.child.output().slice(-3000));
      const by = Object.fromEntries(targets.map((t) => [t.labels.job, t]));
      expect(by["federate"]?.health).toBe("up");
      expect(by["refused"]?.health).toBe("down");
      expect(by["refused"]?.lastError).toContain("401");
      const q = (await (await fetch(`${prom.url}/api/v1/query?query=node_load1`)).json()) as { data: { result: Array<{ metric: Record<string, string> }> } };
      expect(q.data.result.map((r) => r.metric.job)).toEqual(["node"]);
    } finally {
      await prom.stop();
    }
  }, 40_000);
});
