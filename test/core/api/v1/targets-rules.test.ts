import { describe, expect, test } from "bun:test";
import { globalUrl } from "../../../../core/api/v1/targets.ts";
import type { ActiveTargetView, RulesRetriever, TargetRetriever } from "../../../../core/api/v1/index.ts";
import { Labels } from "../../../../core/model/labels.ts";
import { buildApi, call, NOW } from "./helpers.ts";

function target(job: string, addr: string, metadata: Record<string, { type: string; help: string; unit: string }> = {}): ActiveTargetView {
  const labels = Labels.from({ __address__: addr, __metrics_path__: "/metrics", __scheme__: "http", __scrape_interval__: "5s", __scrape_timeout__: "5s", instance: addr, job });
  return {
    labels, discoveredLabels: labels, url: `http://${addr}/metrics`, health: "up", lastError: "",
    lastScrape: Date.UTC(2026, 10, 24, 16, 53, 41, 708), lastScrapeDuration: 0.002449677, metadata: new Map(Object.entries(metadata)),
  };
}

const TARGETS: TargetRetriever = {
  targetsActive: () => new Map([
    ["prometheus", [target("prometheus", "127.0.0.1:9090", { up: { type: "gauge", help: "Up.", unit: "" } })]],
    ["node", [target("node", "127.0.0.1:9100", { up: { type: "gauge", help: "Up.", unit: "" }, node_load1: { type: "gauge", help: "1m load average.", unit: "" } })]],
  ]),
  targetsDropped: () => new Map([["node", [{ discoveredLabels: Labels.from({ __address__: "10.0.0.1:9100", job: "node" }) }]]]),
};

describe("/api/v1/targets", () => {
  test("Prometheus's target shape, pools sorted, dropped targets with pool and counts", async () => {
    const app = await buildApi({ targets: TARGETS, globalUrl: { listenAddress: "0.0.0.0:9090", host: "vm:9090", scheme: "http" } });
    const a = await call(app, "/api/v1/targets");
    const t0 = a.body.data.activeTargets[0];
    expect(Object.keys(t0)).toEqual(["discoveredLabels", "labels", "scrapePool", "scrapeUrl", "globalUrl", "lastError", "lastScrape", "lastScrapeDuration", "health", "scrapeInterval", "scrapeTimeout"]);
    expect(t0).toMatchObject({ labels: { instance: "127.0.0.1:9100", job: "node" }, scrapePool: "node", globalUrl: "http://vm:9100/metrics", lastScrape: "2026-11-24T16:53:41.708Z", scrapeInterval: "5s" });
    expect(a.body.data.activeTargets[1].globalUrl).toBe("http://vm:9090/metrics");
    expect(a.body.data.droppedTargets).toEqual([{ discoveredLabels: { __address__: "10.0.0.1:9100", job: "node" }, scrapePool: "node" }]);
    expect(a.body.data.droppedTargetCounts).toEqual({ node: 1 });
    const active = await call(app, "/api/v1/targets?state=active&scrapePool=prometheus");
    expect(active.body.data.activeTargets).toHaveLength(1);
    expect(active.body.data.droppedTargets).toEqual([]);
  });

  test("globalUrl leaves non-local targets alone", () => {
    expect(globalUrl("http://10.1.1.1:9100/metrics", { listenAddress: ":9090", host: "vm:9090", scheme: "https" })).toBe("http://10.1.1.1:9100/metrics");
  });

  test("metadata, targets/metadata, scrape_pools", async () => {
    const app = await buildApi({ targets: TARGETS });
    expect((await call(app, "/api/v1/metadata")).text).toBe(
      '{"status":"success","data":{"node_load1":[{"type":"gauge","help":"1m load average.","unit":""}],"up":[{"type":"gauge","help":"Up.","unit":""}]}}',
    );
    expect((await call(app, "/api/v1/metadata?metric=node_load1")).body.data).toEqual({ node_load1: [{ type: "gauge", help: "1m load average.", unit: "" }] });
    expect((await call(app, "/api/v1/metadata?limit=x")).body.error).toBe("limit must be a number");
    expect((await call(app, "/api/v1/metadata?limit_per_metric=x")).body.error).toBe("limit_per_metric must be a number");
    expect(Object.keys((await call(app, "/api/v1/metadata?limit=1")).body.data)).toHaveLength(1);
    const tm = await call(app, '/api/v1/targets/metadata?match_target={job="node"}&metric=up');
    expect(tm.body.data).toEqual([{ target: { instance: "127.0.0.1:9100", job: "node" }, type: "gauge", help: "Up.", unit: "" }]);
    expect((await call(app, "/api/v1/scrape_pools")).body.data).toEqual({ scrapePools: ["node", "prometheus"] });
  });

  test("without a scrape manager: empty lists", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/targets")).body.data).toEqual({ activeTargets: [], droppedTargets: [], droppedTargetCounts: {} });
    expect((await call(app, "/api/v1/scrape_pools")).body.data).toEqual({ scrapePools: [] });
  });
});

const RULES: RulesRetriever = {
  ruleGroups: () => [{
    name: "anchor", file: "rules.yml", interval: 5, limit: 0, evaluationTime: 0.000659014, lastEvaluation: NOW,
    rules: [
      { type: "recording", name: "job:up:sum", query: "sum by (job) (up)", labels: Labels.EMPTY, health: "ok", lastError: "", evaluationTime: 0.0004, lastEvaluation: NOW },
      {
        type: "alerting", state: "firing", name: "AnchorTargetUp", query: 'up{job="node"} == 1', duration: 0, keepFiringFor: 0,
        labels: Labels.from({ severity: "info" }), annotations: Labels.from({ summary: "up" }), health: "ok", lastError: "", evaluationTime: 0.0002, lastEvaluation: NOW,
        alerts: [{ labels: Labels.from({ alertname: "AnchorTargetUp", severity: "info" }), annotations: Labels.from({ summary: "up" }), state: "firing", activeAt: NOW - 20_000, value: 1 }],
      },
    ],
  }],
};

describe("/api/v1/rules and /api/v1/alerts", () => {
  test("shapes match Prometheus's reference answers", async () => {
    const app = await buildApi({ rules: RULES });
    const r = (await call(app, "/api/v1/rules")).body.data.groups[0];
    expect(Object.keys(r)).toEqual(["name", "file", "rules", "interval", "limit", "evaluationTime", "lastEvaluation"]);
    expect(Object.keys(r.rules[0])).toEqual(["name", "query", "health", "evaluationTime", "lastEvaluation", "type"]);
    expect(Object.keys(r.rules[1])).toEqual(["state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts", "health", "evaluationTime", "lastEvaluation", "type"]);
    expect(r.rules[1].alerts[0]).toEqual({ labels: { alertname: "AnchorTargetUp", severity: "info" }, annotations: { summary: "up" }, state: "firing", activeAt: "2026-01-02T13:36:40Z", value: "1e+00" });
    const alerts = (await call(app, "/api/v1/alerts")).body.data.alerts;
    expect(alerts).toEqual([r.rules[1].alerts[0]]);
  });

  test("filters", async () => {
    const app = await buildApi({ rules: RULES });
    expect((await call(app, "/api/v1/rules?type=record")).body.data.groups[0].rules.map((x: { name: string }) => x.name)).toEqual(["job:up:sum"]);
    expect((await call(app, "/api/v1/rules?rule_name[]=AnchorTargetUp&exclude_alerts=true")).body.data.groups[0].rules[0].alerts).toBeUndefined();
    expect((await call(app, "/api/v1/rules?rule_group[]=other")).body.data.groups).toEqual([]);
    expect((await call(app, "/api/v1/rules?type=x")).body).toEqual({ status: "error", errorType: "bad_data", error: 'invalid parameter "type": not supported value "x"' });
  });

  test("alertmanagers", async () => {
    const app = await buildApi({ alertmanagers: { alertmanagers: () => ["http://127.0.0.1:9093/api/v2/alerts"], droppedAlertmanagers: () => [] } });
    expect((await call(app, "/api/v1/alertmanagers")).body.data).toEqual({ activeAlertmanagers: [{ url: "http://127.0.0.1:9093/api/v2/alerts" }], droppedAlertmanagers: [] });
  });
});

describe("/api/v1/rules pagination", () => {
  const many: RulesRetriever = {
    ruleGroups: () => ["a", "b", "c"].map((name) => ({ name, file: "r.yml", interval: 60, limit: 0, evaluationTime: 0, lastEvaluation: 0, rules: [] })),
  };
  test("group_limit pages with group_next_token", async () => {
    const app = await buildApi({ rules: many });
    const p1 = (await call(app, "/api/v1/rules?group_limit=2")).body.data;
    expect(p1.groups.map((g: { name: string }) => g.name)).toEqual(["a", "b"]);
    expect(p1.groupNextToken).toMatch(/^[0-9a-f]{40}$/);
    const p2 = (await call(app, `/api/v1/rules?group_limit=2&group_next_token=${p1.groupNextToken}`)).body.data;
    expect(p2.groups.map((g: { name: string }) => g.name)).toEqual(["c"]);
    expect(p2.groupNextToken).toBeUndefined();
    expect((await call(app, "/api/v1/rules?group_limit=0")).body.error).toBe('invalid parameter "group_limit": group_limit needs to be greater than 0');
    expect((await call(app, "/api/v1/rules?group_limit=1&group_next_token=zz")).body.error).toBe(`invalid parameter "group_next_token": invalid group_next_token 'zz'. were rule groups changed?`);
    expect((await call(app, "/api/v1/rules")).body.data.groups[0].lastEvaluation).toBe("0001-01-01T00:00:00Z");
  });
});
