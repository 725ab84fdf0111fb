import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remoteWriteApi, REMOTE_WRITE_DISABLED_MSG } from "../../../../core/api/remote/write.ts";
import { Labels } from "../../../../core/model/labels.ts";
import { newMatcher } from "../../../../core/model/matcher.ts";
import { isStaleAt, STALE_NAN } from "../../../../core/model/value.ts";
import { encodeWriteRequest, type SeriesSamples } from "../../../../core/remote/proto/write.ts";
import { newReceiverCounters } from "../../../../core/remote/receiver.ts";
import { snappyCompress } from "../../../../core/remote/snappy.ts";
import { DB } from "../../../../core/tsdb/db.ts";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

async function openDB(): Promise<DB> {
  const d = mkdtempSync(join(tmpdir(), "quiver-rw-"));
  dirs.push(d);
  return DB.open(d, { backgroundCompaction: false } as never);
}

function post(app: { handle(r: Request): Promise<Response> }, body: Uint8Array): Promise<Response> {
  return app.handle(new Request("http://localhost/api/v1/write", {
    method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0" },
  }));
}

function body(series: SeriesSamples[]): Uint8Array {
  return snappyCompress(encodeWriteRequest(series).slice());
}

const T0 = 1_767_225_600_000;

async function select(db: DB, name: string) {
  const q = await db.querier(0, Number.MAX_SAFE_INTEGER);
  const r = await q.select([newMatcher("=", "__name__", name)], { start: 0, end: Number.MAX_SAFE_INTEGER });
  q.close();
  return r.series;
}

describe("POST /api/v1/write", () => {
  test("appends samples (staleness markers keep their bits) and answers 204", async () => {
    const db = await openDB();
    const counters = newReceiverCounters();
    const app = remoteWriteApi({ appendable: db, enabled: true, counters });
    const values = new Float64Array([1, 2, STALE_NAN]);
    new Uint32Array(values.buffer).set([2, 0x7ff00000], 4);
    const res = await post(app, body([
      { labels: Labels.from({ __name__: "m", job: "a" }), timestamps: [T0, T0 + 15000, T0 + 30000], values },
      { labels: Labels.from({ __name__: "m", job: "b" }), timestamps: [T0], values: new Float64Array([42]) },
    ]));
    expect(res.status).toBe(204);
    const s = await select(db, "m");
    expect(s.map((x) => x.labels.toString())).toEqual(['m{job="a"}', 'm{job="b"}']);
    expect([...s[0]!.timestamps]).toEqual([T0, T0 + 15000, T0 + 30000]);
    expect([s[0]!.values[0], s[0]!.values[1]]).toEqual([1, 2]);
    expect(isStaleAt(s[0]!.values, 2)).toBe(true);
    expect(counters.samples).toBe(4);
    await db.close();
  });

  test("out-of-order and duplicate samples are 400 and roll back the whole request", async () => {
    const db = await openDB();
    const app = remoteWriteApi({ appendable: db, enabled: true });
    expect((await post(app, body([{ labels: Labels.from({ __name__: "m" }), timestamps: [T0 + 1000], values: new Float64Array([1]) }]))).status).toBe(204);
    const ooo = await post(app, body([
      { labels: Labels.from({ __name__: "other" }), timestamps: [T0], values: new Float64Array([5]) },
      { labels: Labels.from({ __name__: "m" }), timestamps: [T0], values: new Float64Array([1]) },
    ]));
    expect(ooo.status).toBe(400);
    expect(await ooo.text()).toBe("out of order sample\n");
    expect(await select(db, "other")).toEqual([]);
    const dup = await post(app, body([{ labels: Labels.from({ __name__: "m" }), timestamps: [T0 + 1000], values: new Float64Array([7]) }]));
    expect(dup.status).toBe(400);
    expect(await dup.text()).toBe("duplicate sample for timestamp\n");
    // The same value again at the same time is a no-op, as in Prometheus.
    expect((await post(app, body([{ labels: Labels.from({ __name__: "m" }), timestamps: [T0 + 1000], values: new Float64Array([1]) }]))).status).toBe(204);
    await db.close();
  });

  test("bad bodies are 400 with the reason", async () => {
    const db = await openDB();
    const app = remoteWriteApi({ appendable: db, enabled: true });
    const notSnappy = await post(app, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(notSnappy.status).toBe(400);
    expect(await notSnappy.text()).toMatch(/^snappy: /);
    const notProto = await post(app, snappyCompress(new Uint8Array([0x0a, 0x50, 0x01])));
    expect(notProto.status).toBe(400);
    expect(await notProto.text()).toMatch(/^proto: /);
    await db.close();
  });

  test("native histograms are rejected with a clear 400", async () => {
    const db = await openDB();
    const app = remoteWriteApi({ appendable: db, enabled: true });
    // TimeSeries{labels __name__="h", histograms {count_int 1, timestamp 5}}
    const raw = new Uint8Array(Buffer.from("0a15" + "0a0d0a085f5f6e616d655f5f120168" + "2204" + "0801" + "7805", "hex"));
    const res = await post(app, snappyCompress(raw));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("native histograms are not supported");
    await db.close();
  });

  test("disabled receiver answers 404 with Prometheus's message", async () => {
    const db = await openDB();
    const res = await post(remoteWriteApi({ appendable: db, enabled: false }), body([]));
    expect(res.status).toBe(404);
    expect(await res.text()).toBe(REMOTE_WRITE_DISABLED_MSG + "\n");
    await db.close();
  });

  test("storage failures are 500 (the sender retries)", async () => {
    const app = remoteWriteApi({
      appendable: { appender: () => ({ append: () => 0, commit: async () => { throw new Error("disk full"); }, rollback: () => {} }) },
      enabled: true,
    });
    const res = await post(app, body([{ labels: Labels.from({ __name__: "m" }), timestamps: [T0], values: new Float64Array([1]) }]));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("disk full\n");
  });
});
