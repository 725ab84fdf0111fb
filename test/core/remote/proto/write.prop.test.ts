import { expect, test } from "bun:test";
import fc from "fast-check";
import { Labels } from "../../../../core/model/labels.ts";
import { decodeReadRequest, decodeReadResponse, encodeReadRequest, encodeReadResponse, type ReadRequestData } from "../../../../core/remote/proto/read.ts";
import { RawLabelCache } from "../../../../core/remote/proto/label-cache.ts";
import { decodeWriteRequest, encodeWriteRequest, type SeriesSamples } from "../../../../core/remote/proto/write.ts";

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const labelValue = fc.string({ minLength: 1, maxLength: 60, unit: "binary" }).filter((s) => !/[\ud800-\udfff]/.test(s));
const labelsArb = fc.dictionary(labelName, labelValue, { minKeys: 1, maxKeys: 6 }).map((o) => Labels.from(o));
const ts = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
const bits = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
const seriesArb = fc.record({
  labels: labelsArb,
  samples: fc.array(fc.tuple(ts, bits), { maxLength: 40 }),
});

function toSeries(s: { labels: Labels; samples: Array<[number, [number, number]]> }): SeriesSamples & { bits: Uint32Array } {
  const values = new Float64Array(s.samples.length);
  const u = new Uint32Array(values.buffer);
  s.samples.forEach(([, [lo, hi]], i) => { u[2 * i] = lo; u[2 * i + 1] = hi; });
  return { labels: s.labels, timestamps: s.samples.map(([t]) => t), values, bits: u };
}

test("WriteRequest encode → decode round trip keeps labels, times and value bits", () => {
  fc.assert(fc.property(fc.array(seriesArb, { maxLength: 8 }), (raw) => {
    const series = raw.map(toSeries);
    const b = encodeWriteRequest(series);
    const got: Array<{ labels: string; t: number[]; stale: boolean[]; v: number[] }> = [];
    decodeWriteRequest(b, {
      series: (l) => got.push({ labels: l.toString(), t: [], stale: [], v: [] }),
      sample: (t, v, st) => { const g = got[got.length - 1]!; g.t.push(t); g.v.push(v); g.stale.push(st); },
      histogram: () => { throw new Error("no histograms"); },
    });
    expect(got.length).toBe(series.length);
    series.forEach((s, i) => {
      expect(got[i]!.labels).toBe(s.labels.toString());
      expect(got[i]!.t).toEqual(Array.from(s.timestamps));
      for (let j = 0; j < s.values.length; j++) {
        const stale = s.bits[2 * j] === 2 && s.bits[2 * j + 1] === 0x7ff00000;
        expect(got[i]!.stale[j]).toBe(stale);
        if (!Number.isNaN(s.values[j]!)) expect(Object.is(got[i]!.v[j], s.values[j])).toBe(true);
        else expect(Number.isNaN(got[i]!.v[j]!)).toBe(true);
      }
    });
  }), { numRuns: 60 });
});

test("a label cache shared across requests changes nothing", () => {
  const cache = new RawLabelCache(8);
  fc.assert(fc.property(fc.array(seriesArb, { maxLength: 6 }), (raw) => {
    const b = encodeWriteRequest(raw.map(toSeries)).slice();
    const plain: string[] = [], cached: string[] = [], again: string[] = [];
    const sink = (out: string[], labelCache?: RawLabelCache) => ({
      labelCache, series: (l: Labels, d: string | undefined) => out.push(`${l.toString()}|${d}`), sample: (t: number) => out.push(String(t)), histogram: () => {},
    });
    decodeWriteRequest(b, sink(plain));
    decodeWriteRequest(b, sink(cached, cache));
    decodeWriteRequest(b, sink(again, cache));
    expect(cached).toEqual(plain);
    expect(again).toEqual(plain);
  }), { numRuns: 100 });
});

test("ReadResponse encode → decode keeps value bits exactly", () => {
  fc.assert(fc.property(fc.array(fc.array(seriesArb, { maxLength: 4 }), { maxLength: 3 }), (raw) => {
    const results = raw.map((q) => q.map((s) => { const x = toSeries(s); return { labels: x.labels, timestamps: Float64Array.from(x.timestamps as number[]), values: x.values }; }));
    const back = decodeReadResponse(encodeReadResponse(results).slice());
    expect(back.length).toBe(results.length);
    results.forEach((q, i) => q.forEach((s, j) => {
      const b = back[i]![j]!;
      expect(b.labels.toString()).toBe(s.labels.toString());
      expect([...b.timestamps]).toEqual([...s.timestamps]);
      expect([...new Uint32Array(b.values.buffer)]).toEqual([...new Uint32Array(s.values.buffer)]);
    }));
  }), { numRuns: 60 });
});

test("ReadRequest encode → decode round trip", () => {
  const matcher = fc.record({ type: fc.constantFrom("=", "!=", "=~", "!~" as const), name: labelName, value: fc.string({ maxLength: 20 }) });
  const query = fc.record({
    startTimestampMs: ts, endTimestampMs: ts, matchers: fc.array(matcher, { maxLength: 4 }),
    hints: fc.option(fc.record({ stepMs: fc.nat(), func: fc.constantFrom("", "rate", "sum"), startMs: ts, endMs: ts, grouping: fc.array(labelName, { maxLength: 3 }), by: fc.boolean(), rangeMs: fc.nat() }), { nil: undefined }),
  });
  fc.assert(fc.property(fc.record({ queries: fc.array(query, { maxLength: 3 }), acceptedResponseTypes: fc.array(fc.constantFrom(0, 1), { maxLength: 2 }) }), (req) => {
    const r = req as ReadRequestData;
    const back = decodeReadRequest(encodeReadRequest(r));
    const norm = (x: ReadRequestData) => JSON.parse(JSON.stringify({ ...x, queries: x.queries.map((q) => ({ ...q, hints: q.hints })) }));
    expect(norm(back)).toEqual(norm(r));
  }), { numRuns: 200 });
});

test("decoding arbitrary bytes never throws anything but a bad_data error", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    try {
      decodeWriteRequest(b, { series: () => {}, sample: () => {}, histogram: () => {} });
    } catch (e) {
      expect((e as { code?: string }).code).toBe("bad_data");
    }
    try { decodeReadRequest(b); } catch (e) { expect((e as { code?: string }).code).toBe("bad_data"); }
  }), { numRuns: 2000 });
});
