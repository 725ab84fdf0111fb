import { expect, test } from "bun:test";
import fc from "fast-check";
import snappy from "snappyjs";
import { snappyCompress, snappyUncompress } from "../../../core/remote/snappy.ts";
import { BadDataError } from "../../../core/util/errors.ts";

// Repetitive inputs (like remote-write bodies) make long and overlapping back-references.
const chunks = fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(new Uint8Array(300).fill(7), new TextEncoder().encode("__name__node_cpu_seconds_total".repeat(5)))), { maxLength: 40 });

test("decompression inverts snappyjs compression and agrees with snappyjs decompression", () => {
  fc.assert(fc.property(chunks, fc.nat(5), (parts, rep) => {
    const one = Uint8Array.from(parts.flatMap((p) => [...p]));
    const input = new Uint8Array(one.length * (rep + 1));
    for (let i = 0; i <= rep; i++) input.set(one, i * one.length);
    const c = snappyCompress(input);
    const back = snappyUncompress(c);
    expect(back).toEqual(input);
    expect(back).toEqual(snappy.uncompress(c));
  }), { numRuns: 300 });
});

test("corrupt blocks are BadDataError, never a partial result", () => {
  const good = snappyCompress(new TextEncoder().encode("abcdefgh".repeat(20)));
  const cases: Uint8Array[] = [
    Uint8Array.of(0x0a, 0x00, 0x61), // header says 10, only one byte of output
    Uint8Array.of(0x02, 0x08, 0x61, 0x62, 0x63), // literal longer than the header's length
    Uint8Array.of(0x04, 0x00, 0x61, 0x0d, 0x05), // copy offset beyond what was written
    Uint8Array.of(0x04, 0x00, 0x61, 0x0d, 0x00), // copy offset 0
    Uint8Array.of(0x05, 0x10, 0x61), // literal running past the input
    good.subarray(0, good.length - 1),
    Uint8Array.of(0x80, 0x80),
  ];
  for (const b of cases) expect(() => snappyUncompress(b)).toThrow(BadDataError);
  expect(() => snappyUncompress(Uint8Array.of(0x81, 0x01, 0x00), 100)).toThrow(/exceeds the limit/);
  expect(snappyUncompress(Uint8Array.of(0x00))).toEqual(new Uint8Array(0));
});
