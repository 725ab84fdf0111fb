/**
 * The whole alerting path through the real server process: a rule file and an Alertmanager config with a
 * webhook receiver; the alert fires, shows in /api/v1/rules, /api/v1/alerts and /api/v2/alerts, and the
 * webhook sink receives one notification in Alertmanager's version-4 payload. A broken rule file on reload
 * keeps the running rules.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { closeSinks, startSink } from "../../core/plugin/testing.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";

const dir = mkdtempSync(join(tmpdir(), "quiver-alerting-"));
let q: QuiverProcess | undefined;
afterAll(async () => {
  await q?.stop();
  closeSinks();
});

async function until<T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(100);
  }
}

describe("alerting end to end", () => {
  test("rule fires, APIs list it, webhook receives one grouped notification, bad reload keeps rules", async () => {
    const hook = await startSink();
    const received = hook.got; // webhook requests in arrival order (body parsed)

    writeFileSync(join(dir, "rules.yml"), `groups:
  - name: demo
    interval: 1s
    rules:
      - record: demo:one
        expr: vector(1)
      - alert: DemoAlert
        expr: vector(1) > 0
        labels: {severity: page}
        annotations: {summary: "value is {{ $value }}"}
`);
    writeFileSync(join(dir, "prometheus.yml"), "global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\n");
    writeFileSync(join(dir, "am.yml"), `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 5m
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook.base}/alerts
`);
    q = await startQuiver({ args: [`--config.file=${join(dir, "prometheus.yml")}`, `--alertmanager.config.file=${join(dir, "am.yml")}`] });

    const rules = await until(async () => {
      const r = (await (await fetch(`${q!.url}/api/v1/rules`)).json()) as any;
      const g = r.data.groups[0];
      return g?.rules?.[1]?.state === "firing" ? g : undefined;
    });
    expect(rules.name).toBe("demo");
    expect(rules.rules.map((r: any) => r.type)).toEqual(["recording", "alerting"]);
    expect(rules.rules[1].alerts[0].annotations.summary).toBe("value is 1");

    const v1 = (await (await fetch(`${q.url}/api/v1/alerts`)).json()) as any;
    expect(v1.data.alerts[0]).toMatchObject({ labels: { alertname: "DemoAlert", severity: "page" }, state: "firing" });

    const rec = (await (await fetch(`${q.url}/api/v1/query?query=demo:one`)).json()) as any;
    expect(rec.data.result[0].value[1]).toBe("1");

    const v2 = await until(async () => {
      const a = (await (await fetch(`${q!.url}/api/v2/alerts`)).json()) as any[];
      return a.length ? a : undefined;
    });
    expect(v2[0].labels.alertname).toBe("DemoAlert");
    expect(v2[0].receivers).toEqual([{ name: "hook" }]);

    const payload = await until(async () => (received.length ? received[0]!.body : undefined)) as any;
    expect(payload).toMatchObject({ version: "4", status: "firing", receiver: "hook", groupLabels: { alertname: "DemoAlert" } });
    expect(payload.alerts).toHaveLength(1);
    expect(payload.alerts[0].labels).toEqual({ alertname: "DemoAlert", severity: "page" });

    // A broken rule file on reload keeps the running rules and reports the failure.
    writeFileSync(join(dir, "rules.yml"), "groups:\n  - name: demo\n    rules:\n      - record: x\n        expr: sum(\n");
    q.kill("SIGHUP");
    await until(async () => ((await (await fetch(`${q!.url}/metrics`)).text()).includes("prometheus_config_last_reload_successful 0") ? true : undefined));
    const after = (await (await fetch(`${q.url}/api/v1/rules`)).json()) as any;
    expect(after.data.groups[0].rules).toHaveLength(2);
    expect(received).toHaveLength(1);
  }, 60_000);
});
