/**
 * Streamed remote read (STREAMED_XOR_CHUNKS) checked against a real Prometheus 2.42: known samples are
 * remote-written into Prometheus; its streamed answer is decoded with Quiver's frame and XOR-chunk
 * decoders (CRC-32C checked) and must hold exactly those samples; re-encoding each of Prometheus's
 * chunks with Quiver's encoder must give the same bytes. Then Quiver's own endpoint streams the same
 * samples, which decode identically.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { remoteReadApi } from "../../core/api/remote/read.ts";
import { Labels } from "../../core/model/labels.ts";
import { decodeChunkedFrames } from "../../core/remote/proto/chunked.ts";
import { encodeReadRequest, ResponseType } from "../../core/remote/proto/read.ts";
import { encodeWriteRequest } from "../../core/remote/proto/write.ts";
import { decodeXORChunk, encodeXORChunk } from "../../core/remote/proto/xor-chunk.ts";
import { snappyCompress } from "../../core/remote/snappy.ts";
import { MemoryStorage } from "../../core/storage/memory.ts";
import { peer, startPrometheus, type Peer } from "../core/remote/peers.ts";

const bin = peer("/usr/bin/prometheus");
const T0 = Math.floor((Date.now() - 3_000_000) / 1000) * 1000;
const N = 300;

function data(i: number) {
  const times: number[] = [];
  const values = new Float64Array(N);
  let t = T0 + i * 37;
  for (let k = 0; k < N; k++) {
    t += k % 17 === 0 ? 15_000 + (k % 5) * 7 : 15_000;
    times.push(t);
    values[k] = k % 11 === 0 ? i * 1e9 + k : Math.round(Math.sin(k + i) * 1e6) / 1e3;
  }
  return { labels: Labels.from({ __name__: "streamed_test", i: String(i) }), timestamps: times, values };
}

function readBody(): Uint8Array {
  return snappyCompress(encodeReadRequest({
    queries: [{ startTimestampMs: T0, endTimestampMs: T0 + N * 20_000, matchers: [{ type: "=", name: "__name__", value: "streamed_test" }] }],
    acceptedResponseTypes: [ResponseType.StreamedXorChunks],
  }));
}

function decodeAll(body: Uint8Array) {
  const bySeries = new Map<string, { times: number[]; values: number[] }>();
  const chunks: Array<{ data: Uint8Array }> = [];
  for (const f of decodeChunkedFrames(body)) {
    for (const s of f.series) {
      const acc = bySeries.get(s.labels.toString()) ?? { times: [], values: [] };
      for (const c of s.chunks) {
        expect(c.type).toBe(1);
        const d = decodeXORChunk(c.data);
        expect(c.minTimeMs).toBe(d.times[0]!);
        expect(c.maxTimeMs).toBe(d.times[d.times.length - 1]!);
        acc.times.push(...d.times);
        acc.values.push(...d.values);
        chunks.push(c);
      }
      bySeries.set(s.labels.toString(), acc);
    }
  }
  return { bySeries, chunks };
}

describe.skipIf(!bin)("streamed remote read", () => {
  let prom: Peer;
  // Six series with shifted timestamps, so chunks end at every bit alignment (incl. whole bytes).
  const series = [0, 1, 2, 3, 4, 5].map(data);
  // And a one-sample series: its chunk ends right after a whole-byte write.
  series.push({ labels: Labels.from({ __name__: "streamed_test", i: "single" }), timestamps: [T0 + 5000], values: new Float64Array([1]) });

  beforeAll(async () => {
    prom = await startPrometheus(bin!, "global: {scrape_interval: 1h}\n", ["--web.enable-remote-write-receiver"]);
    const res = await fetch(`${prom.url}/api/v1/write`, { method: "POST", body: snappyCompress(encodeWriteRequest(series).slice()) as Uint8Array<ArrayBuffer>, headers: { "content-encoding": "snappy" } });
    expect(res.status).toBe(204);
  });

  afterAll(async () => {
    await prom?.destroy();
  });

  test("Prometheus's streamed chunks decode to the written samples and re-encode byte for byte", async () => {
    const res = await fetch(`${prom.url}/api/v1/read`, { method: "POST", body: readBody() as Uint8Array<ArrayBuffer>, headers: { "content-encoding": "snappy", "x-prometheus-remote-read-version": "0.1.0" } });
    expect(res.headers.get("content-type")).toBe("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
    const { bySeries, chunks } = decodeAll(new Uint8Array(await res.arrayBuffer()));
    for (const s of series) {
      const got = bySeries.get(s.labels.toString())!;
      expect(got.times).toEqual(s.timestamps);
      expect(got.values).toEqual([...s.values]);
    }
    // How Prometheus cuts chunks depends on where its 2h chunk-range boundary falls relative to the data
    // (wall-clock dependent), so only require several chunks, at least one per series and more than that.
    expect(chunks.length).toBeGreaterThan(series.length);
    for (const c of chunks) {
      const d = decodeXORChunk(c.data);
      expect([...encodeXORChunk(d.times, d.values, 0, d.times.length)]).toEqual([...c.data]);
    }
  }, 30_000);

  test("Quiver streams the same samples", async () => {
    const store = new MemoryStorage();
    const app = store.appender();
    for (const s of series) s.timestamps.forEach((t, k) => app.append(0, s.labels, t, s.values[k]!));
    await app.commit();
    const area = remoteReadApi({ queryable: store, externalLabels: () => Labels.from({ site: "x" }) });
    const res = await area.handle(new Request("http://localhost/api/v1/read", { method: "POST", body: readBody() as Uint8Array<ArrayBuffer> }));
    expect(res.headers.get("content-type")).toBe("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
    const { bySeries } = decodeAll(new Uint8Array(await res.arrayBuffer()));
    for (const s of series) {
      const got = bySeries.get(s.labels.builder().set("site", "x").labels().toString())!;
      expect(got.times).toEqual(s.timestamps);
      expect(got.values).toEqual([...s.values]);
    }
  });
});
