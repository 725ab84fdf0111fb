import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Matcher } from "../../../../core/model/matcher.ts";
import type { TSDBAdmin, TSDBStats } from "../../../../core/api/v1/index.ts";
import { buildApi, call, NOW } from "./helpers.ts";

/** A TSDB double that records calls, with stats computed from a fixed series list. */
function fakeTsdb() {
  const calls: string[] = [];
  const stats: TSDBStats = {
    numSeries: 3, numLabelPairs: 5, chunkCount: 3, minTime: NOW - 600_000, maxTime: NOW,
    seriesCountByMetricName: [{ name: "up", value: 2 }, { name: "x", value: 1 }],
    labelValueCountByLabelName: [{ name: "job", value: 2 }],
    memoryInBytesByLabelName: [{ name: "job", value: 12 }],
    seriesCountByLabelValuePair: [{ name: "__name__=up", value: 2 }, { name: "job=a", value: 1 }],
  };
  const db: TSDBAdmin = {
    async delete(mint: number, maxt: number, ms: Matcher[]) {
      calls.push(`delete ${mint} ${maxt} ${ms.map(String).join(",")}`);
    },
    async cleanTombstones() {
      calls.push("clean");
    },
    async snapshot(dir: string, withHead: boolean) {
      calls.push(`snapshot ${existsSync(dir)} ${withHead}`);
    },
    async stats(limit: number) {
      calls.push(`stats ${limit}`);
      return stats;
    },
    walReplayStatus: () => ({ min: 0, max: 3, current: 3 }),
  };
  return { db, calls };
}

describe("status endpoints", () => {
  test("config, flags, buildinfo, runtimeinfo", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/status/config")).body).toEqual({ status: "success", data: { yaml: "global:\n  scrape_interval: 15s\n" } });
    expect((await call(app, "/api/v1/status/flags")).text).toBe('{"status":"success","data":{"query.timeout":"2m","storage.tsdb.path":"data/","web.enable-admin-api":"false"}}');
    expect(Object.keys((await call(app, "/api/v1/status/buildinfo")).body.data)).toEqual(["version", "revision", "branch", "buildUser", "buildDate", "goVersion"]);
    const rt = (await call(app, "/api/v1/status/runtimeinfo")).body.data;
    expect(rt.startTime).toBe("2026-01-02T13:36:00Z");
    expect(Object.keys(rt)).toEqual(["startTime", "CWD", "hostname", "serverTime", "reloadConfigSuccess", "lastConfigTime", "corruptionCount", "goroutineCount", "GOMAXPROCS", "GOMEMLIMIT", "GOGC", "GODEBUG", "storageRetention"]);
  });

  test("tsdb: head stats and cardinality with limit", async () => {
    const { db, calls } = fakeTsdb();
    const app = await buildApi({ tsdb: db });
    const a = await call(app, "/api/v1/status/tsdb?limit=1");
    expect(a.body.data).toEqual({
      headStats: { numSeries: 3, numLabelPairs: 5, chunkCount: 3, minTime: NOW - 600_000, maxTime: NOW },
      seriesCountByMetricName: [{ name: "up", value: 2 }],
      labelValueCountByLabelName: [{ name: "job", value: 2 }],
      memoryInBytesByLabelName: [{ name: "job", value: 12 }],
      seriesCountByLabelValuePair: [{ name: "__name__=up", value: 2 }],
    });
    expect(calls).toEqual(["stats 1"]);
    expect((await call(app, "/api/v1/status/tsdb?limit=0")).body).toEqual({ status: "error", errorType: "bad_data", error: "limit must be a positive number" });
    expect((await call(app, "/api/v1/status/walreplay")).body).toEqual({ status: "success", data: { min: 0, max: 3, current: 3 } });
  });

  test("without a TSDB: unavailable (503)", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/status/walreplay");
    expect(a.status).toBe(503);
    expect(a.body).toEqual({ status: "error", errorType: "unavailable", error: "TSDB not ready" });
  });

  test("not ready: every endpoint answers 503 Service Unavailable", async () => {
    const app = await buildApi({ isReady: () => false });
    const a = await call(app, "/api/v1/labels");
    expect(a.status).toBe(503);
    expect(a.text).toBe("Service Unavailable");
  });
});

describe("admin endpoints", () => {
  test("disabled by default: unavailable 'admin APIs disabled'", async () => {
    const { db, calls } = fakeTsdb();
    const app = await buildApi({ tsdb: db });
    for (const ep of ["delete_series?match[]=up", "clean_tombstones", "snapshot"]) {
      const a = await call(app, `/api/v1/admin/tsdb/${ep}`, "");
      expect(a.status).toBe(503);
      expect(a.body).toEqual({ status: "error", errorType: "unavailable", error: "admin APIs disabled" });
    }
    expect(calls).toEqual([]);
  });

  test("enabled: delete_series, clean_tombstones (204), snapshot (name), PUT too", async () => {
    const { db, calls } = fakeTsdb();
    const dataDir = mkdtempSync(join(tmpdir(), "quiver-api-"));
    const app = await buildApi({ tsdb: db, enableAdminApi: true, dataDir });
    const del = await call(app, "/api/v1/admin/tsdb/delete_series", "match[]=up%7Bjob%3D%22a%22%7D&start=10&end=20");
    expect(del.status).toBe(204);
    expect((await call(app, "/api/v1/admin/tsdb/clean_tombstones", "", "PUT")).status).toBe(204);
    const snap = await call(app, "/api/v1/admin/tsdb/snapshot", "skip_head=true");
    expect(snap.body.data.name).toMatch(/^20260102T133700Z-[0-9a-f]{16}$/);
    expect(existsSync(join(dataDir, "snapshots", snap.body.data.name))).toBe(true);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.startsWith("delete 10000 20000 ")).toBe(true);
    expect(calls[0]!.split(" ")[3]!.split(",").sort()).toEqual(['__name__="up"', 'job="a"']);
    expect(calls.slice(1)).toEqual(["clean", "snapshot true false"]);
    expect((await call(app, "/api/v1/admin/tsdb/delete_series", "")).body.error).toBe("no match[] parameter provided");
    expect((await call(app, "/api/v1/admin/tsdb/snapshot", "skip_head=maybe")).status).toBe(400);
  });
});

describe("CORS (Prometheus's SetCORS)", () => {
  test("default .* allows any origin with *", async () => {
    const app = await buildApi({ corsOrigin: ".*" });
    const res = await app.handle(new Request("http://localhost/api/v1/labels", { headers: { origin: "https://grafana.example" } }));
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")).toBe("Accept, Authorization, Content-Type, Origin");
    expect(res.headers.get("access-control-expose-headers")).toBe("Date");
    const pre = await app.handle(new Request("http://localhost/api/v1/query", { method: "OPTIONS", headers: { origin: "https://x" } }));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("a pattern echoes matching origins only; no Origin, no headers", async () => {
    const app = await buildApi({ corsOrigin: "https://(a|b)\\.example" });
    const ok = await app.handle(new Request("http://localhost/api/v1/labels", { headers: { origin: "https://a.example" } }));
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://a.example");
    const no = await app.handle(new Request("http://localhost/api/v1/labels", { headers: { origin: "https://evil.example" } }));
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
    expect(no.headers.get("vary")).toBe("Origin");
    const none = await app.handle(new Request("http://localhost/api/v1/labels"));
    expect(none.headers.get("vary")).toBeNull();
  });

  test("route prefix", async () => {
    const app = await buildApi({ routePrefix: "/prom" });
    expect((await app.handle(new Request("http://localhost/prom/api/v1/labels"))).status).toBe(200);
    expect((await app.handle(new Request("http://localhost/api/v1/labels"))).status).toBe(404);
  });
});
