import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertingManager, alertmanagerApi, parseAlertmanagerConfig } from "../../../core/alerting/index.ts";
import webhook from "../../../plugins/webhook/index.ts";
import { Registry } from "../../../exporters/service/index.ts";
import { FakeClock } from "../rules/fake.ts";
import { startSink, until, type Received } from "./sink.ts";

const T0 = Date.UTC(2026, 10, 24, 16, 53, 10);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setup(routeExtra = "", opts: { status?: (n: number) => number; dataDir?: string; clock?: FakeClock; extra?: string } = {}) {
  const sink = await startSink(opts.status);
  closers.push(sink.close);
  const clock = opts.clock ?? new FakeClock(T0);
  const registry = new Registry();
  const am = new AlertingManager({
    notifiers: new Map([["webhook", webhook]]), externalURL: "http://am.example:9093", clock, registry, dataDir: opts.dataDir,
    retry: { initialBackoffMs: 1000, sendTimeoutMs: 5000, maxBackoffMs: 4000 },
  });
  closers.push(() => am.stop());
  const cfg = parseAlertmanagerConfig(`
route:
  receiver: webhook
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
${routeExtra}
receivers:
  - name: webhook
    webhook_configs:
      - url: ${sink.url}/hook
        send_resolved: true
${opts.extra ?? ""}`, { integrations: ["webhook"] });
  await am.applyConfig(cfg);
  return { am, clock, sink, registry };
}

/** An alert as Prometheus sends it (endsAt far ahead, as its validUntil; re-sent in reality). */
const alert = (instance: string, extra: Record<string, unknown> = {}) => ({
  labels: { alertname: "AnchorTestAlert", instance, job: "node", severity: "warning" },
  annotations: { summary: "anchor-bench test alert" },
  generatorURL: "http://127.0.0.1:19090/graph?g0.expr=up",
  endsAt: T0 + 24 * 3_600_000,
  ...extra,
});

async function step(clock: FakeClock, am: AlertingManager, ms: number) {
  await clock.advance(ms);
  await am.idle();
}

describe("dispatch timings with a fake clock", () => {
  test("group_wait batches, group_interval sends changes, repeat_interval re-sends, resolved is sent", async () => {
    const { am, clock, sink } = await setup();
    am.receive([alert("127.0.0.1:19100", { startsAt: T0 })]);
    await step(clock, am, 10_000);
    am.receive([alert("127.0.0.1:19101", { startsAt: T0 + 10_000 })]);
    await step(clock, am, 19_999);
    expect(sink.received.length).toBe(0);
    await step(clock, am, 1);
    await until(() => sink.received.length === 1);
    const first = sink.received[0]!;
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.url).toBe("/hook");
    expect(first.json).toEqual({
      receiver: "webhook", status: "firing",
      alerts: [
        { status: "firing", labels: alert("127.0.0.1:19100").labels, annotations: { summary: "anchor-bench test alert" }, startsAt: "2026-11-24T16:53:10Z", endsAt: "0001-01-01T00:00:00Z", generatorURL: "http://127.0.0.1:19090/graph?g0.expr=up", fingerprint: "f778212bec99c5de" },
        { status: "firing", labels: alert("127.0.0.1:19101").labels, annotations: { summary: "anchor-bench test alert" }, startsAt: "2026-11-24T16:53:20Z", endsAt: "0001-01-01T00:00:00Z", generatorURL: "http://127.0.0.1:19090/graph?g0.expr=up", fingerprint: first.json.alerts[1].fingerprint },
      ],
      groupLabels: { alertname: "AnchorTestAlert" },
      commonLabels: { alertname: "AnchorTestAlert", job: "node", severity: "warning" },
      commonAnnotations: { summary: "anchor-bench test alert" },
      externalURL: "http://am.example:9093", version: "4", groupKey: '{}:{alertname="AnchorTestAlert"}', truncatedAlerts: 0,
    });
    // Nothing changed at the next group_interval: no notification.
    await step(clock, am, 300_000);
    expect(sink.received.length).toBe(1);
    // A resolved alert goes out at the next group_interval.
    am.receive([alert("127.0.0.1:19101", { startsAt: T0 + 10_000, endsAt: clock.now() })]);
    await step(clock, am, 300_000);
    await until(() => sink.received.length === 2);
    const second = sink.received[1]!.json;
    expect(second.status).toBe("firing");
    expect(second.alerts.map((a: { status: string }) => a.status)).toEqual(["firing", "resolved"]);
    // Repeat interval (1h after the last send at +630s) re-sends the still firing alert at the first
    // flush strictly after it (+4530s), as Alertmanager's dedup stage does.
    for (let i = 0; i < 12; i++) await step(clock, am, 300_000);
    expect(sink.received.length).toBe(2);
    await step(clock, am, 300_000);
    await until(() => sink.received.length === 3);
    expect(sink.received[2]!.json.alerts.length).toBe(1);
  });

  test("an alert older than group_wait is sent at once; identical HA alerts make one notification", async () => {
    const { am, clock, sink } = await setup();
    const a = alert("h", { startsAt: T0 - 60_000 });
    am.receive([a]);
    am.receive([a]); // second replica, same labels
    await step(clock, am, 0);
    await until(() => sink.received.length === 1);
    expect(sink.received[0]!.json.alerts.length).toBe(1);
  });

  test("silences and inhibition mute; failing sends are retried with backoff and counted", async () => {
    const { am, clock, sink, registry } = await setup("", {
      status: (n) => (n === 1 ? 503 : 200),
      extra: "inhibit_rules:\n  - source_matchers: ['severity=\"critical\"']\n    target_matchers: ['severity=\"warning\"']\n    equal: [instance]\n",
    });
    am.silences.set({ matchers: [{ name: "instance", value: "silenced", isRegex: false, isEqual: true }], startsAt: T0, endsAt: T0 + 3_600_000, createdBy: "me", comment: "test" });
    am.receive([
      alert("silenced", { startsAt: T0 }),
      alert("inhibited", { startsAt: T0 }),
      { ...alert("inhibited", { startsAt: T0 }), labels: { alertname: "Other", instance: "inhibited", severity: "critical" } },
      alert("visible", { startsAt: T0 }),
    ]);
    // Two groups (AnchorTestAlert, Other) flush at +30s; the first request gets a 503 and is retried after 1s.
    await clock.advance(30_000);
    await until(() => sink.received.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    await step(clock, am, 1000);
    await until(() => sink.received.length === 3);
    expect(sink.received[2]!.body).toBe(sink.received[0]!.body);
    const sent = new Set(sink.received.flatMap((r) => r.json.alerts.map((a: { labels: Record<string, string> }) => `${a.labels.alertname}/${a.labels.instance}`)));
    expect([...sent].sort()).toEqual(["AnchorTestAlert/visible", "Other/inhibited"]);
    const text = await registry.metrics();
    expect(text).toContain('alertmanager_notification_requests_failed_total{integration="webhook"} 1');
    expect(text).toContain('alertmanager_notifications_total{integration="webhook"} 2');
    expect(text).toContain('alertmanager_notification_requests_total{integration="webhook"} 3');
    expect(text).toContain('alertmanager_notifications_failed_total{integration="webhook"} 0');
    expect(text).toContain('alertmanager_notification_latency_seconds_count{integration="webhook"}');
  });

  test("silences and the notification log survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "quiver-am-"));
    const clock = new FakeClock(T0);
    const a = await setup("", { dataDir, clock });
    a.am.receive([alert("h", { startsAt: T0, endsAt: T0 + 3_600_000 })]);
    const id = a.am.silences.set({ matchers: [{ name: "instance", value: "x", isRegex: false, isEqual: true }], startsAt: T0, endsAt: T0 + 7_200_000, createdBy: "me", comment: "keep" });
    await step(clock, a.am, 30_000);
    await until(() => a.sink.received.length === 1);
    await a.am.stop();
    const b = await setup("", { dataDir, clock });
    expect(b.am.silences.get(id)?.comment).toBe("keep");
    b.am.receive([alert("h", { startsAt: T0, endsAt: T0 + 3_600_000 })]);
    await step(clock, b.am, 30_000);
    await step(clock, b.am, 300_000);
    expect(b.sink.received.length).toBe(0); // already notified before the restart
  });
});

describe("channel instances", () => {
  test("a plugin config error names the receiver; instances run wrapped and show in status", async () => {
    const { am, clock, sink } = await setup();
    await expect(am.applyConfig(parseAlertmanagerConfig("route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'ftp://x'}]}]"))).rejects.toThrow('receivers: r: webhook_configs[0]: url: unsupported scheme "ftp" for URL');
    expect(am.runningPlugins().map((p) => [p.id, p.plugin, p.state])).toEqual([["webhook/webhook[0]", "webhook", "up"]]);
    am.receive([alert("a", { startsAt: T0 })]);
    await step(clock, am, 30_000);
    await until(() => sink.received.length === 1);
    expect(am.runningPlugins()[0]!.stats.calls).toBe(1);
  });
});

describe("config file with user templates", () => {
  test("loadConfigFile resolves template globs; channels use the user's definitions; reload metrics", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const slack = (await import("../../../plugins/slack/index.ts")).default;
    const sink = await startSink();
    closers.push(sink.close);
    const dir = mkdtempSync(join(tmpdir(), "quiver-am-cfg-"));
    mkdirSync(join(dir, "tmpl"));
    writeFileSync(join(dir, "tmpl", "my.tmpl"), '{{ define "my.title" }}{{ .Status | toUpper }}: {{ range .Alerts }}{{ .Labels.instance }} {{ end }}{{ end }}');
    writeFileSync(join(dir, "am.yml"), `templates: ['tmpl/*.tmpl']\nroute: {receiver: s, group_wait: 1s}\nreceivers:\n  - name: s\n    slack_configs:\n      - api_url: ${sink.url}/services/x\n        title: '{{ template "my.title" . }}'\n`);
    const clock = new FakeClock(T0);
    const registry = new Registry();
    const am = new AlertingManager({ notifiers: new Map([["slack", slack]]), externalURL: "http://am", clock, registry });
    closers.push(() => am.stop());
    await am.loadConfigFile(join(dir, "am.yml"));
    am.receive([alert("h1", { startsAt: T0 })]);
    await clock.advance(1000);
    await until(() => sink.received.length === 1);
    expect(sink.received[0]!.json.attachments[0].title).toBe("FIRING: h1 ");
    writeFileSync(join(dir, "tmpl", "my.tmpl"), '{{ define "my.title" }}{{ nosuchfunc }}{{ end }}');
    await expect(am.loadConfigFile(join(dir, "am.yml"))).rejects.toThrow('function "nosuchfunc" not defined');
    const text = await registry.metrics();
    expect(text).toContain("alertmanager_config_last_reload_successful 0");
    expect(text).toMatch(/alertmanager_config_hash \d+/);
  });
});

describe("route labels", () => {
  test("rendered per group, inherited and overridden, in the webhook payload, templates and API groups", async () => {
    const { am, clock, sink } = await setup(`  labels:
    reason: '{{ .GroupLabels.alertname }}'
    description: '{{ .GroupLabels.alertname }} firing ({{ routeLabels "reason" }})'
  routes:
    - matchers: [service="database"]
      group_by: [alertname, database]
      labels:
        reason: 'database {{ .GroupLabels.database }}'`);
    am.receive([
      { ...alert("a", { startsAt: T0 }), labels: { alertname: "DiskFull", service: "database", database: "orders" } },
      { ...alert("b", { startsAt: T0 }), labels: { alertname: "HighLatency" } },
    ]);
    await step(clock, am, 30_000);
    await until(() => sink.received.length === 2);
    const byName = Object.fromEntries(sink.received.map((r) => [r.json.groupLabels.alertname, r.json.routeLabels]));
    expect(byName).toEqual({
      DiskFull: { reason: "database orders", description: "DiskFull firing (database orders)" },
      HighLatency: { reason: "HighLatency", description: "HighLatency firing (HighLatency)" },
    });
    const groups = await (await alertmanagerApi(am).handle(new Request("http://localhost/api/v2/alerts/groups"))).json() as Array<{ routeLabels: Record<string, string> }>;
    expect(groups.map((g) => g.routeLabels.description).sort()).toEqual(["DiskFull firing (database orders)", "HighLatency firing (HighLatency)"]);
    const text = await am.templateExpander.expand('{{ routeLabels "description" }}', { ...sink.received[0]!.json, alerts: [], routeLabels: sink.received[0]!.json.routeLabels });
    expect(text).toContain("firing (");
  });
});

describe("time-interval muting", () => {
  test("mute_time_intervals suppress a route's notifications; active_time_intervals limit them", async () => {
    const { am, clock, sink } = await setup(`  routes:
    - matchers: [team="night"]
      mute_time_intervals: [always]
    - matchers: [team="weekend"]
      active_time_intervals: [weekend]`, { extra: "time_intervals:\n  - name: always\n    time_intervals: [{weekdays: ['sunday:saturday']}]\n  - name: weekend\n    time_intervals: [{weekdays: [saturday, sunday]}]\n" });
    am.receive([
      { ...alert("a", { startsAt: T0 }), labels: { alertname: "M", team: "night" } },
      { ...alert("b", { startsAt: T0 }), labels: { alertname: "W", team: "weekend" } },
      { ...alert("c", { startsAt: T0 }), labels: { alertname: "N", team: "day" } },
    ]);
    await step(clock, am, 30_000); // T0 is a Tuesday
    await until(() => sink.received.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.received.map((r) => r.json.groupLabels.alertname)).toEqual(["N"]);
  });
});

describe("API v2", () => {
  test("alerts, groups, silences, receivers and status in Alertmanager's shapes", async () => {
    const { am, clock } = await setup();
    const app = alertmanagerApi(am);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.handle(new Request(`http://localhost${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "Content-Type": "application/json" } }));
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    };
    const post = await call("POST", "/api/v2/alerts", [{ ...alert("127.0.0.1:19100"), startsAt: "2026-11-24T16:53:10.000Z", endsAt: undefined }]);
    expect(post.status).toBe(200);
    const got = await call("GET", "/api/v2/alerts");
    expect(got.json).toEqual([{
      annotations: { summary: "anchor-bench test alert" }, endsAt: "2026-11-24T16:58:10.000Z", fingerprint: "f778212bec99c5de",
      receivers: [{ name: "webhook" }], startsAt: "2026-11-24T16:53:10.000Z", status: { inhibitedBy: [], silencedBy: [], state: "active" },
      updatedAt: "2026-11-24T16:53:10.000Z", generatorURL: "http://127.0.0.1:19090/graph?g0.expr=up", labels: alert("127.0.0.1:19100").labels,
    }]);
    expect((await call("GET", '/api/v2/alerts?filter=instance%3D"127.0.0.1:19100"')).json.length).toBe(1);
    expect((await call("GET", '/api/v2/alerts?filter=instance%3D"nope"')).json.length).toBe(0);
    expect((await call("GET", "/api/v2/alerts?receiver=web.*")).json.length).toBe(1);
    expect((await call("GET", "/api/v2/alerts?active=maybe")).status).toBe(400);
    const groups = await call("GET", "/api/v2/alerts/groups");
    expect(groups.json[0].labels).toEqual({ alertname: "AnchorTestAlert" });
    expect(groups.json[0].receiver).toEqual({ name: "webhook" });
    const s = await call("POST", "/api/v2/silences", { matchers: [{ name: "alertname", value: "AnchorTestAlert", isRegex: false, isEqual: true }], startsAt: "2026-11-24T16:53:10.000Z", endsAt: "2026-11-24T17:53:11.000Z", createdBy: "anchor-bench", comment: "test silence" });
    expect(s.status).toBe(200);
    expect(s.json.silenceID).toMatch(/^[0-9a-f-]{36}$/);
    const silenced = await call("GET", "/api/v2/alerts?silenced=false");
    expect(silenced.json).toEqual([]);
    const withS = await call("GET", "/api/v2/alerts");
    expect(withS.json[0].status).toEqual({ inhibitedBy: [], silencedBy: [s.json.silenceID], state: "suppressed" });
    const list = await call("GET", "/api/v2/silences");
    expect(Object.keys(list.json[0])).toEqual(["id", "status", "updatedAt", "comment", "createdBy", "endsAt", "matchers", "startsAt"]);
    expect(list.json[0].status).toEqual({ state: "active" });
    expect((await call("GET", `/api/v2/silence/${s.json.silenceID}`)).json.comment).toBe("test silence");
    expect((await call("DELETE", `/api/v2/silence/${s.json.silenceID}`)).status).toBe(200);
    expect((await call("GET", `/api/v2/silence/${s.json.silenceID}`)).json.status.state).toBe("expired");
    expect((await call("GET", "/api/v2/silence/nope")).status).toBe(404);
    expect((await call("GET", "/api/v2/receivers")).json).toEqual([{ name: "webhook" }]);
    const st = (await call("GET", "/api/v2/status")).json;
    expect(st.cluster).toEqual({ peers: [], status: "disabled" });
    expect(st.config.original).toContain("webhook_configs");
    expect(Object.keys(st.versionInfo).sort()).toEqual(["branch", "buildDate", "buildUser", "goVersion", "revision", "version"]);
    expect((await call("POST", "/api/v2/alerts", [{ labels: {} }])).status).toBe(400);
    expect((await call("POST", "/api/v2/silences", { matchers: [], startsAt: "2026-11-24T16:53:10.000Z", endsAt: "2026-11-24T17:53:11.000Z", createdBy: "a", comment: "b" })).status).toBe(400);
    void clock;
  });
});

void ({} as Received);
