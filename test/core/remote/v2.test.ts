import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remoteWriteApi } from "../../../core/api/remote/write.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { Labels } from "../../../core/model/labels.ts";
import { newMatcher } from "../../../core/model/matcher.ts";
import { parseRemoteWriteConfigs } from "../../../core/remote/config.ts";
import { RW2_CONTENT_TYPE } from "../../../core/remote/proto/write-v2.ts";
import { RemoteStorage } from "../../../core/remote/storage.ts";
import { DB } from "../../../core/tsdb/db.ts";
import { waitFor } from "./peers.ts";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const T0 = 1_767_225_600_000;

test("a Quiver queue with protobuf_message v2 writes into another Quiver's receiver", async () => {
  const dir = mkdtempSync(join(tmpdir(), "quiver-v2-"));
  dirs.push(dir);
  const src = await DB.open(join(dir, "src"), { backgroundCompaction: false });
  const dst = await DB.open(join(dir, "dst"), { backgroundCompaction: false });
  const area = remoteWriteApi({ appendable: dst, enabled: true });
  const seen: Array<{ ct: string | null; version: string | null; written: string | null }> = [];
  const fetchFn = async (url: string, init: RequestInit) => {
    const req = new Request(url, init);
    const res = await area.handle(req);
    seen.push({ ct: req.headers.get("content-type"), version: req.headers.get("x-prometheus-remote-write-version"), written: res.headers.get("x-prometheus-remote-write-samples-written") });
    return res;
  };
  const rs = new RemoteStorage({ dataDir: join(dir, "src"), logger: nopLogger, externalLabels: () => Labels.from({ site: "a" }), local: src, fetch: fetchFn });
  await rs.applyConfig(parseRemoteWriteConfigs([{ url: "http://localhost/api/v1/write", protobuf_message: "io.prometheus.write.v2.Request", queue_config: { batch_send_deadline: "20ms" } }], { dir, path: "remote_write" }));
  for (let k = 0; k < 5; k++) {
    const app = src.appender();
    for (let i = 0; i < 4; i++) app.append(0, Labels.from({ __name__: "v2_test", i: String(i) }), T0 + k * 1000, i + k);
    await app.commit();
  }
  const count = async () => {
    const q = await dst.querier(0, T0 * 2);
    const r = await q.select([newMatcher("=", "__name__", "v2_test")], { start: 0, end: T0 * 2 });
    q.close();
    return r.series;
  };
  await waitFor(async () => (await count()).reduce((a, s) => a + s.timestamps.length, 0) === 20, 5000);
  const series = await count();
  expect(series.map((s) => s.labels.toString())).toEqual([0, 1, 2, 3].map((i) => `v2_test{i="${i}", site="a"}`));
  expect([...series[2]!.values]).toEqual([2, 3, 4, 5, 6]);
  expect(seen[0]!.ct).toBe(RW2_CONTENT_TYPE);
  expect(seen[0]!.version).toBe("2.0.0");
  expect(Number(seen[0]!.written)).toBeGreaterThan(0);
  await rs.stop();
  await src.close();
  await dst.close();
});

test("receiver content negotiation: unknown proto and non-snappy encodings are 415", async () => {
  const area = remoteWriteApi({ appendable: { appender: () => { throw new Error("unused"); } }, enabled: true });
  const post = (headers: Record<string, string>) => area.handle(new Request("http://localhost/api/v1/write", { method: "POST", body: new Uint8Array([0]), headers }));
  const a = await post({ "content-type": "application/x-protobuf;proto=io.prometheus.write.v3.Request" });
  expect(a.status).toBe(415);
  expect(await a.text()).toContain("unknown type for remote write protobuf message io.prometheus.write.v3.Request");
  const b = await post({ "content-type": "application/x-protobuf", "content-encoding": "gzip" });
  expect(b.status).toBe(415);
  expect(await b.text()).toBe("gzip encoding (compression) is not accepted by this server; only snappy is acceptable\n");
  expect((await post({ "content-type": "application/json" })).status).toBe(415);
});
