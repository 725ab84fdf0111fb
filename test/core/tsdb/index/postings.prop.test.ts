/**
 * Matcher resolution through postings must select exactly the series a brute-force scan with
 * Prometheus's matcher semantics selects (including matchers that match the empty string).
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Labels } from "../../../../core/model/labels.ts";
import { matchAll, newMatcher, type MatchType } from "../../../../core/model/matcher.ts";
import { MemPostings } from "../../../../core/tsdb/index/mem-postings.ts";
import { postingsForMatchers } from "../../../../core/tsdb/index/postings.ts";

const names = ["__name__", "a", "b"];
const values = ["", "x", "y", "xy", "z"];
const labelsArb = fc.record({ __name__: fc.constantFrom("m1", "m2"), a: fc.constantFrom(...values), b: fc.constantFrom(...values) });
const matcherArb = fc.record({
  type: fc.constantFrom<MatchType>("=", "!=", "=~", "!~"),
  name: fc.constantFrom(...names, "missing"),
  value: fc.constantFrom("", "x", "y", "x.*", ".*", ".+", "x|", "m1", "z|xy"),
});

describe("postingsForMatchers", () => {
  test("equals a brute-force scan", () => {
    fc.assert(fc.property(fc.uniqueArray(labelsArb, { selector: (o) => JSON.stringify(o), maxLength: 30 }), fc.array(matcherArb, { minLength: 1, maxLength: 3 }), (series, ms) => {
      const p = new MemPostings();
      const ls = series.map((o) => Labels.from(o));
      ls.forEach((l, i) => p.add(i + 1, l));
      const matchers = ms.map((m) => newMatcher(m.type, m.name, m.value));
      const got = [...postingsForMatchers(p, matchers)];
      const want = ls.map((l, i) => (matchAll(matchers, l) ? i + 1 : 0)).filter((x) => x > 0);
      expect(got).toEqual(want);
    }), { numRuns: 500 });
  });
});
