/**
 * Round-trip properties of every chunk encoding: block columns (timestamps, values with constant,
 * decimal, XOR and raw fallbacks) and the head's streaming XOR chunk, bit for bit including NaN
 * payloads, −0 and infinities.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeTimestamps, decodeValues, encodeTimestamps, encodeValues, EncodeScratch, ValEnc } from "../../../../core/tsdb/chunkenc/columns.ts";
import { decodeXor, XorAppender } from "../../../../core/tsdb/chunkenc/xor.ts";
import { ByteReader, ByteWriter } from "../../../../core/tsdb/record/bytes.ts";

/** Values as 64-bit patterns [lo, hi] so NaN payloads are explicit. */
const bitsArb = fc.oneof(
  fc.double().map((d) => { const f = new Float64Array([d]); const u = new Uint32Array(f.buffer); return [u[0]!, u[1]!] as const; }),
  fc.constantFrom([2, 0x7ff00000] as const, [1, 0x7ff80000] as const, [0, 0x80000000] as const, [0, 0x7ff00000] as const),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => { const f = new Float64Array([n / 100]); const u = new Uint32Array(f.buffer); return [u[0]!, u[1]!] as const; }),
  fc.integer({ min: 0, max: 1e9 }).map((n) => { const f = new Float64Array([n * 4096]); const u = new Uint32Array(f.buffer); return [u[0]!, u[1]!] as const; }),
);

function toArray(bits: ReadonlyArray<readonly [number, number]>): Float64Array {
  const v = new Float64Array(bits.length);
  const u = new Uint32Array(v.buffer);
  bits.forEach(([lo, hi], i) => { u[2 * i] = lo; u[2 * i + 1] = hi; });
  return v;
}

function words(v: Float64Array): number[] {
  return [...new Uint32Array(v.buffer, v.byteOffset, v.length * 2)];
}

const tsArb = fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 300 }).chain((deltas) =>
  fc.integer({ min: -1e12, max: 2e12 }).map((t0) => {
    const t = new Float64Array(deltas.length);
    let x = t0;
    deltas.forEach((d, i) => { x += i === 0 ? 0 : d; t[i] = x; });
    return t;
  }));

describe("block column encodings", () => {
  test("values round-trip bit-exactly", () => {
    const sc = new EncodeScratch();
    fc.assert(fc.property(fc.array(bitsArb, { minLength: 1, maxLength: 300 }), (bits) => {
      const v = toArray(bits);
      const w = new ByteWriter();
      encodeValues(w, v, v.length, sc);
      const out = new Float64Array(v.length + 2);
      decodeValues(new ByteReader(w.bytes()), v.length, out, new Uint32Array(out.buffer), 1);
      expect(words(out.subarray(1, 1 + v.length))).toEqual(words(v));
    }), { numRuns: 500 });
  });

  test("decimal-looking series choose the decimal encoding and stay small", () => {
    const v = new Float64Array(480);
    let ticks = 123456789;
    for (let i = 0; i < v.length; i++) { ticks += 1500 + (i % 13); v[i] = ticks / 100; }
    const w = new ByteWriter();
    encodeValues(w, v, v.length, new EncodeScratch());
    expect(w.bytes()[0]).toBe(ValEnc.Decimal);
    expect(w.len).toBeLessThan(v.length * 2);
    const c = new Float64Array(480).fill(3.25);
    const w2 = new ByteWriter();
    encodeValues(w2, c, c.length, new EncodeScratch());
    expect(w2.bytes()[0]).toBe(ValEnc.Const);
    expect(w2.len).toBe(9);
  });

  test("timestamps round-trip", () => {
    fc.assert(fc.property(tsArb, (t) => {
      const w = new ByteWriter();
      encodeTimestamps(w, t, t.length);
      const out = new Float64Array(t.length);
      expect(decodeTimestamps(new ByteReader(w.bytes()), out)).toBe(t.length);
      expect([...out]).toEqual([...t]);
    }), { numRuns: 300 });
  });
});

describe("head XOR chunk", () => {
  test("streaming append then decode is bit-exact", () => {
    fc.assert(fc.property(tsArb, fc.array(bitsArb, { minLength: 300, maxLength: 300 }), (t, bits) => {
      const v = toArray(bits.slice(0, t.length));
      const u = new Uint32Array(v.buffer);
      const app = new XorAppender();
      for (let i = 0; i < t.length; i++) app.append(t[i]!, u[2 * i + 1]!, u[2 * i]!);
      const ot = new Float64Array(t.length), ov = new Float64Array(t.length);
      decodeXor(app.w.buf, app.n, ot, new Uint32Array(ov.buffer), 0);
      expect([...ot]).toEqual([...t]);
      expect(words(ov)).toEqual(words(v));
    }), { numRuns: 300 });
  });
});
