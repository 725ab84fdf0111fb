import { expect, test } from "bun:test";
import fc from "fast-check";
import { decodeXORChunk, encodeXORChunk } from "../../../../core/remote/proto/xor-chunk.ts";
import { crc32c } from "../../../../core/remote/proto/chunked.ts";

const deltas = fc.oneof(fc.constant(15_000), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 2 ** 40 }));
const bits = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
const valueBits = fc.oneof(bits, fc.constantFrom<[number, number]>([0, 0], [2, 0x7ff00000], [0, 0x3ff00000]));

test("XOR chunk encode → decode keeps times and value bits", () => {
  fc.assert(fc.property(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.array(fc.tuple(deltas, valueBits), { minLength: 1, maxLength: 120 }), (t0, pts) => {
    const times: number[] = [];
    const values = new Float64Array(pts.length);
    const u = new Uint32Array(values.buffer);
    let t = t0;
    pts.forEach(([d, [lo, hi]], i) => { if (i > 0) t += d; times.push(t); u[2 * i] = lo; u[2 * i + 1] = hi; });
    const back = decodeXORChunk(encodeXORChunk(times, values, 0, times.length));
    expect(back.times).toEqual(times);
    expect([...new Uint32Array(back.values.buffer)]).toEqual([...u]);
  }), { numRuns: 300 });
});

test("CRC-32C check values", () => {
  expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
  expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
});

test("a chunk ending on a byte boundary after a whole-byte write keeps Prometheus's empty trailing byte", () => {
  // One sample: 2-byte count, varint t (1 byte for t = 1), 8 value bytes, then bstream's empty byte.
  const one = encodeXORChunk([1], new Float64Array([1]), 0, 1);
  expect([...one]).toEqual([0, 1, 2, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0]);
  expect(decodeXORChunk(one).times).toEqual([1]);
});
