/**
 * Quiver's remote-write sender against a real Prometheus 2.42 receiver
 * (--web.enable-remote-write-receiver): samples from Quiver's WAL arrive exactly once with their
 * values across a receiver restart; a sample Prometheus rejects as out of order (400) is counted in
 * samples_failed_total and not retried.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../core/log/logger.ts";
import { Labels } from "../../core/model/labels.ts";
import { parseRemoteWriteConfigs } from "../../core/remote/config.ts";
import { RemoteStorage } from "../../core/remote/storage.ts";
import { DB } from "../../core/tsdb/db.ts";
import { freePort, peer, rangeSamples, sleep, startPrometheus, waitFor, type Peer } from "../core/remote/peers.ts";

const bin = peer("/usr/bin/prometheus");
const CONFIG = "global: {scrape_interval: 1m}\n";
const SERIES = 10;
const T0 = Math.floor((Date.now() - 180_000) / 1000) * 1000;

describe.skipIf(!bin)("remote write to Prometheus", () => {
  let prom: Peer;
  let dir = "";
  let promDir = "";
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-rwp-"));
    promDir = mkdtempSync(join(tmpdir(), "quiver-prom-"));
    port = await freePort();
    prom = await startPrometheus(bin!, CONFIG, ["--web.enable-remote-write-receiver"], promDir, port);
  });

  afterAll(async () => {
    await prom?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function count(): Promise<number> {
    const r = await rangeSamples(prom.url, "rw_prom", 600, Date.now());
    return r.reduce((a, s) => a + s.values.length, 0);
  }

  test("exactly once across a receiver restart; out-of-order rejections are not retried", async () => {
    const db = await DB.open(join(dir, "data"));
    const rs = new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.from({ site: "edge" }), local: db });
    await rs.applyConfig(parseRemoteWriteConfigs([{ url: `${prom.url}/api/v1/write`, name: "prom", queue_config: { batch_send_deadline: "100ms", min_backoff: "50ms", max_backoff: "300ms" } }], { dir, path: "remote_write" }));
    const append = async (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        const app = db.appender();
        for (let i = 0; i < SERIES; i++) app.append(0, Labels.from({ __name__: "rw_prom", i: String(i) }), T0 + k * 1000, i + k / 4);
        await app.commit();
      }
    };
    await append(0, 20);
    await waitFor(async () => (await count()) === 20 * SERIES, 15_000);
    await prom.stop();
    await append(20, 40);
    await sleep(800);
    prom = await startPrometheus(bin!, CONFIG, ["--web.enable-remote-write-receiver"], promDir, port);
    await waitFor(async () => (await count()) === 40 * SERIES, 30_000, () => prom.logs());
    const got = await rangeSamples(prom.url, "rw_prom", 600, Date.now());
    for (const s of got) {
      const i = Number(s.metric.i);
      expect(s.metric).toEqual({ __name__: "rw_prom", i: String(i), site: "edge" });
      expect(s.values.map(([t, v]) => [t * 1000, Number(v)])).toEqual(Array.from({ length: 40 }, (_, k) => [T0 + k * 1000, i + k / 4]));
    }
    const metric = (n: string) => rs.metrics().find((f) => f.name === `prometheus_remote_storage_${n}`)!.samples[0]!.value;
    expect(metric("samples_total")).toBe(40 * SERIES);
    expect(metric("samples_retried_total")).toBeGreaterThan(0);

    // A second Quiver series with the same labels but an older timestamp than Prometheus holds:
    // Prometheus answers 400 (out of order), the batch is dropped and counted, not retried.
    const db2 = await DB.open(join(dir, "data2"));
    const rs2 = new RemoteStorage({ dataDir: join(dir, "data2"), logger: nopLogger, externalLabels: () => Labels.from({ site: "edge" }), local: db2 });
    await rs2.applyConfig(parseRemoteWriteConfigs([{ url: `${prom.url}/api/v1/write`, name: "prom2", queue_config: { batch_send_deadline: "100ms" } }], { dir, path: "remote_write" }));
    const app = db2.appender();
    app.append(0, Labels.from({ __name__: "rw_prom", i: "0" }), T0 + 5500, 123);
    await app.commit();
    const metric2 = (n: string) => rs2.metrics().find((f) => f.name === `prometheus_remote_storage_${n}`)!.samples[0]!.value;
    await waitFor(() => metric2("samples_failed_total") === 1, 10_000);
    expect(metric2("samples_retried_total")).toBe(0);
    expect(await count()).toBe(40 * SERIES);
    await rs2.stop();
    await db2.close();
    await rs.stop();
    await db.close();
  }, 60_000);
});
