import { afterEach, describe, expect, test } from "bun:test";
import { NotifierManager, parseAlertingSection } from "../../../core/notifier/index.ts";
import { Registry } from "../../../exporters/service/index.ts";
import { startSink, until } from "../alerting/sink.ts";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const T0 = Date.UTC(2026, 10, 24, 16, 53, 20, 755);
const alert = (i: string) => ({
  labels: { alertname: "AnchorTargetUp", instance: i, job: "node", severity: "info" },
  annotations: { summary: "up" }, startsAt: T0, endsAt: T0 + 240_000, generatorURL: "http://prom/graph", fingerprint: "",
});

async function setup(yaml: (sinkAddr: string) => unknown, opts: { capacity?: number; status?: (n: number) => number } = {}) {
  const sink = await startSink(opts.status);
  closers.push(sink.close);
  const registry = new Registry();
  const n = new NotifierManager({ registry, queueCapacity: opts.capacity, externalLabels: { replica: "a", dc: "eu" }, discoveryUpdateIntervalMs: 0 });
  closers.push(() => n.stop());
  await n.applyConfig(parseAlertingSection(yaml(sink.url.replace("http://", ""))));
  await until(() => n.alertmanagers().length > 0);
  return { n, sink, registry };
}

describe("sending to external Alertmanagers", () => {
  test("POSTs API v2 alerts with external labels, after alert_relabel_configs drop the replica label", async () => {
    const { n, sink } = await setup((addr) => ({
      alert_relabel_configs: [{ action: "labeldrop", regex: "replica" }],
      alertmanagers: [{ path_prefix: "/am/", static_configs: [{ targets: [addr] }], timeout: "2s" }],
    }));
    expect(n.alertmanagers()).toEqual([`${sink.url}/am/api/v2/alerts`]);
    n.send([alert("127.0.0.1:19100")]);
    expect(await n.sendOne()).toBe(true);
    const r = sink.received[0]!;
    expect(r.url).toBe("/am/api/v2/alerts");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json).toEqual([{
      annotations: { summary: "up" }, endsAt: "2026-11-24T16:57:20.755Z", startsAt: "2026-11-24T16:53:20.755Z", generatorURL: "http://prom/graph",
      labels: { alertname: "AnchorTargetUp", dc: "eu", instance: "127.0.0.1:19100", job: "node", severity: "info" },
    }]);
  });

  test("bounded queue drops the oldest; failed batches are counted as dropped; batches of 64", async () => {
    const { n, sink, registry } = await setup((addr) => ({ alertmanagers: [{ static_configs: [{ targets: [addr] }] }] }), { capacity: 100, status: (k) => (k === 1 ? 500 : 200) });
    n.send(Array.from({ length: 150 }, (_, i) => alert(`h${i}`)));
    expect(n.queueLength).toBe(100);
    expect(await n.sendOne()).toBe(false); // 500: dropped
    expect(await n.sendOne()).toBe(true);
    expect(sink.received[0]!.json.length).toBe(64);
    expect(sink.received[0]!.json[0].labels.instance).toBe("h50");
    expect(sink.received[1]!.json.length).toBe(36);
    const text = await registry.metrics();
    expect(text).toContain("prometheus_notifications_dropped_total 114");
    expect(text).toContain("prometheus_notifications_queue_length 0");
    expect(text).toContain("prometheus_notifications_queue_capacity 100");
    expect(text).toMatch(/prometheus_notifications_errors_total\{alertmanager="[^"]+"\} 64/);
    expect(text).toMatch(/prometheus_notifications_sent_total\{alertmanager="[^"]+"\} 100/);
    expect(text).toContain("prometheus_notifications_alertmanagers_discovered 1");
  });

  test("the run loop sends queued alerts; relabel_configs can drop Alertmanagers", async () => {
    const { n, sink } = await setup((addr) => ({
      alertmanagers: [{ static_configs: [{ targets: [addr, "10.0.0.1:9093"] }], relabel_configs: [{ source_labels: ["__address__"], regex: "10\\..*", action: "drop" }] }],
    }));
    expect(n.alertmanagers().length).toBe(1);
    expect(n.droppedAlertmanagers()).toEqual(["http://10.0.0.1:9093/api/v2/alerts"]);
    n.start();
    n.send([alert("x")]);
    await until(() => sink.received.length === 1);
  });

  test("config validation", () => {
    expect(() => parseAlertingSection({ alertmanagers: [{ api_version: "v1" }] })).toThrow("expected Alertmanager api version to be one of [v2] but got v1");
    expect(() => parseAlertingSection({ alertmanagers: [{ bogus: 1 }] })).toThrow('unknown key "bogus"');
    expect(parseAlertingSection({ alertmanagers: [{ static_configs: [{ targets: ["a:1"] }] }] }).alertmanagers[0]!.timeout).toBe(10_000);
  });
});

describe("file discovery of Alertmanagers", () => {
  test("targets from file_sd_configs", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "quiver-notifier-sd-"));
    const { n, sink } = await setup((addr) => {
      writeFileSync(join(dir, "am.json"), JSON.stringify([{ targets: [addr], labels: { env: "test" } }]));
      return { alertmanagers: [{ file_sd_configs: [{ files: [join(dir, "*.json")] }] }] };
    });
    expect(n.alertmanagers()).toEqual([`${sink.url}/api/v2/alerts`]);
    n.send([alert("f")]);
    expect(await n.sendOne()).toBe(true);
    expect(sink.received.length).toBe(1);
  });
});
