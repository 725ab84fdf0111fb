import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Labels } from "../../../../core/model/labels.ts";
import { decodeWriteRequestV2, encodeWriteRequestV2 } from "../../../../core/remote/proto/write-v2.ts";
import { ProtoError } from "../../../../core/remote/proto/wire.ts";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

function collect(b: Uint8Array) {
  const out: { series: string[]; samples: Array<[number, number, boolean]>; meta: string[]; counts?: unknown } = { series: [], samples: [], meta: [] };
  out.counts = decodeWriteRequestV2(b, {
    series: (l) => out.series.push(l.toString()),
    sample: (t, v, s) => out.samples.push([t, v, s]),
    histogram: () => {},
    metadata: (m) => out.meta.push(`${m.metricFamilyName}:${m.type}:${m.help}:${m.unit}`),
  });
  return out;
}

describe("remote write 2.0 Request", () => {
  test("hand-built bytes: symbol table, label refs, samples, metadata", () => {
    // symbols ["", "__name__", "up", "job", "x", "Help."]; one series {__name__=up, job=x}, sample 1@1000,
    // metadata {type GAUGE (2), help_ref 5}.
    const body = hex(
      "2200 2208 5f5f6e616d655f5f 2202 7570 2203 6a6f62 2201 78 2205 48656c702e" +
      "2a1a 0a04 01020304 120c 09000000000000f03f 10e807 2a04 0802 1805",
    );
    const got = collect(body);
    expect(got.series).toEqual(['up{job="x"}']);
    expect(got.samples).toEqual([[1000, 1, false]]);
    expect(got.meta).toEqual(["up:gauge:Help.:"]);
    expect(got.counts).toEqual({ samples: 1, histograms: 0, exemplars: 0 });
  });

  test.each([
    ["label ref out of range", "2200 2201 61 2a04 0a02 0107", /out of range/],
    ["odd number of refs", "2200 2201 61 2a03 0a01 01", /odd number/],
    ["symbols[0] not empty", "2201 61 2a04 0a02 0000", /symbols\[0\] must be the empty string/],
    ["symbols after series", "2200 2a00 2201 61", /symbols must come before timeseries/],
  ])("%s is rejected", (_n, h, msg) => {
    expect(() => collect(hex(h))).toThrow(ProtoError);
    expect(() => collect(hex(h))).toThrow(msg);
  });

  test("encode → decode round trip; each string interned once", () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    fc.assert(fc.property(fc.array(fc.record({
      labels: fc.dictionary(name, fc.string({ minLength: 1, maxLength: 10 }), { minKeys: 1, maxKeys: 4 }),
      samples: fc.array(fc.tuple(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.double()), { maxLength: 5 }),
    }), { maxLength: 6 }), (raw) => {
      const series = raw.map((r) => ({ labels: Labels.from(r.labels), timestamps: r.samples.map((s) => s[0]), values: Float64Array.from(r.samples.map((s) => s[1])) }));
      const b = encodeWriteRequestV2(series).slice();
      const got = collect(b);
      expect(got.series).toEqual(series.map((s) => s.labels.toString()));
      expect(got.samples.map(([t]) => t)).toEqual(series.flatMap((s) => s.timestamps));
      const vals = got.samples.map(([, v]) => v);
      series.flatMap((s) => [...s.values]).forEach((v, i) => expect(Object.is(vals[i], v) || (Number.isNaN(v) && Number.isNaN(vals[i]!))).toBe(true));
    }), { numRuns: 100 });
    const b = encodeWriteRequestV2([
      { labels: Labels.from({ __name__: "a", job: "j" }), timestamps: [1], values: new Float64Array([1]) },
      { labels: Labels.from({ __name__: "b", job: "j" }), timestamps: [1], values: new Float64Array([1]) },
    ]);
    // "", "__name__", "a", "job", "j", "b": "job" and "j" appear once.
    expect(Buffer.from(b).toString("latin1").split("job").length).toBe(2);
  });
});
