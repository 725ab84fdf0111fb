/**
 * Remote read both ways with a real Prometheus 2.42:
 * - Prometheus uses Quiver's POST /api/v1/read as remote_read storage and answers PromQL over
 *   series only Quiver holds, with Quiver's external labels;
 * - Quiver's remote_read client reads Prometheus's own history through its /api/v1/read and merges
 *   it into local query results (required_matchers, read_recent).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remoteReadApi } from "../../core/api/remote/read.ts";
import { nopLogger } from "../../core/log/logger.ts";
import { Labels } from "../../core/model/labels.ts";
import { newMatcher } from "../../core/model/matcher.ts";
import { parseRemoteReadConfigs } from "../../core/remote/config.ts";
import { RemoteStorage } from "../../core/remote/storage.ts";
import { detectRuntime, type Server } from "../../core/runtime/index.ts";
import { DB } from "../../core/tsdb/db.ts";
import { freePort, instantQuery, peer, rangeSamples, startPrometheus, waitFor, type Peer } from "../core/remote/peers.ts";

const bin = peer("/usr/bin/prometheus");
const NOW = Math.floor(Date.now() / 1000) * 1000;

describe.skipIf(!bin)("remote read with Prometheus", () => {
  let dir = "";
  let db: DB;
  let server: Server;
  let prom: Peer;
  let promPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-rr-"));
    db = await DB.open(join(dir, "data"));
    const app = db.appender();
    for (let k = 0; k < 30; k++) {
      app.append(0, Labels.from({ __name__: "quiver_only", job: "edge", instance: "a" }), NOW - 300_000 + k * 10_000, k * 1.5);
      app.append(0, Labels.from({ __name__: "quiver_only", job: "edge", instance: "b" }), NOW - 300_000 + k * 10_000, 100 + k);
    }
    await app.commit();
    const area = remoteReadApi({ queryable: db, externalLabels: () => Labels.from({ site: "edge1" }) });
    server = await detectRuntime().serve((r) => area.handle(r), { hostname: "127.0.0.1", port: 0 });
    promPort = await freePort();
    prom = await startPrometheus(bin!, [
      "global: {scrape_interval: 1s}",
      "scrape_configs: [{job_name: prometheus, static_configs: [{targets: ['127.0.0.1:" + promPort + "']}]}]",
      "remote_read:",
      `  - url: http://127.0.0.1:${server.port}/api/v1/read`,
      "    read_recent: true",
      "",
    ].join("\n"), [], undefined, promPort);
  });

  afterAll(async () => {
    await prom?.destroy();
    await server?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("Prometheus queries Quiver's history through remote_read", async () => {
    const r = await instantQuery(prom.url, "sum by (site) (quiver_only)", NOW - 10_000);
    expect(r).toEqual([{ metric: { site: "edge1" }, value: [(NOW - 10_000) / 1000, String(29 * 1.5 + 129)] }]);
    const raw = await rangeSamples(prom.url, 'quiver_only{instance="a"}', 300, NOW);
    expect(raw.length).toBe(1);
    expect(raw[0]!.metric).toEqual({ __name__: "quiver_only", instance: "a", job: "edge", site: "edge1" });
    // Prometheus 2.42 range selectors include both ends: all 30 samples.
    expect(raw[0]!.values.map(([t, v]) => [t * 1000, Number(v)])).toEqual(
      Array.from({ length: 30 }, (_, k) => [NOW - 300_000 + k * 10_000, k * 1.5]));
    // A matcher on the external label that does not match gives nothing.
    expect(await instantQuery(prom.url, 'quiver_only{site="other"}', NOW - 10_000)).toEqual([]);
  }, 30_000);

  test("Quiver merges Prometheus's series into local results", async () => {
    await waitFor(async () => (await instantQuery(prom.url, 'up{job="prometheus"}')).length === 1, 20_000, () => prom.logs());
    const cfg = (required: Record<string, string>) => parseRemoteReadConfigs([
      { url: `${prom.url}/api/v1/read`, read_recent: true, required_matchers: required },
    ], { dir, path: "remote_read" });
    const rs = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.EMPTY, local: db });
    await rs.applyConfig([], cfg({}));
    const q = await rs.queryable().querier(NOW - 600_000, Date.now() + 1000);
    const up = await q.select([newMatcher("=", "__name__", "up")], { start: NOW - 600_000, end: Date.now() + 1000 });
    expect(up.warnings).toEqual([]);
    expect(up.series.map((s) => s.labels.toObject())).toEqual([{ __name__: "up", instance: `127.0.0.1:${promPort}`, job: "prometheus" }]);
    expect(up.series[0]!.values[0]).toBe(1);
    // Local series are still there (plus, through Prometheus's own remote_read back to Quiver, the
    // same series with Quiver's external label: the loop this test setup builds).
    const local = await q.select([newMatcher("=", "__name__", "quiver_only")], { start: NOW - 600_000, end: NOW });
    expect(local.series.map((s) => s.labels.toString())).toEqual([
      'quiver_only{instance="a", job="edge"}', 'quiver_only{instance="a", job="edge", site="edge1"}',
      'quiver_only{instance="b", job="edge"}', 'quiver_only{instance="b", job="edge", site="edge1"}',
    ]);
    q.close();

    // required_matchers: a selector without job="other" is not sent to the endpoint.
    await rs.applyConfig([], cfg({ job: "other" }));
    const q2 = await rs.queryable().querier(NOW - 600_000, Date.now() + 1000);
    expect((await q2.select([newMatcher("=", "__name__", "up")], { start: NOW - 600_000, end: Date.now() + 1000 })).series).toEqual([]);
    q2.close();

    // An unreachable endpoint becomes a warning, not a failure.
    await rs.applyConfig([], parseRemoteReadConfigs([{ url: "http://127.0.0.1:1/api/v1/read", read_recent: true }], { dir, path: "remote_read" }));
    const q3 = await rs.queryable().querier(NOW - 600_000, NOW);
    const r3 = await q3.select([newMatcher("=", "__name__", "quiver_only")], { start: NOW - 600_000, end: NOW });
    expect(r3.series.length).toBe(2);
    expect(r3.warnings.length).toBe(1);
    expect(r3.warnings[0]).toMatch(/^remote_read [0-9a-f]{6}: Post "http:\/\/127\.0\.0\.1:1\/api\/v1\/read": /);
    q3.close();
    await rs.stop();
  }, 40_000);
});
