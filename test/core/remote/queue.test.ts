import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../../core/log/logger.ts";
import { Labels } from "../../../core/model/labels.ts";
import { STALE_NAN } from "../../../core/model/value.ts";
import { parseRemoteWriteConfigs } from "../../../core/remote/config.ts";
import { decodeWriteRequest } from "../../../core/remote/proto/write.ts";
import { snappyUncompress } from "../../../core/remote/snappy.ts";
import { RemoteStorage } from "../../../core/remote/storage.ts";
import { DB } from "../../../core/tsdb/db.ts";
import { waitFor } from "./peers.ts";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

interface Received { labels: string; t: number; v: number; stale: boolean }

/** A fake receiver: decodes every request, answers with the scripted statuses (then 204). */
function fakeReceiver(script: number[] = []) {
  const got: Received[] = [];
  const metadata: string[] = [];
  const requests: Array<{ headers: Headers; status: number }> = [];
  const fetchFn = async (_url: string, init: RequestInit): Promise<Response> => {
    const status = script.shift() ?? 204;
    requests.push({ headers: new Headers(init.headers as Record<string, string>), status });
    if (status === 204) {
      let cur = "";
      decodeWriteRequest(snappyUncompress(init.body as Uint8Array), {
        series: (l) => { cur = l.toString(); },
        sample: (t, v, stale) => got.push({ labels: cur, t, v, stale }),
        histogram: () => {},
        metadata: (m) => metadata.push(`${m.metricFamilyName}:${m.type}:${m.help}:${m.unit}`),
      });
    }
    return new Response(status === 204 ? null : "nope", { status, headers: status === 429 ? { "retry-after": "0" } : {} });
  };
  return { got, metadata, requests, fetchFn };
}

async function setup(queue: Record<string, unknown>, script: number[] = [], extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "quiver-q-"));
  dirs.push(dir);
  const db = await DB.open(join(dir, "data"), { backgroundCompaction: false });
  const rx = fakeReceiver(script);
  const rs = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.from({ cluster: "c1" }), local: db, fetch: rx.fetchFn, flushDeadline: 500 });
  await rs.applyConfig(parseRemoteWriteConfigs([{ url: "http://rx/api/v1/write", name: "rx", queue_config: { batch_send_deadline: "20ms", min_backoff: "5ms", max_backoff: "20ms", ...queue }, ...extra }], { dir, path: "remote_write" }));
  return { db, rx, rs, dir };
}

const T0 = 1_767_225_600_000;
async function append(db: DB, series: number, times: number, from = 0) {
  for (let k = from; k < from + times; k++) {
    const app = db.appender();
    for (let i = 0; i < series; i++) app.append(0, Labels.from({ __name__: "m", i: String(i) }), T0 + k * 1000, i * 1000 + k);
    await app.commit();
  }
}
function metric(rs: RemoteStorage, name: string): number {
  return rs.metrics().find((f) => f.name === `prometheus_remote_storage_${name}`)!.samples[0]!.value;
}

describe("remote write queue", () => {
  test("sends with Prometheus's headers, external labels, per-series order across shards", async () => {
    const { db, rx, rs } = await setup({ min_shards: 4, max_shards: 4, max_samples_per_send: 7 });
    await append(db, 10, 20);
    await waitFor(() => rx.got.length === 200, 5000);
    const h = rx.requests[0]!.headers;
    expect(h.get("content-encoding")).toBe("snappy");
    expect(h.get("content-type")).toBe("application/x-protobuf");
    expect(h.get("x-prometheus-remote-write-version")).toBe("0.1.0");
    for (let i = 0; i < 10; i++) {
      const mine = rx.got.filter((g) => g.labels === `m{cluster="c1", i="${i}"}`);
      expect(mine.map((g) => g.t)).toEqual(Array.from({ length: 20 }, (_, k) => T0 + k * 1000));
      expect(mine.map((g) => g.v)).toEqual(Array.from({ length: 20 }, (_, k) => i * 1000 + k));
    }
    expect(metric(rs, "shards")).toBe(4);
    expect(metric(rs, "samples_total")).toBe(200);
    expect(metric(rs, "samples_in_total")).toBe(200);
    await rs.stop();
    await db.close();
  });

  test("5xx and 429 are retried with backoff; nothing is lost or duplicated", async () => {
    const { db, rx, rs } = await setup({ max_samples_per_send: 1000 }, [500, 503, 429]);
    await append(db, 5, 4);
    await waitFor(() => rx.got.length === 20, 5000);
    expect(rx.requests.map((r) => r.status).slice(0, 4)).toEqual([500, 503, 429, 204]);
    expect(metric(rs, "samples_retried_total")).toBe(60);
    expect(metric(rs, "samples_failed_total")).toBe(0);
    await rs.stop();
    await db.close();
  });

  test("other 4xx drop the batch (counted as failed); 429 too when retry_on_http_429 is false", async () => {
    const { db, rx, rs } = await setup({ max_samples_per_send: 1000, retry_on_http_429: false }, [400, 429]);
    await append(db, 5, 1);
    await waitFor(() => metric(rs, "samples_failed_total") === 5, 5000);
    await append(db, 5, 1, 1);
    await waitFor(() => metric(rs, "samples_failed_total") === 10, 5000);
    await append(db, 5, 1, 2);
    await waitFor(() => rx.got.length === 5, 5000);
    expect(rx.got.every((g) => g.t === T0 + 2000)).toBe(true);
    expect(metric(rs, "samples_retried_total")).toBe(0);
    await rs.stop();
    await db.close();
  });

  test("write_relabel_configs see external labels; dropped series count as dropped samples", async () => {
    const { db, rx, rs } = await setup({}, [], {
      write_relabel_configs: [{ source_labels: ["i"], regex: "[0-4]", action: "drop" }, { target_label: "from", replacement: "$1", source_labels: ["cluster"] }],
    });
    await append(db, 10, 2);
    await waitFor(() => rx.got.length === 10, 5000);
    expect(new Set(rx.got.map((g) => g.labels))).toEqual(new Set([5, 6, 7, 8, 9].map((i) => `m{cluster="c1", from="c1", i="${i}"}`)));
    expect(metric(rs, "samples_dropped_total")).toBe(10);
    await rs.stop();
    await db.close();
  });

  test("staleness markers are sent with their bits", async () => {
    const { db, rx, rs } = await setup({});
    const app = db.appender();
    const ref = app.append(0, Labels.from({ __name__: "s" }), T0, 1);
    app.appendStale!(ref, Labels.from({ __name__: "s" }), T0 + 1000);
    await app.commit();
    await waitFor(() => rx.got.length === 2, 5000);
    expect(rx.got.map((g) => [g.t, g.stale])).toEqual([[T0, false], [T0 + 1000, true]]);
    expect(Number.isNaN(STALE_NAN)).toBe(true);
    await rs.stop();
    await db.close();
  });

  test("a stopped queue resumes from its saved position; a new queue starts at the end of the WAL", async () => {
    const { db, rx, rs, dir } = await setup({});
    await append(db, 3, 5);
    await waitFor(() => rx.got.length === 15, 5000);
    await rs.stop();
    await append(db, 3, 5, 5);
    const rs2 = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.from({ cluster: "c1" }), local: db, fetch: rx.fetchFn });
    await rs2.applyConfig(parseRemoteWriteConfigs([{ url: "http://rx/api/v1/write", name: "rx", queue_config: { batch_send_deadline: "20ms", min_backoff: "5ms", max_backoff: "20ms" } }], { dir, path: "remote_write" }));
    await waitFor(() => rx.got.length === 30, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.got.length).toBe(30);
    // A different queue (new hash) has no position: it only sends what is written from now on.
    const rx2 = fakeReceiver();
    const rs3 = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.EMPTY, local: db, fetch: rx2.fetchFn });
    await rs3.applyConfig(parseRemoteWriteConfigs([{ url: "http://other/api/v1/write", queue_config: { batch_send_deadline: "20ms" } }], { dir, path: "remote_write" }));
    await append(db, 3, 1, 10);
    await waitFor(() => rx2.got.length === 3, 5000);
    expect(rx2.got.every((g) => g.t === T0 + 10_000)).toBe(true);
    await rs2.stop();
    await rs3.stop();
    await db.close();
  });

  test("samples of series the watcher learned from a WAL checkpoint after a head compaction", async () => {
    const { db, rx, rs } = await setup({});
    await append(db, 2, 3);
    await waitFor(() => rx.got.length === 6, 5000);
    db.flushHead(T0 + 2000);
    db.wal!.rotate();
    await append(db, 2, 3, 3);
    await waitFor(() => rx.got.length === 12, 5000);
    expect(rx.got.slice(6).map((g) => g.t).sort((a, b) => a - b)).toEqual([3, 3, 4, 4, 5, 5].map((k) => T0 + k * 1000));
    await rs.stop();
    await db.close();
  });

  test("dynamic sharding scales out when sends are slow and the input keeps coming", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-q-"));
    dirs.push(dir);
    const db = await DB.open(join(dir, "data"), { backgroundCompaction: false });
    const rx = fakeReceiver();
    const slow = async (url: string, init: RequestInit) => { await new Promise((r) => setTimeout(r, 30)); return rx.fetchFn(url, init); };
    const rs = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.EMPTY, local: db, fetch: slow, shardUpdateInterval: 150 });
    await rs.applyConfig(parseRemoteWriteConfigs([{ url: "http://rx/", queue_config: { batch_send_deadline: "10ms", max_samples_per_send: 50, max_shards: 8 } }], { dir, path: "remote_write" }));
    for (let round = 0; round < 20 && metric(rs, "shards") === 1; round++) {
      await append(db, 200, 2, round * 2);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metric(rs, "shards")).toBeGreaterThan(1);
    expect(metric(rs, "shards_desired")).toBeLessThanOrEqual(8);
    // Resharding loses and reorders nothing.
    const total = metric(rs, "samples_in_total");
    await waitFor(() => rx.got.length === total, 10_000);
    for (const i of [0, 57, 199]) {
      const ts = rx.got.filter((g) => g.labels === `m{i="${i}"}`).map((g) => g.t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(new Set(ts).size).toBe(ts.length);
    }
    await rs.stop();
    await db.close();
  }, 20_000);

  test("metadata_config: metric metadata is sent in chunks of max_samples_per_send", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-q-"));
    dirs.push(dir);
    const db = await DB.open(join(dir, "data"), { backgroundCompaction: false });
    const rx = fakeReceiver([503]);
    const rs = new RemoteStorage({
      dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.EMPTY, local: db, fetch: rx.fetchFn,
      metadata: () => ({ up: [{ type: "gauge", help: "Target up.", unit: "" }], http_requests_total: [{ type: "counter", help: "Requests.", unit: "" }], weird: [{ type: "nonsense", help: "", unit: "" }] }),
    });
    await rs.applyConfig(parseRemoteWriteConfigs([{ url: "http://rx/", queue_config: { min_backoff: "5ms" }, metadata_config: { send_interval: "1h", max_samples_per_send: 2 } }], { dir, path: "remote_write" }));
    await waitFor(() => metric(rs, "metadata_total") === 3, 5000);
    expect(rx.metadata).toEqual(["up:gauge:Target up.:", "http_requests_total:counter:Requests.:", "weird:unknown::"]);
    expect(rx.requests.map((r) => r.status)).toEqual([503, 204, 204]);
    expect(metric(rs, "metadata_retried_total")).toBe(2);
    expect(metric(rs, "metadata_bytes_total")).toBeGreaterThan(0);
    await rs.stop();
    await db.close();
  });
});
