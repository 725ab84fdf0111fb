/**
 * One end-to-end test with the real PromQL engine: a rule file evaluated by the engine over an in-memory
 * store, its alert sent in-process to Quiver's Alertmanager, and delivered by the webhook plugin.
 */
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertingManager, parseAlertmanagerConfig } from "../../../core/alerting/index.ts";
import { Labels } from "../../../core/model/labels.ts";
import { Engine, formatExpr, parseExpr } from "../../../core/promql/index.ts";
import { engineQueryFunc, RuleManager } from "../../../core/rules/index.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import webhook from "../../../plugins/webhook/index.ts";
import { startSink, until } from "../alerting/sink.ts";
import { FakeClock } from "./fake.ts";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

test("rules (real engine) → in-process Alertmanager → webhook", async () => {
  const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
  const st = new MemoryStorage();
  const app = st.appender();
  for (let i = 0; i <= 10; i++) {
    app.append(0, Labels.from({ __name__: "up", job: "node", instance: "a:9100" }), T0 - 100_000 + i * 10_000, 0);
    app.append(0, Labels.from({ __name__: "up", job: "node", instance: "b:9100" }), T0 - 100_000 + i * 10_000, 1);
  }
  await app.commit();
  const dir = mkdtempSync(join(tmpdir(), "quiver-pipeline-"));
  writeFileSync(join(dir, "rules.yml"), `groups:
  - name: node
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: InstanceDown
        expr: up == 0
        labels: {severity: page}
        annotations:
          summary: "{{ $labels.instance }} of {{ $labels.job }} is down ({{ query \\"job:up:sum\\" | first | value }} up)"
`);
  const clock = new FakeClock(T0);
  const sink = await startSink();
  closers.push(sink.close);
  const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://quiver:9090", clock });
  closers.push(() => am.stop());
  await am.applyConfig(parseAlertmanagerConfig(`route: {receiver: hook, group_by: [alertname], group_wait: 10s}\nreceivers: [{name: hook, webhook_configs: [{url: "${sink.url}/hook"}]}]`));
  const rm = new RuleManager({
    queryFunc: engineQueryFunc(new Engine(), st), appendable: st, queryable: st, notify: (a) => am.notify(a), clock,
    checkExpr: (q) => formatExpr(parseExpr(q)), externalURL: "http://quiver:9090", externalLabels: { cluster: "c1" },
  });
  await rm.update([join(dir, "*.yml")], 15_000);
  await rm.groups()[0]!.iterate(T0);
  await rm.groups()[0]!.iterate(T0 + 15_000);
  await clock.advance(10_000);
  await until(() => sink.received.length === 1);
  const body = sink.received[0]!.json;
  expect(body.groupKey).toBe('{}:{alertname="InstanceDown"}');
  expect(body.alerts).toHaveLength(1);
  expect(body.alerts[0].labels).toEqual({ alertname: "InstanceDown", cluster: "c1", instance: "a:9100", job: "node", severity: "page" });
  expect(body.alerts[0].annotations.summary).toBe("a:9100 of node is down (1 up)");
  expect(body.alerts[0].generatorURL).toBe("http://quiver:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
});
