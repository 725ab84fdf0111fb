import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { otlpApi, OTLP_DISABLED_MSG } from "../../../../core/api/remote/otlp.ts";
import { newMatcher } from "../../../../core/model/matcher.ts";
import { isStaleAt } from "../../../../core/model/value.ts";
import { prometheusLabelName, prometheusMetricName } from "../../../../core/push/otlp/translate.ts";
import { ProtoWriter, WireType } from "../../../../core/remote/proto/wire.ts";
import { MemoryStorage } from "../../../../core/storage/memory.ts";

// A tiny OTLP encoder for the tests (field numbers of opentelemetry-proto metrics/v1).
type Attr = [string, string | number | boolean];
function kv(w: ProtoWriter, field: number, [k, v]: Attr) {
  const m = w.beginLen(field);
  w.stringField(1, k);
  const a = w.beginLen(2);
  if (typeof v === "string") w.stringField(1, v);
  else if (typeof v === "boolean") { w.tag(2, WireType.Varint); w.uvarint(v ? 1 : 0); }
  else if (Number.isInteger(v)) { w.tag(3, WireType.Varint); w.int64(v); }
  else { w.tag(4, WireType.Fixed64); w.double(v); }
  w.endLen(a);
  w.endLen(m);
}
function fixed64(w: ProtoWriter, field: number, v: bigint) {
  w.tag(field, WireType.Fixed64);
  w.ensure(8);
  w.view.setBigUint64(w.pos, v, true);
  w.pos += 8;
}
const NS = (ms: number) => BigInt(ms) * 1_000_000n;
interface Pt { attrs?: Attr[]; t: number; v?: number; int?: boolean; flags?: number; count?: number; sum?: number; buckets?: number[]; bounds?: number[]; quantiles?: Array<[number, number]> }
interface Mt { name: string; unit?: string; kind: "gauge" | "sum" | "histogram" | "summary" | "exponential_histogram"; monotonic?: boolean; temporality?: number; points: Pt[] }

function encode(resource: Attr[], metrics: Mt[]): Uint8Array {
  const w = new ProtoWriter();
  const rm = w.beginLen(1);
  const res = w.beginLen(1);
  for (const a of resource) kv(w, 1, a);
  w.endLen(res);
  const sm = w.beginLen(2);
  const sc = w.beginLen(1); w.stringField(1, "test-scope"); w.endLen(sc);
  for (const m of metrics) {
    const mm = w.beginLen(2);
    w.stringField(1, m.name);
    if (m.unit) w.stringField(3, m.unit);
    const field = { gauge: 5, sum: 7, histogram: 9, exponential_histogram: 10, summary: 11 }[m.kind];
    const body = w.beginLen(field);
    for (const p of m.points) {
      const pm = w.beginLen(1);
      fixed64(w, 3, NS(p.t));
      if (m.kind === "gauge" || m.kind === "sum") {
        if (p.int) fixed64(w, 6, BigInt(p.v!)); else { w.tag(4, WireType.Fixed64); w.double(p.v!); }
        for (const a of p.attrs ?? []) kv(w, 7, a);
        if (p.flags) { w.tag(8, WireType.Varint); w.uvarint(p.flags); }
      } else if (m.kind === "histogram") {
        fixed64(w, 4, BigInt(p.count!));
        if (p.sum !== undefined) { w.tag(5, WireType.Fixed64); w.double(p.sum); }
        const bc = w.beginLen(6); for (const b of p.buckets!) { w.ensure(8); w.view.setBigUint64(w.pos, BigInt(b), true); w.pos += 8; } w.endLen(bc);
        const eb = w.beginLen(7); for (const b of p.bounds!) w.double(b); w.endLen(eb);
        for (const a of p.attrs ?? []) kv(w, 9, a);
      } else if (m.kind === "summary") {
        fixed64(w, 4, BigInt(p.count!));
        w.tag(5, WireType.Fixed64); w.double(p.sum!);
        for (const [q, v] of p.quantiles!) { const qm = w.beginLen(6); w.tag(1, WireType.Fixed64); w.double(q); w.tag(2, WireType.Fixed64); w.double(v); w.endLen(qm); }
        for (const a of p.attrs ?? []) kv(w, 7, a);
      }
      w.endLen(pm);
    }
    if (m.temporality !== undefined) { w.tag(2, WireType.Varint); w.uvarint(m.temporality); }
    if (m.monotonic) { w.tag(3, WireType.Varint); w.uvarint(1); }
    w.endLen(body);
    w.endLen(mm);
  }
  w.endLen(sm);
  w.endLen(rm);
  return w.bytes().slice();
}

const T = 1_767_225_600_123;

async function dump(store: MemoryStorage): Promise<Record<string, number[]>> {
  const q = await store.querier(0, Number.MAX_SAFE_INTEGER);
  const r = await q.select([newMatcher("=~", "__name__", ".+")], { start: 0, end: Number.MAX_SAFE_INTEGER });
  const out: Record<string, number[]> = {};
  for (const s of r.series) out[s.labels.toString()] = [...s.values];
  return out;
}

function post(app: { handle(r: Request): Promise<Response> }, body: Uint8Array, headers: Record<string, string> = { "content-type": "application/x-protobuf" }) {
  return app.handle(new Request("http://localhost/api/v1/otlp/v1/metrics", { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers }));
}

describe("OTLP name translation (Prometheus 3 defaults)", () => {
  test.each([
    [{ name: "http.server.duration", unit: "s", kind: "histogram" }, "http_server_duration_seconds"],
    [{ name: "http.server.requests", unit: "{request}", kind: "sum", monotonic: true }, "http_server_requests_total"],
    [{ name: "requests_total", unit: "", kind: "sum", monotonic: true }, "requests_total"],
    [{ name: "process.memory.usage", unit: "By", kind: "gauge" }, "process_memory_usage_bytes"],
    [{ name: "network.io", unit: "By/s", kind: "sum", monotonic: true }, "network_io_bytes_per_second_total"],
    [{ name: "cpu.utilization", unit: "1", kind: "gauge" }, "cpu_utilization_ratio"],
    [{ name: "latency_seconds", unit: "s", kind: "gauge" }, "latency_seconds"],
    [{ name: "queue..size__now", unit: "", kind: "sum", monotonic: false }, "queue_size_now"],
    [{ name: "2xx.responses", unit: "", kind: "gauge" }, "_2xx_responses"],
    [{ name: "temp", unit: "Cel", kind: "gauge" }, "temp_celsius"],
  ] as const)("%o → %s", (m, want) => {
    expect(prometheusMetricName({ monotonic: false, ...m } as never)).toBe(want);
  });

  test.each([["http.method", "http_method"], ["1st", "key_1st"], ["_private", "key_private"], ["__reserved", "__reserved"], ["ok_name", "ok_name"]])("label %s → %s", (k, want) => {
    expect(prometheusLabelName(k)).toBe(want);
  });
});

describe("POST /api/v1/otlp/v1/metrics", () => {
  const resource: Attr[] = [["service.name", "checkout"], ["service.namespace", "shop"], ["service.instance.id", "i-1"], ["host.name", "h1"]];

  test("gauges, sums, histograms and summaries become Prometheus series", async () => {
    const store = new MemoryStorage();
    const app = otlpApi({ appendable: store, enabled: true });
    const body = encode(resource, [
      { name: "process.memory.usage", unit: "By", kind: "gauge", points: [{ t: T, v: 1024, int: true, attrs: [["http.method", "GET"], ["1st", "x"]] }] },
      { name: "http.server.requests", unit: "{request}", kind: "sum", monotonic: true, temporality: 2, points: [{ t: T, v: 7.5 }] },
      { name: "queue.size", kind: "sum", temporality: 2, points: [{ t: T, v: 3 }] },
      { name: "http.server.duration", unit: "s", kind: "histogram", temporality: 2, points: [{ t: T, count: 6, sum: 4.2, buckets: [1, 2, 3], bounds: [0.1, 1] }] },
      { name: "rpc.latency", unit: "ms", kind: "summary", points: [{ t: T, count: 4, sum: 10, quantiles: [[0.5, 2], [0.99, 5]] }] },
    ]);
    const res = await post(app, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    expect(await dump(store)).toEqual({
      'http_server_duration_seconds_bucket{instance="i-1", job="shop/checkout", le="+Inf"}': [6],
      'http_server_duration_seconds_bucket{instance="i-1", job="shop/checkout", le="0.1"}': [1],
      'http_server_duration_seconds_bucket{instance="i-1", job="shop/checkout", le="1"}': [3],
      'http_server_duration_seconds_count{instance="i-1", job="shop/checkout"}': [6],
      'http_server_duration_seconds_sum{instance="i-1", job="shop/checkout"}': [4.2],
      'http_server_requests_total{instance="i-1", job="shop/checkout"}': [7.5],
      'process_memory_usage_bytes{http_method="GET", instance="i-1", job="shop/checkout", key_1st="x"}': [1024],
      'queue_size{instance="i-1", job="shop/checkout"}': [3],
      'rpc_latency_milliseconds{instance="i-1", job="shop/checkout", quantile="0.5"}': [2],
      'rpc_latency_milliseconds{instance="i-1", job="shop/checkout", quantile="0.99"}': [5],
      'rpc_latency_milliseconds_count{instance="i-1", job="shop/checkout"}': [4],
      'rpc_latency_milliseconds_sum{instance="i-1", job="shop/checkout"}': [10],
      'target_info{host_name="h1", instance="i-1", job="shop/checkout"}': [1],
    });
    const q = await store.querier(0, Number.MAX_SAFE_INTEGER);
    const s = await q.select([newMatcher("=", "__name__", "queue_size")], { start: 0, end: Number.MAX_SAFE_INTEGER });
    expect([...s.series[0]!.timestamps]).toEqual([T]);
  });

  test("no-recorded-value points are staleness markers; delta and exponential histograms are skipped", async () => {
    const store = new MemoryStorage();
    const app = otlpApi({ appendable: store, enabled: true });
    const res = await post(app, gzipSync(encode([["service.name", "svc"]], [
      { name: "g", kind: "gauge", points: [{ t: T, v: 1 }, { t: T + 1000, v: 0, flags: 1 }] },
      { name: "d", kind: "sum", monotonic: true, temporality: 1, points: [{ t: T, v: 1 }] },
      { name: "e", kind: "exponential_histogram", points: [] },
    ])), { "content-type": "application/x-protobuf", "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    const q = await store.querier(0, Number.MAX_SAFE_INTEGER);
    const r = await q.select([newMatcher("=~", "__name__", ".+")], { start: 0, end: Number.MAX_SAFE_INTEGER });
    expect(r.series.map((s) => s.labels.toString())).toEqual(['g{job="svc"}']);
    expect(isStaleAt(r.series[0]!.values, 1)).toBe(true);
  });

  test("status codes: disabled 404, JSON 415, garbage 400, out of order 400", async () => {
    const store = new MemoryStorage();
    expect(await (await post(otlpApi({ appendable: store, enabled: false }), new Uint8Array())).text()).toBe(OTLP_DISABLED_MSG + "\n");
    const app = otlpApi({ appendable: store, enabled: true });
    expect((await post(app, new Uint8Array([1]), { "content-type": "application/json" })).status).toBe(415);
    expect((await post(app, new Uint8Array([0x0a, 0x7f]))).status).toBe(400);
    expect((await post(app, encode([], [{ name: "g", kind: "gauge", points: [{ t: T, v: 1 }] }]))).status).toBe(200);
    const ooo = await post(app, encode([], [{ name: "g", kind: "gauge", points: [{ t: T - 1000, v: 1 }] }]));
    expect(ooo.status).toBe(400);
    expect(await ooo.text()).toContain("out of order sample");
  });
});
