import { describe, expect, test } from "bun:test";
import { Labels } from "../../../../core/model/labels.ts";
import { STALE_NAN_HI, STALE_NAN_LO } from "../../../../core/model/value.ts";
import { RawLabelCache } from "../../../../core/remote/proto/label-cache.ts";
import { decodeWriteRequest, encodeWriteRequest, type MetricMetadata } from "../../../../core/remote/proto/write.ts";
import { ProtoError } from "../../../../core/remote/proto/wire.ts";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

interface Got { series: string[]; samples: Array<[number, number, boolean]>; hist: number[]; meta: MetricMetadata[]; dups: (string | undefined)[] }
function collect(b: Uint8Array, labelCache?: RawLabelCache): Got {
  const g: Got = { series: [], samples: [], hist: [], meta: [], dups: [] };
  decodeWriteRequest(b, {
    labelCache,
    series: (l, d) => { g.series.push(l.toString()); g.dups.push(d); },
    sample: (t, v, s) => g.samples.push([t, v, s]),
    histogram: (t) => g.hist.push(t),
    metadata: (m) => g.meta.push(m),
  });
  return g;
}

// Hand-built per the proto definitions: Label{1:name,2:value}, Sample{1:double,2:int64}.
const LABEL_NAME_UP = "0a0e 0a08 5f5f6e616d655f5f 1202 7570"; // __name__="up"
const LABEL_JOB_X = "0a08 0a03 6a6f62 1201 78"; // job="x"

describe("WriteRequest decoding of hand-built bytes", () => {
  test("labels, samples and int64 timestamps", () => {
    // TimeSeries { labels up, job; samples {1.0, 1000}, {0 (omitted), 2000}, {2.5, -5 (10-byte varint)} }
    const ts = `${LABEL_NAME_UP} ${LABEL_JOB_X} 120c 09000000000000f03f 10e807 1203 10d00f 1214 090000000000000440 10fbffffffffffffffff01`;
    const body = hex(`0a43 ${ts}`);
    const g = collect(body);
    expect(g.series).toEqual(['up{job="x"}']);
    expect(g.samples).toEqual([[1000, 1, false], [2000, 0, false], [-5, 2.5, false]]);
  });

  test("samples before labels, unknown fields and reserved field 2 are skipped", () => {
    // TimeSeries: sample first, then an unknown varint field 9, then labels.
    const inner = `120b 090000000000000040 1064 4801 ${LABEL_JOB_X} 0a0a 0a01 61 1205 7a7a7a7a7a`;
    const len = hex(inner).length.toString(16).padStart(2, "0");
    const body = hex(`1003 0a${len} ${inner} 2a00`);
    const g = collect(body);
    expect(g.series).toEqual(['{a="zzzzz", job="x"}']);
    expect(g.samples).toEqual([[100, 2, false]]);
  });

  test("labels interleaved with samples decode the same with a label cache (hit and miss)", () => {
    // TimeSeries: label job, a sample, label a (label fields not contiguous), then a contiguous one.
    const inner = `${LABEL_JOB_X} 120b 090000000000000040 1064 0a0a 0a01 61 1205 7a7a7a7a7a`;
    const len = hex(inner).length.toString(16).padStart(2, "0");
    const body = hex(`0a${len} ${inner} 0a1e ${LABEL_NAME_UP} 120c 09000000000000f03f 10e807`);
    const cache = new RawLabelCache(1);
    const plain = collect(body);
    expect(plain.series).toEqual(['{a="zzzzz", job="x"}', "up"]);
    expect(collect(body, cache)).toEqual(plain);
    expect(collect(body, cache)).toEqual(plain);
    expect(cache.size).toBe(1);
  });

  test("label cache entries are compared byte for byte and bounded", () => {
    const cache = new RawLabelCache(2);
    const a = hex(`0a1e ${LABEL_NAME_UP} 120c 09000000000000f03f 10e807`);
    const b = hex(`0a18 ${LABEL_JOB_X} 120c 09000000000000f03f 10e807`);
    expect(collect(a, cache).series).toEqual(["up"]);
    expect(collect(b, cache).series).toEqual(['{job="x"}']);
    expect(collect(a, cache).series).toEqual(["up"]);
    expect(cache.size).toBe(2);
    // A third set clears the full cache first.
    const c = hex(`0a1d 0a0e 0a08 5f5f6e616d655f5f 1202 7571 120b 090000000000000040 1001`);
    expect(collect(c, cache).series).toEqual(["uq"]);
    expect(cache.size).toBe(1);
    expect(cache.get(new DataView(a.buffer), 2, 18, 0)).toBeUndefined();
  });

  test("staleness marker bits are flagged", () => {
    const body = hex(`0a1e ${LABEL_NAME_UP} 120c 09 020000000000f07f 10e807`);
    const g = collect(body);
    expect(g.samples.length).toBe(1);
    expect(g.samples[0]![2]).toBe(true);
    expect(Number.isNaN(g.samples[0]![1])).toBe(true);
    expect(STALE_NAN_HI).toBe(0x7ff00000);
    expect(STALE_NAN_LO).toBe(2);
  });

  test("duplicate label names are reported; empty values dropped", () => {
    const body = hex(`0a21 ${LABEL_JOB_X} ${LABEL_JOB_X} 0a06 0a01 62 1201 63 0a03 0a01 64`);
    const g = collect(body);
    expect(g.series).toEqual(['{b="c", job="x"}']);
    expect(g.dups).toEqual(["job"]);
  });

  test("histograms are counted with their timestamp; metadata decoded", () => {
    // Histogram { count_int=1: 3, schema (sint32)=4: 0, timestamp=15: 7000 } as field 4 of TimeSeries.
    const body = hex(`0a19 ${LABEL_NAME_UP} 2207 0803 2000 78d836 1a11 0801 1203 7570 73 2205 68656c6c6f 2a01 73`);
    const g = collect(body);
    expect(g.hist).toEqual([7000]);
    expect(g.meta).toEqual([{ type: "counter", metricFamilyName: "ups", help: "hello", unit: "s" }]);
  });

  test.each([
    ["truncated length", "0a43 0a0e"],
    ["length past the end", "0a05 0a"],
    ["truncated sample value", "0a0d 0a00 1209 090000000000"],
    ["truncated varint", "0a05 1203 10e8"],
    ["bad wire type", "0f"],
  ])("%s is a ProtoError", (_name, h) => {
    expect(() => collect(hex(h))).toThrow(ProtoError);
  });
});

describe("WriteRequest encoding", () => {
  test("matches the hand-built bytes (zero value omitted as gogo does)", () => {
    const b = encodeWriteRequest([{ labels: Labels.from({ __name__: "up", job: "x" }), timestamps: [1000, 2000, -5], values: new Float64Array([1, 0, 2.5]) }]);
    expect(Buffer.from(b).toString("hex")).toBe(
      "0a430a0e0a085f5f6e616d655f5f120275700a080a036a6f62120178120c09000000000000f03f10e807120310d00f121409000000000000044010fbffffffffffffffff01",
    );
  });

  test("external labels merge in sorted order, series labels win", () => {
    const b = encodeWriteRequest([{ labels: Labels.from({ __name__: "up", replica: "own" }), timestamps: [1], values: new Float64Array([1]) }], [],
      undefined, Labels.from({ replica: "a", cluster: "c1", zone: "z" }));
    expect(collect(b).series).toEqual(['up{cluster="c1", replica="own", zone="z"}']);
  });

  test("long strings and series with many samples use multi-byte lengths", () => {
    const long = "x".repeat(300) + "é";
    const n = 5000;
    const ts = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 15000);
    const vals = new Float64Array(n).map((_, i) => i * 0.5);
    const b = encodeWriteRequest([{ labels: Labels.from({ __name__: "m", l: long }), timestamps: ts, values: vals }]);
    const g = collect(b);
    expect(g.series).toEqual([`m{l="${long}"}`]);
    expect(g.samples.length).toBe(n);
    expect(g.samples[4999]).toEqual([ts[4999]!, 4999 * 0.5, false]);
  });
});
