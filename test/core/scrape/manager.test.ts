import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../../core/log/logger.ts";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { ScrapeManager, type ScrapeManagerOptions } from "../../../core/scrape/index.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { sharedPath } from "../../helpers/shared.ts";
import { formatRfc3339, type TargetRetriever } from "../../../core/api/v1/index.ts";
import { globalUrl } from "../../../core/api/v1/targets.ts";
import { pollUntil } from "../../../exporters/service/testing/processes.ts";
import { samples, scrapeApi, scrapeConfig } from "./helpers.ts";

let server: Server;
let addr = "";
let hits = 0;
const dir = mkdtempSync(join(tmpdir(), "quiver-scrape-"));

beforeAll(async () => {
  server = await detectRuntime().serve(async (req) => {
    if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 400));
    hits++;
    return new Response("# HELP m_total A counter.\n# TYPE m_total counter\nm_total 1\n", { headers: { "content-type": "text/plain; version=0.0.4" } });
  }, { hostname: "127.0.0.1", port: 0 });
  addr = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const v = await pollUntil(fn, ms, 20);
  if (v === undefined) throw new Error(`timed out waiting for ${what}`);
  return v;
}

const fast = { scrape_interval: "100ms", scrape_timeout: "80ms" };

/** A manager and the mounted API's scrape endpoints over it (the manager is core/api's TargetRetriever). */
function manager(db = new MemoryStorage(), inProcess?: ScrapeManagerOptions["inProcess"]) {
  const m = new ScrapeManager({ appendable: db, logger: nopLogger, discoveryUpdateIntervalMs: 0, inProcess });
  const retriever: TargetRetriever = m;
  return { db, m, api: scrapeApi(retriever) };
}

describe("scrape manager", () => {
  test("targets API is shaped as Prometheus's", async () => {
    const { m, api } = manager();
    const cfg = scrapeConfig({
      job_name: "node", ...fast, static_configs: [{ targets: [addr], labels: { env: "test" } }, { targets: ["drop.me:1"] }],
      relabel_configs: [{ source_labels: ["__address__"], regex: "drop.*", action: "drop" }],
    });
    await m.applyConfig([cfg]);
    const t = await until(async () => {
      const a = (await api.targets()).activeTargets[0];
      return a && a.health !== "unknown" ? a : undefined;
    }, "first scrape");
    const ref = sharedPath("reference-outputs", "prometheus-2.42.0-api-v1-targets.json");
    if (ref) {
      const refTarget = JSON.parse(readFileSync(ref, "utf8")).data.activeTargets[0];
      expect(Object.keys(t).sort()).toEqual(Object.keys(refTarget).sort());
    }
    expect(t).toMatchObject({
      discoveredLabels: { __address__: addr, __metrics_path__: "/metrics", __scheme__: "http", __scrape_interval__: "100ms", __scrape_timeout__: "80ms", job: "node", env: "test" },
      labels: { instance: addr, job: "node", env: "test" },
      scrapePool: "node", scrapeUrl: `http://${addr}/metrics`, globalUrl: `http://${addr}/metrics`,
      lastError: "", health: "up", scrapeInterval: "100ms", scrapeTimeout: "80ms",
    });
    expect(t.lastScrape).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(typeof t.lastScrapeDuration).toBe("number");
    const all = await api.targets();
    expect(all.droppedTargets).toEqual([{ discoveredLabels: { __address__: "drop.me:1", __metrics_path__: "/metrics", __scheme__: "http", __scrape_interval__: "100ms", __scrape_timeout__: "80ms", job: "node" }, scrapePool: "node" }]);
    expect(all.droppedTargetCounts).toEqual({ node: 1 });
    expect((await api.targets("?state=active")).droppedTargets).toEqual([]);
    expect((await api.targets("?state=Dropped")).activeTargets).toEqual([]);
    expect((await api.targets("?scrapePool=other")).activeTargets).toEqual([]);
    expect(await api.scrapePools()).toEqual({ scrapePools: ["node"] });
    expect(await api.targetMetadata("?metric=m_total")).toEqual([{ target: { env: "test", instance: addr, job: "node" }, type: "counter", help: "A counter.", unit: "" }]);
    expect(await api.targetMetadata(`?match_target=${encodeURIComponent('{job="nope"}')}`)).toEqual([]);
    expect(await api.targetMetadata()).toEqual([{ target: { env: "test", instance: addr, job: "node" }, metric: "m_total", type: "counter", help: "A counter.", unit: "" }]);
    expect(await api.metadata()).toEqual({ m_total: [{ type: "counter", help: "A counter.", unit: "" }] });
    expect(await api.metadata("?limit=0")).toEqual({});
    const self = m.metrics.collect().flatMap((f) => f.samples);
    expect(self.find((x) => x.name === "prometheus_sd_discovered_targets")).toEqual({ name: "prometheus_sd_discovered_targets", labels: { config: "node", name: "scrape" }, value: 2 });
    expect(self.find((x) => x.name === "prometheus_target_scrape_pool_targets")).toEqual({ name: "prometheus_target_scrape_pool_targets", labels: { scrape_job: "node" }, value: 1 });
    // globalUrl: a loopback target is shown with the external host (Prometheus's GlobalURLOptions).
    const external = scrapeApi(m, { listenAddress: "0.0.0.0:9090", host: "vm:9090", scheme: "http" });
    expect((await external.targets()).activeTargets[0]!.globalUrl).toBe(`http://vm:${server.port}/metrics`);
    await m.stop();
  });

  test("a reload keeps unchanged jobs' loops; changed jobs are replaced; removed jobs stop", async () => {
    const { m, api } = manager();
    const a = scrapeConfig({ job_name: "a", ...fast, static_configs: [{ targets: [addr] }] });
    const b = scrapeConfig({ job_name: "b", ...fast, static_configs: [{ targets: [addr] }] });
    await m.applyConfig([a, b]);
    await until(() => (m.pool("a")?.loops().length === 1 && m.pool("b")?.loops().length === 1 ? true : undefined), "loops");
    const loopA = m.pool("a")!.loops()[0]!;
    const loopB = m.pool("b")!.loops()[0]!;
    const b2 = scrapeConfig({ job_name: "b", scrape_interval: "200ms", scrape_timeout: "80ms", static_configs: [{ targets: [addr] }] });
    await m.applyConfig([scrapeConfig({ job_name: "a", ...fast, static_configs: [{ targets: [addr] }] }), b2]);
    await until(() => (m.pool("b")?.loops().length === 1 ? true : undefined), "b reloaded");
    expect(m.pool("a")!.loops()[0]).toBe(loopA);
    expect(m.pool("b")!.loops()[0]).not.toBe(loopB);
    expect((await api.targets("?scrapePool=b")).activeTargets[0]!.scrapeInterval).toBe("200ms");
    await m.applyConfig([b2]);
    expect(await api.scrapePools()).toEqual({ scrapePools: ["b"] });
    await m.stop();
  });

  test("a target removed from discovery gets staleness markers, and loops spread by offset", async () => {
    const { m, db, api } = manager();
    const file = join(dir, "targets.json");
    writeFileSync(file, JSON.stringify([{ targets: [addr] }]));
    await m.applyConfig([scrapeConfig({ job_name: "f", ...fast, file_sd_configs: [{ files: [file] }] })]);
    await until(async () => ((await samples(db, "m_total")).length >= 2 ? true : undefined), "two scrapes");
    expect((await api.targets()).activeTargets[0]!.discoveredLabels.__meta_filepath).toBe(file);
    writeFileSync(file, "[]");
    await until(async () => ((await api.targets()).activeTargets.length === 0 ? true : undefined), "target gone");
    const got = await until(async () => {
      const s = await samples(db, "m_total|up");
      return s.some((x) => x.v === "stale" && x.labels.__name__ === "up") ? s : undefined;
    }, "stale markers");
    const m1 = got.filter((s) => s.labels.__name__ === "m_total");
    expect(m1[m1.length - 1]!.v).toBe("stale");
    const times = m1.map((s) => s.t);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    await m.stop();
  });

  test("plugin jobs scrape in-process with the plugin id as the default target", async () => {
    let calls = 0;
    const { m, db, api } = manager(new MemoryStorage(), (id: string) => (id === "node_exporter" ? async () => {
      calls++;
      return [{ name: "node_load1", type: "gauge" as const, help: "1m load average.", samples: [{ name: "node_load1", labels: {}, value: 0.5 }] }];
    } : undefined));
    await m.applyConfig([scrapeConfig({ job_name: "node", ...fast, plugin: "node_exporter" }), scrapeConfig({ job_name: "ghost", ...fast, plugin: "missing" })]);
    const s = await until(async () => {
      const x = await samples(db, "node_load1");
      return x.length > 0 ? x : undefined;
    }, "in-process sample");
    expect(s[0]!.labels).toEqual({ __name__: "node_load1", instance: "node_exporter", job: "node" });
    expect(calls).toBeGreaterThan(0);
    const ghost = await until(async () => {
      const t = (await api.targets("?scrapePool=ghost")).activeTargets[0];
      return t && t.health !== "unknown" ? t : undefined;
    }, "ghost scraped");
    expect(ghost.health).toBe("down");
    expect(ghost.lastError).toBe('exporter plugin instance "missing" is not running');
    await m.stop();
  });

  test("target_limit fails every scrape of the pool", async () => {
    const { m, api } = manager();
    await m.applyConfig([scrapeConfig({ job_name: "lim", ...fast, target_limit: 1, static_configs: [{ targets: [addr, `localhost:${server.port}`] }] })]);
    const ts = await until(async () => {
      const a = (await api.targets()).activeTargets;
      return a.length === 2 && a.every((t) => t.health === "down") ? a : undefined;
    }, "limit errors");
    expect(ts[0]!.lastError).toBe("target_limit exceeded (number of targets: 2, limit: 1)");
    await m.stop();
  });
});

describe("scheduling", () => {
  test("a slow target never delays another", async () => {
    const { m, db, api } = manager();
    await m.applyConfig([
      scrapeConfig({ job_name: "slow", metrics_path: "/slow", scrape_interval: "500ms", scrape_timeout: "300ms", static_configs: [{ targets: [addr] }] }),
      scrapeConfig({ job_name: "quick", scrape_interval: "50ms", scrape_timeout: "40ms", static_configs: [{ targets: [addr] }] }),
    ]);
    await until(async () => ((await api.targets("?scrapePool=slow")).activeTargets[0]?.health === "down" ? true : undefined), "slow scrape timed out");
    const quick = (await samples(db, "up")).filter((x) => x.labels.job === "quick" && x.v === 1);
    expect(quick.length).toBeGreaterThanOrEqual(3);
    expect((await api.targets("?scrapePool=slow")).activeTargets[0]!.lastError).toContain("context deadline exceeded");
    await m.stop();
  });

  test("offsets are stable, within the interval, and spread targets", async () => {
    const { populateLabels, Target } = await import("../../../core/scrape/target.ts");
    const cfg = scrapeConfig();
    const offsets = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const r = populateLabels(cfg, { __address__: `host${i}:9100` }, {});
      const t = new Target(r.labels!, r.discovered, {});
      const o = t.offset(15_000, 1_700_000_000_000);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThanOrEqual(15_000);
      expect(t.offset(15_000, 1_700_000_000_000)).toBe(o);
      // Pinned to absolute time: the scheduled instant (now + offset) does not depend on now within one interval.
      expect((1_700_000_000_000 + o) % 15_000).toBe((1_700_000_000_000 + 1234 + t.offset(15_000, 1_700_000_000_000 + 1234)) % 15_000);
      offsets.add(o);
    }
    expect(offsets.size).toBeGreaterThan(40);
  });
});

describe("what the API layer renders for scrape targets", () => {
  test("globalUrl replaces loopback hosts as Prometheus does", () => {
    const o = { listenAddress: "0.0.0.0:9090", host: "vm:9090", scheme: "http" };
    expect(globalUrl("http://127.0.0.1:19100/metrics", o)).toBe("http://vm:19100/metrics");
    expect(globalUrl("http://localhost:9090/metrics", { ...o, host: "prom.example.org", scheme: "https" })).toBe("https://prom.example.org/metrics");
    expect(globalUrl("http://10.0.0.1:9100/metrics", o)).toBe("http://10.0.0.1:9100/metrics");
  });
  test("lastScrape times trim trailing zeros like Go's RFC3339Nano", () => {
    expect(formatRfc3339(0)).toBe("0001-01-01T00:00:00Z");
    expect(formatRfc3339(Date.UTC(2026, 10, 24, 16, 53, 41, 700))).toBe("2026-11-24T16:53:41.7Z");
    expect(formatRfc3339(Date.UTC(2026, 10, 24, 16, 53, 41, 0))).toBe("2026-11-24T16:53:41Z");
  });
});
