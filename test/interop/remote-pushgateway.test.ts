/**
 * Quiver's Pushgateway-compatible API used as a real Pushgateway would be: a batch job pushes with
 * PUT/POST (plain and base64 grouping keys), a real Prometheus 2.42 scrapes the pushed groups with
 * honor_labels and sees them with their grouping labels and push_time_seconds; a DELETE removes them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBase64Url } from "../../core/push/grouping.ts";
import { instantQuery, peer, startPrometheus, waitFor, type Peer } from "../core/remote/peers.ts";
import { startMiniQuiver, type MiniQuiver } from "../core/remote/mini-quiver.ts";

const bin = peer("/usr/bin/prometheus");

describe.skipIf(!bin)("pushing batch-job metrics, scraped by Prometheus", () => {
  let dir = "";
  let q: MiniQuiver;
  let prom: Peer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-pgw-"));
    q = await startMiniQuiver("global: {scrape_interval: 1m}\n", dir);
    prom = await startPrometheus(bin!, [
      "global: {scrape_interval: 1s}",
      "scrape_configs:",
      "  - job_name: pushgateway",
      "    honor_labels: true",
      "    metrics_path: /push/metrics",
      `    static_configs: [{targets: ['127.0.0.1:${q.port}']}]`,
      "",
    ].join("\n"));
  });

  afterAll(async () => {
    await prom?.destroy();
    await q?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("pushed groups arrive with their grouping labels", async () => {
    const put = await fetch(`${q.url}/metrics/job/backup/instance/db1`, {
      method: "PUT", body: "# TYPE backup_last_success_seconds gauge\nbackup_last_success_seconds 1.7e9\n# TYPE backup_bytes counter\nbackup_bytes 12345\n",
    });
    expect(put.status).toBe(200);
    const path = encodeBase64Url("/var/tmp");
    expect((await fetch(`${q.url}/metrics/job/cleaner/path@base64/${path}`, { method: "POST", body: "files_removed 7\n" })).status).toBe(200);

    await waitFor(async () => (await instantQuery(prom.url, "files_removed")).length === 1, 15_000, () => prom.logs());
    expect((await instantQuery(prom.url, "backup_last_success_seconds"))[0]!.metric).toEqual({ __name__: "backup_last_success_seconds", instance: "db1", job: "backup" });
    expect((await instantQuery(prom.url, "backup_bytes"))[0]!.value[1]).toBe("12345");
    expect((await instantQuery(prom.url, "files_removed"))[0]!.metric).toEqual({ __name__: "files_removed", job: "cleaner", path: "/var/tmp" });
    const pt = await instantQuery(prom.url, "push_time_seconds");
    expect(pt.map((r) => r.metric.job).sort()).toEqual(["backup", "cleaner"]);
    for (const r of pt) expect(Math.abs(Number(r.value[1]) - Date.now() / 1000)).toBeLessThan(120);

    expect((await fetch(`${q.url}/metrics/job/cleaner/path@base64/${path}`, { method: "DELETE" })).status).toBe(202);
    const after = await (await fetch(`${q.url}/push/metrics`)).text();
    expect(after).not.toContain("files_removed");
    expect(after).toContain('backup_bytes{instance="db1",job="backup"} 12345');
  }, 30_000);
});
