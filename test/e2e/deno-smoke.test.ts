/**
 * The same server under Deno 2: starts, becomes ready, serves /metrics, loads the built-in plugins, scrapes
 * and answers a query. Skipped with a notice when node_modules has no deno binary.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { metricValue, startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { REPO_ROOT } from "../helpers/shared.ts";

const deno = join(REPO_ROOT, "node_modules", ".bin", "deno");
let q: QuiverProcess | undefined;
afterAll(async () => {
  await q?.stop();
});

describe.skipIf(!existsSync(deno))("deno smoke", () => {
  test("ready, /metrics, plugins loaded, a scrape (HTTP and in-process) and a query, clean SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-deno-"));
    // The self-scrape target's port is only known after start: scrape through the in-process node
    // exporter plugin, plus an HTTP job that a reload points at the bound port.
    const cfg = (port: number) => `global: {scrape_interval: 1s}
plugins: {node_exporter: {}}
scrape_configs:
  - job_name: node
    plugin: node_exporter
  - job_name: quiver
    static_configs: [{targets: ["127.0.0.1:${port}"]}]
`;
    writeFileSync(join(dir, "p.yml"), cfg(1));
    q = await startQuiver({ runtime: "deno", timeoutMs: 60_000, args: [`--config.file=${join(dir, "p.yml")}`] });
    writeFileSync(join(dir, "p.yml"), cfg(q.port));
    q.kill("SIGHUP");
    let up: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    for (let i = 0; i < 150; i++) {
      const r = (await (await fetch(`${q.url}/api/v1/query?query=up`)).json()) as { data: { result: typeof up } };
      up = r.data.result;
      if (up.length === 2 && up.every((s) => s.value[1] === "1")) break;
      await Bun.sleep(100);
    }
    expect(up.map((s) => [s.metric.job, s.value[1]]).sort()).toEqual([["node", "1"], ["quiver", "1"]]);
    const cpu = (await (await fetch(`${q.url}/api/v1/query?query=count(node_cpu_seconds_total)>0`)).json()) as { data: { result: unknown[] } };
    expect(cpu.data.result).toHaveLength(1);
    const body = await (await fetch(`${q.url}/metrics`)).text();
    expect(body).toContain('goversion="deno');
    expect(metricValue(body, "prometheus_config_last_reload_successful")).toBe(1);
    expect(metricValue(body, 'quiver_plugin_loaded{plugin="node_exporter"}')).toBe(1);
    expect(await q.stop()).toBe(0);
  }, 90_000);
});
