/**
 * Rebuilds the rules behind Prometheus 2.42's reference captures of /api/v1/rules and /api/v1/alerts,
 * evaluates them with the real engine, and compares the `data` objects with the captures — field names,
 * order and values — after normalising what depends on the run (durations, evaluation times, sub-ms
 * timestamps).
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Labels } from "../../../core/model/labels.ts";
import { Engine, formatExpr, parseExpr } from "../../../core/promql/index.ts";
import { alertsData, engineQueryFunc, RuleManager, rulesData } from "../../../core/rules/index.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { sharedPath } from "../../helpers/shared.ts";
import { FakeClock } from "./fake.ts";
import { NotifierManager, parseAlertingSection } from "../../../core/notifier/index.ts";
import { startSink, until } from "../alerting/sink.ts";

const ref = sharedPath("reference-outputs");

function normalise(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x), (k, v) => {
    if (k === "evaluationTime") return 0;
    if (k === "lastEvaluation" || k === "activeAt") return typeof v === "string" ? v.replace(/\.\d+Z$/, "Z") : v;
    if (k === "file") return "rules.yml";
    return v;
  });
}

describe.skipIf(!ref)("Prometheus 2.42 reference captures", () => {
  test("/api/v1/rules and /api/v1/alerts data", async () => {
    const T = Date.parse("2026-11-24T16:53:20.755Z");
    const st = new MemoryStorage();
    const app = st.appender();
    app.append(0, Labels.from({ __name__: "up", job: "node", instance: "127.0.0.1:19100" }), T - 5000, 1);
    await app.commit();
    const dir = mkdtempSync(join(tmpdir(), "quiver-ref-rules-"));
    writeFileSync(join(dir, "rules.yml"), `groups:
  - name: anchor
    interval: 5s
    rules:
      - record: job:up:sum
        expr: sum by(job)(up)
      - alert: AnchorTargetUp
        expr: up{job="node"}==1
        labels:
          severity: info
        annotations:
          summary: "node target {{ $labels.instance }} is up (always-firing test alert)"
`);
    const clock = new FakeClock(T);
    const m = new RuleManager({ queryFunc: engineQueryFunc(new Engine(), st), appendable: st, queryable: st, notify: () => {}, clock, checkExpr: (q) => formatExpr(parseExpr(q)) });
    await m.update([join(dir, "rules.yml")]);
    await m.groups()[0]!.iterate(T);
    clock.t = T + 20_004; // the capture was taken at the 5th evaluation
    await m.groups()[0]!.iterate(T + 20_000);
    const want = (f: string) => JSON.parse(readFileSync(`${ref}/${f}`, "utf8")).data;
    expect(JSON.stringify(normalise(rulesData(m.groups())))).toBe(JSON.stringify(normalise(want("prometheus-2.42.0-api-v1-rules.json"))));
    expect(JSON.stringify(normalise(alertsData(m.groups())))).toBe(JSON.stringify(normalise(want("prometheus-2.42.0-api-v1-alerts.json"))));
  });

  test("the alert Prometheus 2.42 POSTs to Alertmanager, byte for byte", async () => {
    const T = Date.parse("2026-11-24T16:53:20.755Z");
    const st = new MemoryStorage();
    const app = st.appender();
    app.append(0, Labels.from({ __name__: "up", job: "node", instance: "127.0.0.1:19100" }), T - 5000, 1);
    await app.commit();
    const dir = mkdtempSync(join(tmpdir(), "quiver-ref-post-"));
    writeFileSync(join(dir, "rules.yml"), "groups:\n  - name: anchor\n    interval: 5s\n    rules:\n      - alert: AnchorTargetUp\n        expr: up{job=\"node\"} == 1\n        labels: {severity: info}\n        annotations: {summary: \"node target {{ $labels.instance }} is up (always-firing test alert)\"}\n");
    const sink = await startSink();
    const n = new NotifierManager({ discoveryUpdateIntervalMs: 0 });
    try {
      await n.applyConfig(parseAlertingSection({ alertmanagers: [{ static_configs: [{ targets: [sink.url.replace("http://", "")] }] }] }));
      await until(() => n.alertmanagers().length === 1);
      const m = new RuleManager({
        queryFunc: engineQueryFunc(new Engine(), st), appendable: st, notify: (a) => n.send(a), clock: new FakeClock(T),
        checkExpr: (q) => formatExpr(parseExpr(q)), externalURL: "http://vm:19090",
      });
      await m.update([join(dir, "rules.yml")]);
      await m.groups()[0]!.iterate(T);
      await n.sendOne();
      const want = JSON.parse(readFileSync(`${ref}/prometheus-2.42.0-post-to-alertmanager-api-v2-alerts.json`, "utf8"));
      expect(sink.received[0]!.body).toBe(JSON.stringify(want.body));
      expect(sink.received[0]!.url).toBe(want.url);
    } finally {
      await n.stop();
      await sink.close();
    }
  });
});
