import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { metricValue, startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";

const dir = mkdtempSync(join(tmpdir(), "quiver-cfg-"));
const cfg = join(dir, "prometheus.yml");
writeFileSync(cfg, "global:\n  scrape_interval: 15s\n  external_labels: {replica: a}\n");
let q: QuiverProcess | undefined;

afterAll(async () => {
  await q?.stop();
});

describe("server process", () => {
  test("starts, serves /-/healthy, /-/ready and /metrics, survives a broken reload, exits cleanly on SIGTERM", async () => {
    q = await startQuiver({ args: [`--config.file=${cfg}`] });
    expect((await fetch(`${q.url}/-/healthy`)).status).toBe(200);
    expect(await (await fetch(`${q.url}/-/ready`)).text()).toContain("Ready");

    const m1 = await fetch(`${q.url}/metrics`);
    expect(m1.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body1 = await m1.text();
    expect(metricValue(body1, "prometheus_config_last_reload_successful")).toBe(1);
    expect(body1).toContain("prometheus_build_info{");
    expect(body1).toContain("process_resident_memory_bytes ");
    expect(body1).toContain('prometheus_http_requests_total{code="200",handler="/-/ready"}');

    // Lifecycle endpoints are off without --web.enable-lifecycle.
    const rl = await fetch(`${q.url}/-/reload`, { method: "POST" });
    expect(rl.status).toBe(403);

    // A broken config on SIGHUP keeps the running one and drops the reload gauge to 0.
    writeFileSync(cfg, "global:\n  scrape_interval: banana\n");
    q.kill("SIGHUP");
    let body2 = "";
    for (let i = 0; i < 100; i++) {
      body2 = await (await fetch(`${q.url}/metrics`)).text();
      if (metricValue(body2, "prometheus_config_last_reload_successful") === 0) break;
      await Bun.sleep(50);
    }
    expect(metricValue(body2, "prometheus_config_last_reload_successful")).toBe(0);
    expect(q.logs()).toContain('not a valid duration string: \\"banana\\"');
    expect((await fetch(`${q.url}/-/ready`)).status).toBe(200);

    // Fixing it and reloading again restores the gauge.
    writeFileSync(cfg, "global:\n  scrape_interval: 30s\n");
    q.kill("SIGHUP");
    for (let i = 0; i < 100; i++) {
      if (metricValue(await (await fetch(`${q.url}/metrics`)).text(), "prometheus_config_last_reload_successful") === 1) break;
      await Bun.sleep(50);
    }
    expect(metricValue(await (await fetch(`${q.url}/metrics`)).text(), "prometheus_config_last_reload_successful")).toBe(1);

    expect(await q.stop()).toBe(0);
    expect(q.logs()).toContain("See you next time!");
  }, 30_000);

  test("lifecycle endpoints with --web.enable-lifecycle: reload reports errors, quit exits", async () => {
    writeFileSync(cfg, "global:\n  scrape_interval: 15s\n");
    const p = await startQuiver({ args: [`--config.file=${cfg}`, "--web.enable-lifecycle"] });
    try {
      expect((await fetch(`${p.url}/-/reload`, { method: "POST" })).status).toBe(200);
      writeFileSync(cfg, "global: {nope: 1}\n");
      const bad = await fetch(`${p.url}/-/reload`, { method: "POST" });
      expect(bad.status).toBe(500);
      expect(await bad.text()).toContain("global.nope");
      const quit = await fetch(`${p.url}/-/quit`, { method: "POST" });
      expect(quit.status).toBe(200);
      expect(await p.exited).toBe(0);
    } finally {
      await p.stop();
    }
  }, 30_000);

  test("a bad config at startup exits non-zero naming the problem", async () => {
    const badCfg = join(dir, "bad.yml");
    writeFileSync(badCfg, "global:\n  evaluation_interval: 1q\n");
    await expect(startQuiver({ args: [`--config.file=${badCfg}`], timeoutMs: 10_000 })).rejects.toThrow("global.evaluation_interval");
  });

  test("unknown flags exit with status 2", async () => {
    const proc = Bun.spawn([join(import.meta.dir, "../../node_modules/.bin/bun"), "core/main.ts", "--no-such-flag"], { cwd: join(import.meta.dir, "../.."), stderr: "pipe" });
    expect(await proc.exited).toBe(2);
    expect(await new Response(proc.stderr).text()).toContain("unknown long flag '--no-such-flag'");
  });
});
