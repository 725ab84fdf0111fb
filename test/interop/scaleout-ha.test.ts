/**
 * An HA pair: two Quivers with the same configuration except their `replica` external label scrape the
 * same targets and remote-write to one VictoriaMetrics. As docs/scale-out.md describes, the replica
 * label is dropped by write_relabel_configs and VictoriaMetrics deduplicates with
 * -dedup.minScrapeInterval: queries see one series per target and at most one sample per interval,
 * although both replicas sent every sample.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instantQuery, peer, sleep, startVictoria, waitFor, type Peer } from "../core/remote/peers.ts";
import { startMiniQuiver, type MiniQuiver } from "../core/remote/mini-quiver.ts";
import { startTargets, type Target } from "../core/remote/targets.ts";

const bin = peer("/usr/bin/victoria-metrics");

describe.skipIf(!bin)("HA pair deduplicated downstream by VictoriaMetrics", () => {
  let dir = "";
  let vm: Peer;
  let vmRaw: Peer;
  let pair: MiniQuiver[] = [];
  let targets: Target[] = [];
  let stopTargets = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-ha-"));
    vm = await startVictoria(bin!, undefined, undefined, ["-dedup.minScrapeInterval=1s"]);
    vmRaw = await startVictoria(bin!);
    const t = await startTargets(2);
    targets = t.targets;
    stopTargets = t.stop;
    for (const replica of ["a", "b"]) {
      const d = join(dir, replica);
      mkdirSync(d);
      pair.push(await startMiniQuiver([
        "global:",
        "  scrape_interval: 1s",
        `  external_labels: {cluster: edge, replica: ${replica}}`,
        "scrape_configs:",
        "  - job_name: app",
        `    static_configs: [{targets: [${targets.map((x) => `'${x.address}'`).join(", ")}]}]`,
        "remote_write:",
        `  - url: ${vm.url}/api/v1/write`,
        "    name: vm",
        "    write_relabel_configs: [{regex: replica, action: labeldrop}]",
        "    queue_config: {batch_send_deadline: 200ms}",
        `  - url: ${vmRaw.url}/api/v1/write`,
        "    name: vm-raw",
        "    write_relabel_configs: [{regex: replica, action: labeldrop}]",
        "    queue_config: {batch_send_deadline: 200ms}",
        "",
      ].join("\n"), d));
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(pair.map((p) => p.stop()));
    await stopTargets();
    await vm?.destroy();
    await vmRaw?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("one series per target, at most one sample per dedup interval", async () => {
    const sent = () => pair.map((p) => p.remote.metrics().find((f) => f.name === "prometheus_remote_storage_samples_total")!.samples.find((x) => x.labels.remote_name === "vm")!.value);
    // Both replicas send (each scrape: app_requests_total plus the 5 report series, per target).
    await waitFor(() => sent().every((n) => n >= 12 * 6 * targets.length), 30_000);
    await fetch(`${vm.url}/internal/force_flush`);
    await fetch(`${vmRaw.url}/internal/force_flush`);
    await sleep(1000);
    const now = Date.now();
    const series = await instantQuery(vm.url, "app_requests_total", now);
    expect(series.map((s) => s.metric).sort((a, b) => a.instance!.localeCompare(b.instance!))).toEqual(
      targets.map((t) => ({ __name__: "app_requests_total", cluster: "edge", instance: t.address, job: "app", path: "/" })).sort((a, b) => a.instance.localeCompare(b.instance)));
    // 10 s of data from two replicas scraping every second: deduplicated to ≤ 1 sample per second.
    const counts = await instantQuery(vm.url, "count_over_time(app_requests_total[10s])", now - 1000);
    expect(counts.length).toBe(targets.length);
    for (const c of counts) expect(Number(c.value[1])).toBeLessThanOrEqual(11);
    // Both replicas really sent those samples: a VictoriaMetrics without deduplication (the second
    // remote_write queue) holds more samples in the same window than deduplication allows.
    const raw = await instantQuery(vmRaw.url, "count_over_time(app_requests_total[10s])", now - 1000);
    expect(raw.length).toBe(targets.length);
    for (const c of raw) expect(Number(c.value[1])).toBeGreaterThan(11);
  }, 45_000);
});
