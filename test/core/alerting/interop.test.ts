/**
 * Interop with the real programs (skipped with a notice when absent):
 * - Quiver's notifier sends to a real Alertmanager, whose /api/v2/alerts then lists the alert;
 * - a real Prometheus with an alerting rule sends to Quiver's Alertmanager API v2, and a webhook sink
 *   receives one grouped notification.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertingManager, alertmanagerApi, parseAlertmanagerConfig } from "../../../core/alerting/index.ts";
import { NotifierManager, parseAlertingSection } from "../../../core/notifier/index.ts";
import { detectRuntime } from "../../../core/runtime/index.ts";
import webhook from "../../../plugins/webhook/index.ts";
import { freePort, peer } from "../../interop/api-harness.ts";
import { startSink, until } from "./sink.ts";

const procs: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const p of procs) if (p.pid && p.exitCode === null) process.kill(p.pid, "SIGKILL");
  for (const c of cleanups) await c();
});

function start(bin: string, args: string[]): ChildProcess {
  const p = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  p.stderr!.on("data", (d) => (err = (err + d).slice(-4000)));
  (p as ChildProcess & { lastErr: () => string }).lastErr = () => err;
  procs.push(p);
  return p;
}

async function ready(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const amBin = peer("/usr/bin/prometheus-alertmanager");
const amtool = peer("/usr/bin/amtool");
const promBin = peer("/usr/bin/prometheus");

describe("interop", () => {
  test.skipIf(!amBin)("Quiver's notifier → real Alertmanager lists the alert", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-am-interop-"));
    writeFileSync(join(dir, "am.yml"), "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
    const port = await freePort();
    start(amBin!, [`--config.file=${join(dir, "am.yml")}`, `--storage.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="]);
    await ready(`http://127.0.0.1:${port}/-/ready`);
    const n = new NotifierManager({ externalLabels: { quiver: "test" }, discoveryUpdateIntervalMs: 0 });
    cleanups.push(() => n.stop());
    await n.applyConfig(parseAlertingSection({ alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${port}`] }] }] }));
    await until(() => n.alertmanagers().length === 1);
    const now = Date.now();
    n.send([{ labels: { alertname: "QuiverInterop", severity: "info" }, annotations: { summary: "from quiver" }, startsAt: now, endsAt: now + 300_000, generatorURL: "http://quiver/graph", fingerprint: "" }]);
    expect(await n.sendOne()).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/alerts`);
    const alerts = (await res.json()) as Array<{ labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string }>;
    expect(alerts.length).toBe(1);
    expect(alerts[0]!.labels).toEqual({ alertname: "QuiverInterop", quiver: "test", severity: "info" });
    expect(alerts[0]!.annotations).toEqual({ summary: "from quiver" });
  }, 30_000);

  test.skipIf(!promBin)("real Prometheus → Quiver's /api/v2/alerts → one grouped webhook notification", async () => {
    const sink = await startSink();
    cleanups.push(sink.close);
    const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://quiver:9093" });
    cleanups.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(`
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 5s
receivers:
  - name: hook
    webhook_configs:
      - url: ${sink.url}/hook
`));
    const app = alertmanagerApi(am);
    const server = await detectRuntime().serve((req) => app.handle(req), { hostname: "127.0.0.1", port: 0 });
    cleanups.push(() => server.stop());
    const dir = mkdtempSync(join(tmpdir(), "quiver-prom-interop-"));
    writeFileSync(join(dir, "rules.yml"), "groups:\n  - name: g\n    interval: 1s\n    rules:\n      - alert: PromToQuiver\n        expr: vector(1)\n        labels: {severity: page}\n        annotations: {summary: 'value {{ $value }}'}\n      - alert: PromToQuiver\n        expr: vector(2)\n        labels: {severity: page, n: two}\n");
    writeFileSync(join(dir, "prometheus.yml"), `global:\n  evaluation_interval: 1s\n  external_labels: {cluster: interop}\nrule_files: [rules.yml]\nalerting:\n  alertmanagers:\n    - api_version: v2\n      static_configs:\n        - targets: ['127.0.0.1:${server.port}']\n`);
    const pport = await freePort();
    const prom = start(promBin!, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${pport}`,
      // The first send happens before notifier discovery has found us (Prometheus drops it); re-send soon.
      "--rules.alert.resend-delay=1s"]);
    try {
      await until(() => sink.received.length >= 1, 30_000);
    } catch (e) {
      throw new Error(`no notification (store ${am.store.list().length}, groups ${am.aggrGroups().length}, sink ${sink.received.length}); prometheus stderr: ${(prom as ChildProcess & { lastErr: () => string }).lastErr()}`, { cause: e });
    }
    const body = sink.received[0]!.json;
    expect(body.receiver).toBe("hook");
    expect(body.groupKey).toBe('{}:{alertname="PromToQuiver"}');
    expect(body.version).toBe("4");
    expect(body.commonLabels).toEqual({ alertname: "PromToQuiver", cluster: "interop", severity: "page" });
    expect(body.alerts.length).toBe(2);
    expect(body.alerts.map((a: { annotations: Record<string, string> }) => a.annotations.summary ?? "")).toContain("value 1");
    expect(body.alerts[0].generatorURL).toContain("/graph?g0.expr=");
  }, 45_000);

  test.skipIf(!amtool)("amtool manages silences and queries alerts against Quiver's API v2", async () => {
    const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://quiver:9093" });
    cleanups.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig("route: {receiver: blackhole, group_by: [alertname]}\nreceivers: [{name: blackhole}]\n"));
    const app = alertmanagerApi(am);
    const server = await detectRuntime().serve((req) => app.handle(req), { hostname: "127.0.0.1", port: 0 });
    cleanups.push(() => server.stop());
    const url = `--alertmanager.url=http://127.0.0.1:${server.port}`;
    const tool = (...args: string[]) => new Promise<{ out: string; err: string; code: number }>((resolve) => {
      const p = spawn(amtool!, [url, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      p.stdout!.on("data", (d) => (out += d));
      p.stderr!.on("data", (d) => (err += d));
      p.on("close", (code) => resolve({ out, err, code: code ?? -1 }));
    });
    expect((await tool("alert", "add", "alertname=AmtoolAlert", "severity=page", "--annotation=summary=from amtool")).code).toBe(0);
    const q = await tool("alert", "query", "-o", "json");
    expect(q.code).toBe(0);
    const alerts = JSON.parse(q.out) as Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
    expect(alerts.map((a) => a.labels)).toEqual([{ alertname: "AmtoolAlert", severity: "page" }]);
    const add = await tool("silence", "add", "alertname=AmtoolAlert", "--comment=maintenance", "--author=ops", "--duration=1h");
    expect(add.code).toBe(0);
    const id = add.out.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const sq = await tool("silence", "query", "-o", "json");
    const silences = JSON.parse(sq.out) as Array<{ id: string; comment: string; createdBy: string; matchers: unknown[] }>;
    expect(silences.map((s) => [s.id, s.comment, s.createdBy])).toEqual([[id, "maintenance", "ops"]]);
    const silencedQuery = await tool("alert", "query", "-o", "json");
    expect(JSON.parse(silencedQuery.out)).toEqual([]); // amtool hides silenced alerts by default
    expect((await tool("silence", "expire", id)).code).toBe(0);
    const after = JSON.parse((await tool("silence", "query", "--expired", "-o", "json")).out) as Array<{ status: { state: string } }>;
    expect(after[0]!.status.state).toBe("expired");
    const st = await tool("config", "show");
    expect(st.code).toBe(0);
    expect(st.out).toContain("blackhole");
  }, 30_000);
});
