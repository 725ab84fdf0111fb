/**
 * A real Prometheus (the Debian binary) federating from Quiver's /federate with honor_labels: the
 * federated series must arrive in Prometheus with their own job/instance labels, Quiver's external
 * labels, and the values Quiver holds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, peer, startHarness, type Harness } from "./api-harness.ts";

const bin = peer("/usr/bin/prometheus");
let h: Harness;
let prom: ChildProcess | undefined;
let promUrl = "";
let dir = "";
let logs = "";

async function promQuery(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return body.data?.result ?? [];
}

describe.skipIf(!bin)("Prometheus federating from Quiver", () => {
  beforeAll(async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), "quiver-fed-"));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, "prometheus.yml"), [
      "global:",
      "  scrape_interval: 1s",
      "scrape_configs:",
      "  - job_name: federate",
      "    honor_labels: true",
      "    metrics_path: /federate",
      "    params:",
      "      'match[]': ['{job=~\".+\"}']",
      "    static_configs:",
      `      - targets: ['127.0.0.1:${h.port}']`,
      "",
    ].join("\n"));
    prom = spawn(bin!, [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ["ignore", "pipe", "pipe"] });
    prom.stdout!.on("data", (d) => (logs += d));
    prom.stderr!.on("data", (d) => (logs += d));
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const done = new Promise((r) => prom!.once("exit", r));
      prom.kill("SIGTERM");
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (prom.exitCode === null) prom.kill("SIGKILL");
    }
    await h?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("federated series arrive with honor_labels and external labels", async () => {
    let result: Awaited<ReturnType<typeof promQuery>> = [];
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      try {
        result = await promQuery("node_load1");
        if (result.length > 0) break;
      } catch {
        // Prometheus not listening yet.
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    if (result.length === 0) console.error(logs.slice(-3000));
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toEqual({ __name__: "node_load1", instance: "127.0.0.1:19100", job: "node", quiver_replica: "a" });
    expect(result[0]!.value[1]).toBe("5");

    const up = await promQuery('up{job="node"}');
    expect(up.map((r) => r.metric)).toEqual([{ __name__: "up", instance: "127.0.0.1:19100", job: "node", quiver_replica: "a" }]);

    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string; lastError: string; scrapeUrl: string }> } };
    const t = targets.data.activeTargets[0]!;
    expect(t.scrapeUrl).toBe(`${h.url}/federate?match%5B%5D=%7Bjob%3D~%22.%2B%22%7D`);
    expect(t.lastError).toBe("");
    expect(t.health).toBe("up");
  }, 40_000);
});
