/**
 * The runtime's adjtimex capability: the shared result wrapping, and a live read-only call through the
 * detected adapter (bun:ffi here) where glibc's LP64 layout applies.
 */
import { describe, expect, test } from "bun:test";
import { adjtimexResult, adjtimexSupported, TIMEX_SIZE } from "../../../core/runtime/adjtimex.ts";
import { detectRuntime } from "../../../core/runtime/index.ts";

describe("adjtimex", () => {
  test("a failed call (-1) is undefined; a state wraps the whole buffer", () => {
    const buf = new Uint8Array(TIMEX_SIZE);
    expect(adjtimexResult(-1, buf)).toBeUndefined();
    const r = adjtimexResult(5, buf)!;
    expect(r.state).toBe(5);
    expect(r.timex.byteLength).toBe(208);
  });

  test.skipIf(!adjtimexSupported())("live read-only call: a clock state and a filled struct timex", () => {
    const rt = detectRuntime();
    const r = rt.adjtimex();
    expect(r).toBeDefined();
    expect(r!.state).toBeGreaterThanOrEqual(0);
    expect(r!.state).toBeLessThanOrEqual(5);
    expect(r!.timex.getUint32(0, true)).toBe(0); // modes stays 0: nothing was adjusted
    expect(Number(r!.timex.getBigInt64(88, true))).toBeGreaterThan(0); // tick (µs) is always set
    expect(rt.adjtimex()!.timex.buffer).not.toBe(r!.timex.buffer); // a fresh buffer per call
  });
  if (!adjtimexSupported()) console.warn("adjtimex live test skipped: not Linux on x86_64/aarch64");
});
