import { describe, expect, test } from "bun:test";
import { parseAlertmanagerConfig, parseMatchers } from "../../../core/alerting/index.ts";
import { buildRoute, groupLabels, labelSetString, matchRoutes } from "../../../core/alerting/route.ts";
import { parseTimeIntervalSpecs, timeIntervalContains } from "../../../core/alerting/time-intervals.ts";
import { Inhibitor } from "../../../core/alerting/inhibit.ts";

const cfg = parseAlertmanagerConfig(`
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['service=~"foo1|foo2"']
      receiver: team-x
      routes:
        - matchers: [severity="critical"]
          receiver: team-x-pager
    - matchers: [service="db"]
      receiver: dba
      continue: true
      group_by: ['...']
    - matchers: [service="db"]
      receiver: db-audit
receivers: [{name: default}, {name: team-x}, {name: team-x-pager}, {name: dba}, {name: db-audit}]
`);
const root = buildRoute(cfg.route);
const recv = (ls: Record<string, string>) => matchRoutes(root, ls).map((r) => r.cfg.receiver);

describe("routing", () => {
  test.each([
    [{ alertname: "A" }, ["default"]],
    [{ alertname: "A", service: "foo1" }, ["team-x"]],
    [{ alertname: "A", service: "foo2", severity: "critical" }, ["team-x-pager"]],
    [{ alertname: "A", service: "db" }, ["dba", "db-audit"]],
  ])("%p → %p", (ls, want) => {
    expect(recv(ls)).toEqual(want);
  });
  test("route keys and group keys as Alertmanager prints them", () => {
    const [r] = matchRoutes(root, { alertname: "A", service: "foo2", severity: "critical" });
    expect(r!.key).toBe('{}/{service=~"foo1|foo2"}/{severity="critical"}');
    expect(labelSetString(groupLabels(r!, { alertname: "A", service: "foo2" }))).toBe('{alertname="A"}');
    const [db] = matchRoutes(root, { alertname: "A", service: "db" });
    expect(groupLabels(db!, { alertname: "A", service: "db" })).toEqual({ alertname: "A", service: "db" });
  });
  test("matcher syntax", () => {
    expect(parseMatchers('{a="b", c=~"d|e",f!=g}').map((m) => m.toString())).toEqual(['a="b"', 'c=~"d|e"', 'f!="g"']);
    expect(() => parseMatchers('{a="b"')).toThrow("missing closing brace");
  });
});

describe("time intervals", () => {
  const specs = parseTimeIntervalSpecs([
    { times: [{ start_time: "09:00", end_time: "17:00" }], weekdays: ["monday:friday"] },
    { days_of_month: ["-1"], months: ["december"], location: "Europe/Berlin" },
  ], "t");
  test.each([
    ["2026-11-24T10:00:00Z", true], // Tuesday 10:00 UTC
    ["2026-11-24T17:00:00Z", false], // end is exclusive
    ["2026-11-28T10:00:00Z", false], // Saturday
    ["2026-12-31T12:00:00Z", true], // last day of December (Berlin)
    ["2026-12-30T23:30:00Z", true], // already Dec 31 in Berlin
  ])("%s → %p", (iso, want) => {
    expect(timeIntervalContains(specs, Date.parse(iso))).toBe(want);
  });
  test("invalid specs are rejected", () => {
    expect(() => parseTimeIntervalSpecs([{ times: [{ start_time: "10:00", end_time: "09:00" }] }], "t")).toThrow("start time cannot be equal or greater than end time");
    expect(() => parseTimeIntervalSpecs([{ weekdays: ["funday"] }], "t")).toThrow("out of range");
    expect(() => parseTimeIntervalSpecs([{ location: "Mars/Olympus" }], "t")).toThrow("unknown time zone");
  });
});

describe("inhibition", () => {
  test("equal labels, two-sided matches and resolved sources", () => {
    const c = parseAlertmanagerConfig(`
route: {receiver: r}
receivers: [{name: r}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity=~"warning|critical"]
    equal: [cluster]
`);
    const now = 1000;
    const alerts = [
      { labels: { alertname: "Down", severity: "critical", cluster: "a" }, annotations: {}, startsAt: 0, endsAt: 5000, generatorURL: "", fingerprint: "src", updatedAt: 0, timeout: false },
      { labels: { alertname: "Old", severity: "critical", cluster: "b" }, annotations: {}, startsAt: 0, endsAt: 500, generatorURL: "", fingerprint: "old", updatedAt: 0, timeout: false },
    ];
    const inh = new Inhibitor(c.inhibitRules, () => alerts, () => now);
    expect(inh.inhibitedBy({ alertname: "Slow", severity: "warning", cluster: "a" }, "t1")).toEqual(["src"]);
    expect(inh.inhibitedBy({ alertname: "Slow", severity: "warning", cluster: "b" }, "t2")).toEqual([]); // source resolved
    expect(inh.inhibitedBy({ alertname: "Slow", severity: "warning" }, "t3")).toEqual([]); // cluster differs ("" vs a)
    expect(inh.inhibitedBy(alerts[0]!.labels, "src")).toEqual([]); // never by itself
  });
});
