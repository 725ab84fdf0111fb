/**
 * Quiver's remote-write sender against a real VictoriaMetrics (Debian's /usr/bin/victoria-metrics):
 * samples are read from Quiver's own WAL; the receiver is stopped mid-stream and restarted, then the
 * sender itself is stopped and restarted (resuming from its saved WAL position). Every sample must
 * arrive exactly once with its exact value.
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
import { freePort, peer, sleep, startVictoria, waitFor, type Peer } from "../core/remote/peers.ts";

const bin = peer("/usr/bin/victoria-metrics");
const SERIES = 25;
const T0 = Math.floor((Date.now() - 3600_000) / 1000) * 1000;

function value(i: number, k: number): number {
  return k % 7 === 0 ? i * 1000 + k : Math.round((i + 1) * Math.sin(k) * 1e6) / 1e3;
}

async function appendRange(db: DB, from: number, to: number): Promise<void> {
  for (let k = from; k < to; k++) {
    const app = db.appender();
    for (let i = 0; i < SERIES; i++) app.append(0, Labels.from({ __name__: "rw_test", series: String(i) }), T0 + k * 1000, value(i, k));
    await app.commit();
  }
}

async function exported(vm: Peer): Promise<Map<string, Array<[number, number]>>> {
  await fetch(`${vm.url}/internal/force_flush`);
  const res = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent('{__name__="rw_test"}')}&start=${T0 / 1000 - 10}`);
  const out = new Map<string, Array<[number, number]>>();
  for (const line of (await res.text()).split("\n")) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
    const key = o.metric.series!;
    const arr = out.get(key) ?? [];
    o.timestamps.forEach((t, j) => arr.push([t, o.values[j]!]));
    out.set(key, arr.sort((a, b) => a[0] - b[0]));
  }
  return out;
}

async function count(vm: Peer): Promise<number> {
  let n = 0;
  for (const v of (await exported(vm)).values()) n += v.length;
  return n;
}

describe.skipIf(!bin)("remote write to VictoriaMetrics", () => {
  let vm: Peer;
  let dir = "";
  let vmDir = "";
  let vmPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-rwvm-"));
    vmDir = mkdtempSync(join(tmpdir(), "quiver-vm-"));
    vmPort = await freePort();
    vm = await startVictoria(bin!, vmDir, vmPort);
  });

  afterAll(async () => {
    await vm?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every sample arrives exactly once across a receiver outage and a sender restart", async () => {
    const db = await DB.open(join(dir, "data"));
    const cfgs = parseRemoteWriteConfigs([{
      url: `${vm.url}/api/v1/write`, name: "vm",
      queue_config: { batch_send_deadline: "200ms", min_backoff: "50ms", max_backoff: "400ms", max_samples_per_send: 200, capacity: 500 },
    }], { dir, path: "remote_write" });
    const mk = () => new RemoteStorage({ dataDir: join(dir, "data"), logger: nopLogger, externalLabels: () => Labels.from({ replica: "a" }), local: db, flushDeadline: 2000 });
    let rs = mk();
    await rs.applyConfig(cfgs);

    // Phase 1: the receiver is up.
    await appendRange(db, 0, 40);
    await waitFor(async () => (await count(vm)) === 40 * SERIES, 20_000);

    // Phase 2: the receiver goes away mid-stream; the sender retries, then catches up.
    await vm.stop();
    await appendRange(db, 40, 80);
    await sleep(1500);
    const q = rs.queues()[0]!;
    q.refreshGauges();
    expect(q.metrics.samplesRetried).toBeGreaterThan(0);
    vm = await startVictoria(bin!, vmDir, vmPort);
    await waitFor(async () => (await count(vm)) === 80 * SERIES, 30_000);

    // Phase 3: the sender stops (position saved), data keeps landing in the WAL, the sender restarts.
    await rs.stop();
    await appendRange(db, 80, 120);
    rs = mk();
    await rs.applyConfig(cfgs);
    await waitFor(async () => (await count(vm)) >= 120 * SERIES, 30_000);
    await sleep(500);

    const got = await exported(vm);
    expect(got.size).toBe(SERIES);
    for (let i = 0; i < SERIES; i++) {
      const want = Array.from({ length: 120 }, (_, k) => [T0 + k * 1000, value(i, k)]);
      expect(got.get(String(i))).toEqual(want as Array<[number, number]>);
    }
    const fams = rs.metrics();
    const sent = fams.find((f) => f.name === "prometheus_remote_storage_samples_total")!;
    expect(sent.samples[0]!.labels).toEqual({ remote_name: "vm", url: `${vm.url}/api/v1/write` });
    expect(sent.samples[0]!.value).toBe(40 * SERIES);
    expect(fams.find((f) => f.name === "prometheus_remote_storage_queue_highest_sent_timestamp_seconds")!.samples[0]!.value).toBe((T0 + 119_000) / 1000);
    // External labels travel with every series.
    const res = await fetch(`${vm.url}/api/v1/series?match[]=rw_test&start=${T0 / 1000 - 10}`);
    const series = ((await res.json()) as { data: Array<Record<string, string>> }).data;
    expect(new Set(series.map((s) => s.replica))).toEqual(new Set(["a"]));
    await rs.stop();
    await db.close();
  }, 60_000);
});
