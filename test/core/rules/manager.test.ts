import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Alert } from "../../../core/model/alert.ts";
import { Labels } from "../../../core/model/labels.ts";
import { newMatcher } from "../../../core/model/matcher.ts";
import { isStaleNaN, STALE_NAN } from "../../../core/model/value.ts";

/** Asserts a staleness marker. JSC (Bun) canonicalises NaN payloads of boxed numbers, so where the
 * runtime cannot carry STALE_NAN's bits through a JS number, only NaN-ness is checkable. */
function expectStale(v: number): void {
  expect(Number.isNaN(v)).toBe(true);
  if (isStaleNaN(STALE_NAN)) expect(isStaleNaN(v)).toBe(true);
}
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { formatExpr, parseExpr } from "../../../core/promql/parser/index.ts";
import { alertsData, RuleManager, rulesData } from "../../../core/rules/index.ts";
import { Registry } from "../../../exporters/service/index.ts";
import { FakeClock, scriptedQuery } from "./fake.ts";

const checkExpr = (q: string) => formatExpr(parseExpr(q));
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

function ruleFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "quiver-rules-"));
  const f = join(dir, "rules.yml");
  writeFileSync(f, text);
  return f;
}

async function series(st: MemoryStorage, name: string) {
  const q = await st.querier(0, Number.MAX_SAFE_INTEGER);
  const set = await q.select([newMatcher("=", "__name__", name)], { start: 0, end: Number.MAX_SAFE_INTEGER });
  return set.series.map((s) => ({ labels: s.labels.toObject(), samples: [...s.timestamps].map((t, i) => [t, s.values[i]!] as const) }));
}

function setup(text: string, extra: Partial<ConstructorParameters<typeof RuleManager>[0]> = {}) {
  const st = new MemoryStorage();
  const clock = new FakeClock(T0);
  const q = scriptedQuery();
  const sent: Alert[][] = [];
  const registry = new Registry();
  const m = new RuleManager({
    queryFunc: q.fn, appendable: st, queryable: st, notify: (a) => sent.push(a), clock, checkExpr, registry,
    externalLabels: { replica: "a" }, externalURL: "http://prom:9090", ...extra,
  });
  return { st, clock, q, sent, m, file: ruleFile(text), registry };
}

describe("recording rules", () => {
  test("write results with the record name and labels, and stale markers for vanished series", async () => {
    const { st, q, m, file } = setup("groups:\n  - name: g\n    interval: 10s\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels: {src: rule}\n");
    await m.update([file]);
    const g = m.groups()[0]!;
    q.set("sum by (job) (up)", [[{ job: "a" }, 2], [{ job: "b" }, 1]]);
    await g.iterate(T0);
    q.set("sum by (job) (up)", [[{ job: "a" }, 3]]);
    await g.iterate(T0 + 10_000);
    const s = await series(st, "job:up:sum");
    expect(s.map((x) => x.labels)).toEqual([{ __name__: "job:up:sum", job: "a", src: "rule" }, { __name__: "job:up:sum", job: "b", src: "rule" }]);
    expect(s[0]!.samples).toEqual([[T0, 2], [T0 + 10_000, 3]]);
    expect(s[1]!.samples[0]).toEqual([T0, 1]);
    expect(s[1]!.samples[1]![0]).toBe(T0 + 10_000);
    expectStale(s[1]!.samples[1]![1]);
    expect(g.rules[0]!.health).toBe("ok");
  });

  test("query errors and duplicate label sets make the rule unhealthy", async () => {
    const { q, m, file, registry } = setup("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n");
    await m.update([file]);
    const g = m.groups()[0]!;
    q.set("up", [[{ __name__: "up", a: "1" }, 1], [{ __name__: "other", a: "1" }, 1]]);
    await g.iterate(T0);
    expect(g.rules[0]!.health).toBe("err");
    expect(g.rules[0]!.lastError).toBe("vector contains metrics with the same labelset after applying rule labels");
    const text = await registry.metrics();
    expect(text).toContain(`prometheus_rule_evaluation_failures_total{rule_group="${file};g"} 1`);
  });
});

const ALERT_RULES = `groups:
  - name: g
    interval: 10s
    rules:
      - alert: HighLoad
        expr: load > 1
        for: 20s
        keep_firing_for: 30s
        labels:
          severity: "{{ if gt $value 5.0 }}page{{ else }}ticket{{ end }}"
        annotations:
          summary: "{{ $labels.instance }} load is {{ $value }}"
`;

describe("alerting rules", () => {
  test("inactive → pending → firing → kept firing → resolved, with ALERTS series and notifications", async () => {
    const { st, q, m, file, sent } = setup(ALERT_RULES);
    await m.update([file]);
    const g = m.groups()[0]!;
    const rule = m.alertingRules()[0]!;
    q.set("load > 1", [[{ __name__: "load", instance: "h1" }, 2]]);
    await g.iterate(T0); // pending (first iteration; restore runs after it)
    expect(rule.state).toBe("pending");
    expect(sent).toEqual([]);
    await g.iterate(T0 + 10_000);
    expect(rule.state).toBe("pending");
    await g.iterate(T0 + 20_000); // for elapsed
    expect(rule.state).toBe("firing");
    expect(sent.length).toBe(1);
    const a = sent[0]![0]!;
    expect(a.labels).toEqual({ alertname: "HighLoad", instance: "h1", severity: "ticket", replica: "a" });
    expect(a.annotations).toEqual({ summary: "h1 load is 2" });
    expect(a.startsAt).toBe(T0 + 20_000);
    expect(a.endsAt).toBe(T0 + 20_000 + 4 * 60_000);
    expect(a.generatorURL).toBe("http://prom:9090/graph?g0.expr=load+%3E+1&g0.tab=1");
    // Condition clears: keep_firing_for keeps it firing for 30s.
    q.set("load > 1", []);
    await g.iterate(T0 + 30_000);
    await g.iterate(T0 + 50_000);
    expect(rule.state).toBe("firing");
    await g.iterate(T0 + 60_000);
    expect(rule.state).toBe("inactive");
    const resolved = sent.at(-1)![0]!;
    expect(resolved.endsAt).toBe(T0 + 60_000);
    const alerts = await series(st, "ALERTS");
    expect(alerts.map((s) => s.labels.alertstate).sort()).toEqual(["firing", "pending"]);
    const firing = alerts.find((s) => s.labels.alertstate === "firing")!;
    expect(firing.samples.map((x) => x[0])).toEqual([T0 + 20_000, T0 + 30_000, T0 + 50_000, T0 + 60_000]);
    expectStale(firing.samples.at(-1)![1]);
    const fs = await series(st, "ALERTS_FOR_STATE");
    expect(fs[0]!.samples[0]).toEqual([T0 + 10_000, T0 / 1000]);
  });

  test("pending alerts that disappear are dropped; resends respect the resend delay", async () => {
    const { q, m, file, sent } = setup(ALERT_RULES.replace("for: 20s", "for: 0s"));
    await m.update([file]);
    const g = m.groups()[0]!;
    q.set("load > 1", [[{ instance: "h1" }, 7]]);
    await g.iterate(T0);
    expect(sent.length).toBe(1);
    expect(sent[0]![0]!.labels.severity).toBe("page");
    await g.iterate(T0 + 10_000);
    await g.iterate(T0 + 60_000);
    expect(sent.length).toBe(1);
    await g.iterate(T0 + 70_000);
    expect(sent.length).toBe(2);
  });

  test("API data matches Prometheus's shape", async () => {
    const { q, m, file } = setup(ALERT_RULES + "      - record: job:up:sum\n        expr: sum by (job) (up)\n");
    await m.update([file]);
    const g = m.groups()[0]!;
    q.set("load > 1", [[{ instance: "h1" }, 2]]);
    q.set("sum by (job) (up)", []);
    await g.iterate(T0);
    const d = rulesData(m.groups());
    const grp = d.groups[0]!;
    expect(Object.keys(grp)).toEqual(["name", "file", "rules", "interval", "limit", "evaluationTime", "lastEvaluation"]);
    expect(grp.interval).toBe(10);
    const [ar, rr] = grp.rules as Array<Record<string, unknown>>;
    expect(Object.keys(ar!)).toEqual(["state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts", "health", "evaluationTime", "lastEvaluation", "type"]);
    expect(ar).toMatchObject({ state: "pending", name: "HighLoad", query: "load > 1", duration: 20, keepFiringFor: 30, type: "alerting", health: "ok" });
    expect(Object.keys(rr!)).toEqual(["name", "query", "health", "evaluationTime", "lastEvaluation", "type"]);
    expect(rr!.query).toBe("sum by (job) (up)");
    expect(alertsData(m.groups()).alerts).toEqual([{
      labels: { alertname: "HighLoad", instance: "h1", severity: "ticket" },
      annotations: { summary: "h1 load is 2" }, state: "pending", activeAt: "2026-11-24T12:00:00Z", value: "2e+00",
    }]);
    expect((rulesData(m.groups(), { type: "record" }).groups[0]!.rules as unknown[]).length).toBe(1);
    expect(rulesData(m.groups(), { ruleName: ["nope"] }).groups.length).toBe(0);
    expect((rulesData(m.groups(), { excludeAlerts: true }).groups[0]!.rules as Array<Record<string, unknown>>)[0]!.alerts).toBeUndefined();
  });
});

describe("restore after restart", () => {
  test("for-state is restored from ALERTS_FOR_STATE with the downtime added", async () => {
    const text = ALERT_RULES.replace("for: 20s", "for: 30m");
    const a = setup(text);
    await a.m.update([a.file]);
    a.q.set("load > 1", [[{ instance: "h1" }, 2]]);
    const g = a.m.groups()[0]!;
    for (let i = 0; i < 7; i++) await g.iterate(T0 + i * 10_000); // pending for 60s
    // Restart 5 minutes later with the same storage.
    const clock = new FakeClock(T0 + 60_000 + 300_000);
    const m2 = new RuleManager({ queryFunc: a.q.fn, appendable: a.st, queryable: a.st, notify: () => {}, clock, checkExpr });
    await m2.update([a.file]);
    const g2 = m2.groups()[0]!;
    await g2.iterate(clock.now());
    const al = [...m2.alertingRules()[0]!.active.values()][0]!;
    // activeAt restored (T0) shifted by the downtime (now - last sample at T0+60s).
    expect(al.activeAt).toBe(T0 + (clock.now() - (T0 + 60_000)));
  });

  test("the state file keeps firing and keep_firing_for state across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-state-"));
    const stateFile = join(dir, "alert-state.json");
    const a = setup(ALERT_RULES, { stateFile });
    await a.m.update([a.file]);
    const g = a.m.groups()[0]!;
    a.q.set("load > 1", [[{ instance: "h1" }, 2]]);
    for (let i = 0; i <= 2; i++) await g.iterate(T0 + i * 10_000);
    a.q.set("load > 1", []);
    await g.iterate(T0 + 30_000); // keep firing since T0+30s
    expect(a.sent.length).toBe(1);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).version).toBe(1);
    const clock = new FakeClock(T0 + 45_000);
    const sent: Alert[][] = [];
    const m2 = new RuleManager({ queryFunc: a.q.fn, appendable: new MemoryStorage(), notify: (x) => sent.push(x), clock, checkExpr, stateFile });
    await m2.update([a.file]);
    const g2 = m2.groups()[0]!;
    await g2.iterate(T0 + 50_000);
    const rule = m2.alertingRules()[0]!;
    expect(rule.state).toBe("firing"); // not re-pended, not resolved
    expect(sent).toEqual([]); // not re-sent within the resend delay
    await g2.iterate(T0 + 60_000);
    expect(rule.state).toBe("inactive"); // keep_firing_for (30s from T0+30s) elapsed
    expect(sent.length).toBe(1);
  });
});

describe("scheduling", () => {
  test("groups evaluate on aligned ticks and count missed iterations", async () => {
    const { q, m, file, clock, registry } = setup("groups:\n  - name: g\n    interval: 10s\n    rules:\n      - record: r\n        expr: up\n");
    let slow = 0;
    q.set("up", []);
    const base = q.fn;
    (m as unknown as { opts: { queryFunc: unknown } }).opts.queryFunc = async (qq: string, t: number) => {
      if (slow) clock.t += slow;
      return base(qq, t);
    };
    await m.update([file]);
    m.start();
    await clock.advance(35_000);
    const evals = q.calls.map((c) => c[1]);
    const first = m.groups()[0]!.evalTimestamp(T0) + 10_000;
    expect(evals[0]).toBe(first);
    expect(evals.length).toBe(Math.floor((T0 + 35_000 - first) / 10_000) + 1);
    expect(evals[1]! - evals[0]!).toBe(10_000);
    expect(evals[0]! % 10_000).toBe(m.groups()[0]!.evalTimestamp(T0) % 10_000);
    slow = 25_000;
    await clock.advance(30_000);
    slow = 0;
    await m.stop();
    const text = await registry.metrics();
    expect(text).toMatch(/prometheus_rule_group_iterations_missed_total\{rule_group="[^"]+;g"\} [1-9]/);
    expect(text).toMatch(/prometheus_rule_group_last_duration_seconds\{rule_group="[^"]+;g"\} /);
  });

  test("a reload keeps the state of unchanged groups and rejects a broken file atomically", async () => {
    const { q, m, file } = setup(ALERT_RULES);
    await m.update([file]);
    q.set("load > 1", [[{ instance: "h1" }, 2]]);
    await m.groups()[0]!.iterate(T0);
    writeFileSync(file, ALERT_RULES + "      - record: bad{x}\n        expr: up\n");
    await expect(m.update([file])).rejects.toThrow('invalid recording rule name: bad{x}');
    expect(m.alertingRules()[0]!.active.size).toBe(1);
    writeFileSync(file, ALERT_RULES + "      - record: r2\n        expr: up\n");
    await m.update([file]);
    expect(m.groups()[0]!.rules.length).toBe(2);
    expect(m.alertingRules()[0]!.active.size).toBe(1);
  });
});

void Labels;
