import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAlertmanagerConfig } from "../../../core/alerting/index.ts";
import { sharedPath } from "../../helpers/shared.ts";

const dir = sharedPath("conformance", "configs", "alertmanager");

/** Verdicts from configs/README.md. */
function expectLoad(f: string): boolean {
  if (/conf\.nil-/.test(f)) return false;
  if (/-both-/.test(f)) return false;
  if (/-no-/.test(f) && f !== "conf.smtp-no-username-or-password.yml") return false;
  if (f === "conf.opsgenie-default-apikey-old-team.yml" || f === "conf.slack-update-message-and-webhook.yml" || f === "conf.sns-invalid.yml") return false;
  return true;
}

describe.skipIf(!dir)("Alertmanager config conformance", () => {
  const files = dir ? readdirSync(join(dir, "testdata")).filter((f) => f.endsWith(".yml")).map((f) => join("testdata", f)) : [];
  for (const f of ["simple.yml", "route_labels.yml", ...files]) {
    const base = f.split("/").pop()!;
    const ok = expectLoad(base);
    test(`${f} ${ok ? "loads" : "is rejected"}`, () => {
      const text = readFileSync(join(dir!, f), "utf8");
      const load = () => parseAlertmanagerConfig(text, { file: f });
      if (ok) expect(load().receivers.length).toBeGreaterThan(0);
      else expect(load).toThrow();
    });
  }
});

describe("Alertmanager config semantics", () => {
  test("inheritance, defaults and group_by '...'", () => {
    const c = parseAlertmanagerConfig(`
global: {resolve_timeout: 1m, slack_api_url: "http://slack.example/hook"}
route:
  receiver: a
  group_by: ['...']
  group_wait: 1s
  routes:
    - matchers: ['team="x"', 'sev=~"crit|warn"']
      receiver: b
      group_by: [alertname]
      continue: true
receivers:
  - name: a
    slack_configs: [{channel: "#c"}]
  - name: b
`);
    expect(c.global.resolveTimeoutMs).toBe(60_000);
    expect(c.route.groupBy).toBeNull();
    expect(c.route.groupIntervalMs).toBe(300_000);
    expect(c.route.repeatIntervalMs).toBe(4 * 3_600_000);
    const child = c.route.routes[0]!;
    expect(child.groupWaitMs).toBe(1000);
    expect(child.continue).toBe(true);
    expect(child.matchers.map((m) => m.toString())).toEqual(['team="x"', 'sev=~"crit|warn"']);
    expect(c.receivers[0]!.integrations[0]!.settings.api_url).toBe("http://slack.example/hook");
  });
  test.each([
    ["route: {receiver: nope}\nreceivers: [{name: a}]\n", 'undefined receiver "nope" used in route'],
    ["route: {receiver: a, matchers: ['x=\"y\"']}\nreceivers: [{name: a}]\n", "root route must not have any matchers"],
    ["route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n", 'notification config name "a" is not unique'],
    ["route: {receiver: a, group_by: ['...', x]}\nreceivers: [{name: a}]\n", "cannot have wildcard group_by"],
    ["route: {receiver: a, routes: [{mute_time_intervals: [w]}]}\nreceivers: [{name: a}]\n", 'undefined time interval "w" used in route'],
    ["route: {receiver: a}\nreceivers: [{name: a, foo_configs: [{}]}]\n", "field foo_configs not found"],
    ["route: {receiver: a}\nreceivers: [{name: a}]\nbogus: 1\n", 'unknown key "bogus"'],
  ])("rejects %#", (text, msg) => {
    expect(() => parseAlertmanagerConfig(text)).toThrow(msg);
  });
  test("installed plugins add integrations", () => {
    expect(parseAlertmanagerConfig("route: {receiver: a}\nreceivers: [{name: a, foo_configs: [{}]}]\n", { integrations: ["foo"] }).receivers[0]!.integrations[0]!.integration).toBe("foo");
  });
});
