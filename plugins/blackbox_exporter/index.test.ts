/**
 * The blackbox_exporter plugin: settings validation, modules from a file and inline, and probes run
 * through collect(signal, params) against a loopback HTTP server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../core/log/logger.ts";
import plugin, { type ProbeExporterInstance } from "./index.ts";

let srv: Server;
let base: string;
beforeAll(async () => {
  srv = createServer((req, res) => {
    res.writeHead(req.url === "/ok" ? 200 : 503);
    res.end("body");
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
});
afterAll(() => srv.close());

const ctx = (config: unknown, configDir = "/tmp") => ({ config: config as never, logger: nopLogger, dataDir: "/tmp", configDir });

describe("blackbox_exporter plugin", () => {
  test("probes with target and module from the scrape params", async () => {
    const inst = (await plugin.create(ctx({ modules: { http_2xx: { prober: "http", http: { preferred_ip_protocol: "ip4" } } } }))) as ProbeExporterInstance;
    const run = async (path: string) => {
      const fams = await inst.collect(new AbortController().signal, new URLSearchParams({ target: base + path, module: "http_2xx" }));
      return fams.find((f) => f.name === "probe_success")!.samples[0]!.value;
    };
    expect(await run("/ok")).toBe(1);
    expect(await run("/fail")).toBe(0);
    await expect(inst.collect(new AbortController().signal)).rejects.toThrow("Target parameter is missing");
  });

  test("modules from a file relative to the config directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-bbp-"));
    writeFileSync(join(dir, "blackbox.yml"), "modules:\n  tcp_connect:\n    prober: tcp\n");
    const inst = (await plugin.create(ctx({ config_file: "blackbox.yml" }, dir))) as ProbeExporterInstance;
    const fams = await inst.collect(new AbortController().signal, new URLSearchParams({ target: new URL(base).host, module: "tcp_connect" }));
    expect(fams.find((f) => f.name === "probe_success")!.samples[0]!.value).toBe(1);
  });

  test("config errors", () => {
    expect(() => plugin.create(ctx({}))).toThrow(/set config_file or modules/);
    expect(() => plugin.create(ctx({ modules: { x: { prober: "nope" } } }))).toThrow(/unknown prober "nope"/);
    expect(() => plugin.create(ctx({ modules: {}, probe_timeout: "soon" }))).toThrow(/probe_timeout/);
    expect(() => plugin.create(ctx({ module: {} }))).toThrow(/unknown setting "module"/);
  });
});
