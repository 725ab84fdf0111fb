/**
 * An HA pair of real Quiver processes: same rule, different `replica` external label dropped by
 * alert_relabel_configs, each with the built-in Alertmanager pointed at one webhook sink and at the other
 * as --cluster.peer. The sink receives exactly one notification for the alert, not one per replica.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { closeSinks, startSink } from "../../core/plugin/testing.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../exporters/service/testing/processes.ts";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";

const dir = mkdtempSync(join(tmpdir(), "quiver-alerting-ha-"));
const procs: QuiverProcess[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  closeSinks();
});

describe("HA pair of Quivers", () => {
  test("two replicas firing the same alert notify the receiver once", async () => {
    const hook = await startSink();
    const received = hook.got; // webhook requests in arrival order (body parsed)

    writeFileSync(join(dir, "rules.yml"), `groups:
  - name: ha
    interval: 1s
    rules:
      - alert: HAPairAlert
        expr: vector(1) > 0
        labels: {severity: page}
`);
    for (const r of ["a", "b"]) {
      writeFileSync(join(dir, `prometheus-${r}.yml`), `global:
  evaluation_interval: 1s
  external_labels: {replica: ${r}}
rule_files: [rules.yml]
alerting:
  alert_relabel_configs: [{action: labeldrop, regex: replica}]
`);
    }
    writeFileSync(join(dir, "am.yml"), `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook.base}/alerts
`);
    const ports = [await freePort(), await freePort()];
    const addr = (i: number) => `127.0.0.1:${ports[i]}`;
    const started = await Promise.all(["a", "b"].map((r, i) => startQuiver({
      args: [
        `--web.listen-address=${addr(i)}`, `--config.file=${join(dir, `prometheus-${r}.yml`)}`, `--alertmanager.config.file=${join(dir, "am.yml")}`,
        `--cluster.peer=${addr(1 - i)}`, `--cluster.advertise-address=${addr(i)}`, "--cluster.peer-timeout=1s",
      ],
    })));
    procs.push(...started);
    expect(started.map((p) => p.port)).toEqual(ports);

    // Both replicas have the alert in their built-in Alertmanager, under one fingerprint without `replica`.
    const fps = new Set<string>();
    const end = Date.now() + 15_000;
    while (Date.now() < end && !(fps.size === 1 && received.length >= 1)) {
      fps.clear();
      for (const p of started) {
        const alerts = await (await fetch(`${p.url}/api/v2/alerts`)).json() as Array<{ fingerprint: string; labels: Record<string, string> }>;
        for (const a of alerts) if (a.labels.alertname === "HAPairAlert") fps.add(a.fingerprint);
      }
      await Bun.sleep(200);
    }
    expect(fps.size).toBe(1);
    expect(received.length).toBeGreaterThanOrEqual(1);
    // Give the second replica its full wait (position × 1s) plus a fetch, then count.
    await Bun.sleep(3_000);
    expect(received.length).toBe(1);
    expect(received[0]!.body.alerts.map((a: { labels: Record<string, string> }) => a.labels)).toEqual([{ alertname: "HAPairAlert", severity: "page" }]);
    // Both replicas know the notification was sent (the log is shared), and report the cluster.
    for (const p of started) {
      const st = await (await fetch(`${p.url}/api/v2/quiver/cluster/state?since=0`)).json() as { nflog: Array<{ receiver: string }> };
      expect(st.nflog.map((e) => e.receiver)).toEqual(["hook/webhook/0"]);
      const metrics = await (await fetch(`${p.url}/metrics`)).text();
      expect(metrics).toContain("alertmanager_cluster_members 2");
    }
    const positions = await Promise.all(started.map(async (p) => /alertmanager_peer_position (\d)/.exec(await (await fetch(`${p.url}/metrics`)).text())?.[1]));
    expect(positions.sort()).toEqual(["0", "1"]);
  }, 30_000);
});
