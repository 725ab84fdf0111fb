import { expect, test } from "bun:test";
import fc from "fast-check";
import { formatFloat, sprintf } from "../../../core/template/index.ts";

test("%v (shortest %g) round-trips every finite double", () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const s = formatFloat(x, "g", -1);
    expect(Object.is(Number(s), x)).toBe(true);
  }), { numRuns: 2000 });
});

test("%.Nf agrees with toFixed except at exact ties (Go rounds half to even)", () => {
  fc.assert(fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, p) => {
    const ours = sprintf(`%.${p}f`, [x]);
    const js = x.toFixed(p);
    if (ours !== js) {
      // Only a tie may differ, by one unit in the last place.
      const diff = Math.abs(Number(ours) - Number(js));
      expect(diff).toBeLessThanOrEqual(Math.pow(10, -p) * 1.0000001);
    }
  }), { numRuns: 2000 });
});

test("%e keeps the requested precision and a two-digit exponent", () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 1e-300, max: 1e300 }), fc.integer({ min: 0, max: 10 }), (x, p) => {
    expect(formatFloat(x, "e", p)).toMatch(new RegExp(`^\\d${p > 0 ? `\\.\\d{${p}}` : ""}e[+-]\\d{2,3}$`));
  }), { numRuns: 1000 });
});
