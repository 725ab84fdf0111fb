/**
 * A real Prometheus (Debian's 2.42) remote-writes into Quiver's POST /api/v1/write: the series it
 * scrapes from itself must arrive in Quiver's TSDB with the same timestamps and values as in
 * Prometheus's own storage.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remoteWriteApi } from "../../core/api/remote/write.ts";
import { newMatcher } from "../../core/model/matcher.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import type { Server } from "../../core/runtime/index.ts";
import { DB } from "../../core/tsdb/db.ts";
import { newReceiverCounters } from "../../core/remote/receiver.ts";
import { freePort, peer, rangeSamples, startPrometheus, waitFor, type Peer } from "../core/remote/peers.ts";

const bin = peer("/usr/bin/prometheus");

describe.skipIf(!bin)("Prometheus remote-writes into Quiver", () => {
  let db: DB;
  let server: Server;
  let prom: Peer;
  let dir = "";
  const counters = newReceiverCounters();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-rwr-"));
    db = await DB.open(dir);
    const app = remoteWriteApi({ appendable: db, enabled: true, counters });
    server = await detectRuntime().serve((r) => app.handle(r), { hostname: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await prom?.destroy();
    await server?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("scraped series arrive with identical samples", async () => {
    const port = await freePort();
    prom = await startPrometheus(bin!, [
      "global:", "  scrape_interval: 1s", "  external_labels: {origin: prom}",
      "scrape_configs:", "  - job_name: prometheus", "    static_configs: [{targets: ['PLACEHOLDER']}]",
      "remote_write:", `  - url: http://127.0.0.1:${server.port}/api/v1/write`,
      "    queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 200ms}", "",
    ].join("\n").replace("PLACEHOLDER", `127.0.0.1:${port}`), [], undefined, port);
    const sel = [newMatcher("=", "__name__", "up")];
    await waitFor(async () => {
      const q = await db.querier(0, Date.now() + 1000);
      const r = await q.select(sel, { start: 0, end: Date.now() + 1000 });
      q.close();
      return r.series.length === 1 && r.series[0]!.timestamps.length >= 3;
    }, 30_000, () => prom.logs());
    const now = Date.now();
    const q = await db.querier(0, now + 1000);
    const local = (await q.select(sel, { start: 0, end: now + 1000 })).series;
    q.close();
    expect(local[0]!.labels.toObject()).toEqual({ __name__: "up", instance: `127.0.0.1:${port}`, job: "prometheus", origin: "prom" });
    const theirs = await rangeSamples(prom.url, "up", 120, now);
    const ref = new Map(theirs[0]!.values.map(([t, v]) => [Math.round(t * 1000), v]));
    let compared = 0;
    local[0]!.timestamps.forEach((t, i) => {
      if (!ref.has(t)) return;
      expect(String(local[0]!.values[i])).toBe(ref.get(t)!);
      compared++;
    });
    expect(compared).toBeGreaterThanOrEqual(3);
    expect(counters.badRequests).toBe(0);
    // Everything Prometheus scraped from itself arrived, not only `up`.
    const all = await db.querier(0, now + 1000);
    const names = await all.labelValues("__name__", [], { start: 0, end: now + 1000 });
    all.close();
    expect(names).toContain("prometheus_build_info");
    expect(names.length).toBeGreaterThan(100);
  }, 50_000);
});
