/** Property: the exposition number parser agrees bit for bit with JS's correctly rounded Number() on every decimal rendering. */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { parseFloatToken } from "../../../core/exposition/number.ts";

test("parseFloatToken matches Number() for decimal, exponent, fixed and precision renderings", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 0, max: 20 }), (d, prec, fixed) => {
      for (const str of [String(d), d.toExponential(), d.toPrecision(prec), Math.abs(d) < 1e21 ? d.toFixed(fixed) : String(d)]) {
        expect(Object.is(parseFloatToken(str, 0, str.length), Number(str))).toBe(true);
      }
    }),
    { numRuns: 5000 },
  );
});
