import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatValue, isStaleAt, setStaleAt, STALE_NAN } from "../../../core/model/value.ts";

describe("values", () => {
  test("formatValue renders API floats as Prometheus does", () => {
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(Infinity)).toBe("+Inf");
    expect(formatValue(-Infinity)).toBe("-Inf");
    expect(formatValue(1)).toBe("1");
    expect(formatValue(0.1)).toBe("0.1");
    expect(formatValue(1e21)).toBe("1000000000000000000000");
  });

  test("formatValue round-trips every finite double", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => Object.is(Number(formatValue(v)), v) || (v === 0 && Number(formatValue(v)) === 0)));
  });

  test("the staleness marker survives in typed arrays bit for bit", () => {
    const a = new Float64Array(3);
    a[0] = NaN;
    setStaleAt(a, 1);
    a[2] = STALE_NAN;
    expect(isStaleAt(a, 0)).toBe(false);
    expect(isStaleAt(a, 1)).toBe(true);
    const copy = a.slice();
    expect(isStaleAt(copy, 1)).toBe(true);
  });
});
