/**
 * WAL record codecs: series, samples (narrow and wide time ranges, NaN payloads) and tombstones.
 */
import { describe, expect, test } from "bun:test";
import { decodeSamples, decodeSeries, decodeTombstones, encodeSamples, encodeSeries, encodeTombstones } from "../../../../core/tsdb/record/record.ts";
import { StringCache } from "../../../../core/tsdb/record/bytes.ts";
import { L, bitsAt } from "../helpers.ts";

describe("records", () => {
  test("series round-trip (UTF-8, long values)", () => {
    const s = [{ ref: 1, labels: L({ __name__: "up", job: "ñødé", x: "v".repeat(300) }) }, { ref: 99999, labels: L({ __name__: "a" }) }];
    const d = decodeSeries(encodeSeries(s));
    expect(d.map((x) => [x.ref, x.labels.toString()])).toEqual(s.map((x) => [x.ref, x.labels.toString()]));
    const cache = new StringCache();
    for (let i = 0; i < 3; i++) {
      const c = decodeSeries(encodeSeries(s), cache);
      expect(c.map((x) => [x.ref, x.labels.toString()])).toEqual(s.map((x) => [x.ref, x.labels.toString()]));
    }
  });

  for (const [name, span] of [["narrow", 60_000], ["wide (> 2^31 ms)", 5e12]] as const) {
    test(`samples round-trip, ${name}`, () => {
      const n = 7;
      const refs = Uint32Array.from({ length: n }, (_, i) => i * 3 + 1);
      const times = Float64Array.from({ length: n }, (_, i) => 1.7e12 + Math.floor((i * span) / n));
      const vals = Float64Array.from({ length: n }, (_, i) => i * 1.5);
      new Uint32Array(vals.buffer).set([2, 0x7ff00000], 2); // staleness marker at index 1
      const enc = encodeSamples(n, refs, times, vals);
      const unaligned = new Uint8Array(enc.length + 1);
      unaligned.set(enc, 1);
      const d = decodeSamples(unaligned.subarray(1));
      expect([...d.refs]).toEqual([...refs]);
      expect([...d.times]).toEqual([...times]);
      expect(bitsAt(d.values, 1)).toBe("7ff0000000000002");
      expect(d.values[6]).toBe(9);
    });
  }

  test("tombstones round-trip and malformed input throws", () => {
    const t = [{ ref: 5, mint: -10, maxt: 1.7e12 }];
    expect(decodeTombstones(encodeTombstones(t))).toEqual(t);
    expect(() => decodeSamples(new Uint8Array([2, 0, 0, 0, 9, 0, 0, 0]))).toThrow(RangeError);
    expect(() => decodeSeries(new Uint8Array([1, 5]))).toThrow(RangeError);
  });
});
