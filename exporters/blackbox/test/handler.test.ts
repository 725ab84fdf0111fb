/**
 * The /probe handler and the standalone routes (no sockets for the handler itself): parameters, errors,
 * timeout from X-Prometheus-Scrape-Timeout-Seconds, debug output, reload.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../../core/log/logger.ts";
import { parseBlackboxConfig } from "../config.ts";
import { BlackboxExporter } from "../exporter.ts";
import { probeTimeoutSeconds } from "../probe.ts";
import { startHttp } from "./servers.ts";

let web: Awaited<ReturnType<typeof startHttp>>;
beforeAll(async () => (web = await startHttp(null)));
afterAll(() => web.close());

const YAML = "modules:\n  http_2xx:\n    prober: http\n  short:\n    prober: http\n    timeout: 2s\n";

describe("probe timeout", () => {
  test("header minus offset, capped by the module timeout, 120s without header", () => {
    const m = parseBlackboxConfig(YAML).modules;
    expect(probeTimeoutSeconds("10", m.get("http_2xx")!, 0.5)).toBe(9.5);
    expect(probeTimeoutSeconds("10", m.get("short")!, 0.5)).toBe(2);
    expect(probeTimeoutSeconds("1", m.get("short")!, 0.5)).toBe(0.5);
    expect(probeTimeoutSeconds(null, m.get("http_2xx")!, 0.5)).toBe(119.5);
    expect(() => probeTimeoutSeconds("abc", m.get("http_2xx")!, 0.5)).toThrow(/Failed to parse timeout/);
  });
});

describe("routes", () => {
  const exp = () => new BlackboxExporter({ config: parseBlackboxConfig(YAML), logger: nopLogger });
  test("/probe: success, errors, debug", async () => {
    const h = exp().handler();
    const ok = await h(new Request(`http://x/probe?target=${encodeURIComponent(web.http + "/ok")}&module=http_2xx`, { headers: { "X-Prometheus-Scrape-Timeout-Seconds": "5" } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("probe_success 1\n");
    const noTarget = await h(new Request("http://x/probe?module=http_2xx"));
    expect(noTarget.status).toBe(400);
    expect(await noTarget.text()).toBe("Target parameter is missing\n");
    const badModule = await h(new Request("http://x/probe?target=a&module=nope"));
    expect(badModule.status).toBe(400);
    expect(await badModule.text()).toBe('Unknown module "nope"\n');
    const dbg = await (await h(new Request(`http://x/probe?target=${encodeURIComponent(web.http + "/ok")}&debug=true`))).text();
    expect(dbg).toMatch(/^Logs for the probe:\n/);
    expect(dbg).toContain('msg="Beginning probe" probe=http timeout_seconds=119.5');
    expect(dbg).toContain("\n\n\n\nMetrics that would have been returned:\n# HELP probe_dns_lookup_time_seconds");
    expect(dbg).toContain("\n\n\nModule configuration:\nprober: http\n");
  });

  test("/metrics, /-/reload and 404", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-bb-"));
    const file = join(dir, "blackbox.yml");
    writeFileSync(file, YAML);
    const e = new BlackboxExporter({ config: file, logger: nopLogger });
    const h = e.handler();
    expect(await (await h(new Request("http://x/metrics"))).text()).toContain("blackbox_exporter_config_last_reload_successful 1\n");
    writeFileSync(file, YAML + "  extra:\n    prober: tcp\n");
    expect((await h(new Request("http://x/-/reload", { method: "POST" }))).status).toBe(200);
    expect(e.config.modules.has("extra")).toBe(true);
    writeFileSync(file, "modules:\n  bad:\n    prober: nope\n");
    expect((await h(new Request("http://x/-/reload", { method: "POST" }))).status).toBe(500);
    expect(e.config.modules.has("extra")).toBe(true);
    expect(await (await h(new Request("http://x/metrics"))).text()).toContain("blackbox_exporter_config_last_reload_successful 0\n");
    expect((await h(new Request("http://x/nope"))).status).toBe(404);
    await h(new Request("http://x/probe?target=a&module=missing"));
    expect(await (await h(new Request("http://x/metrics"))).text()).toContain("blackbox_module_unknown_total 1\n");
  });

  test("in-process probe with params", async () => {
    const fams = await exp().probe(new URLSearchParams({ target: web.http + "/ok", module: "http_2xx" }), 3000);
    expect(fams.find((f) => f.name === "probe_success")!.samples[0]!.value).toBe(1);
    await expect(exp().probe(new URLSearchParams({ module: "http_2xx" }), 3000)).rejects.toThrow("Target parameter is missing");
  });
});

describe("flags", () => {
  test("blackbox_exporter flags", async () => {
    const { parseBlackboxFlags } = await import("../cli.ts");
    const f = parseBlackboxFlags(["--config.file=x.yml", "--web.listen-address", "127.0.0.1:1", "--timeout-offset=0.25", "--history.limit=10"]);
    expect([f.configFile, f.listenAddress, f.timeoutOffsetS, f.ignored]).toEqual(["x.yml", "127.0.0.1:1", 0.25, ["--history.limit"]]);
    expect(parseBlackboxFlags([]).listenAddress).toBe(":9115");
    expect(() => parseBlackboxFlags(["--bogus"])).toThrow(/unknown flag --bogus/);
    expect(() => parseBlackboxFlags(["--web.config.file=w.yml"])).toThrow(/not supported/);
  });
});
