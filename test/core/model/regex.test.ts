import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { compileAnchored, compileUnanchored, RegexError } from "../../../core/model/regex.ts";
import { Matcher } from "../../../core/model/matcher.ts";
import { Labels } from "../../../core/model/labels.ts";

describe("RE2 regexes", () => {
  test.each([
    ["foo.*", "foobar", true], ["foo", "foobar", false], ["a|b", "b", true], [".*", "line\nbreak", true],
    ["(?i)abc", "ABC", true], ["\\Qa.b\\E", "a.b", true], ["\\Qa.b\\E", "axb", false], ["[[:digit:]]+", "123", true],
    ["(?P<x>a)b", "ab", true], ["x\\z", "x", true], ["^+OK", "OK", true],
  ])("anchored %p on %p → %p", (re, s, want) => expect(compileAnchored(re).test(s)).toBe(want));

  test.each(["(?=a)", "(?!a)", "(?<=a)b", "a\\1", "[a", "a**", "\\"])("rejects %p as RE2 does", (re) => {
    expect(() => compileAnchored(re)).toThrow(RegexError);
    expect(() => compileAnchored(re)).toThrow("error parsing regexp");
  });

  test("quantified assertions: ^+ is ^, ^* and ^? match empty", () => {
    expect(compileUnanchored("^+OK").test("xOK")).toBe(false);
    expect(compileUnanchored("a^*b").test("ab")).toBe(true);
    expect(compileUnanchored("a$?b").test("ab")).toBe(true);
  });

  test("a literal pattern escaped for regex matches exactly itself", () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (lit, other) => {
      const re = compileAnchored(lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      return re.test(lit) && (other === lit || !re.test(other));
    }));
  });
});

describe("matchers", () => {
  test("absent labels are empty and regex matchers are anchored", () => {
    const ls = Labels.from({ job: "node", env: "" });
    expect(new Matcher("=", "env", "").matchesLabels(ls)).toBe(true);
    expect(new Matcher("!=", "env", "").matchesLabels(ls)).toBe(false);
    expect(new Matcher("=~", "job", "no").matchesLabels(ls)).toBe(false);
    expect(new Matcher("=~", "job", "no.*").matchesLabels(ls)).toBe(true);
    expect(new Matcher("!~", "job", "no.*").matchesLabels(ls)).toBe(false);
    expect(new Matcher("=~", "missing", ".*").matchesEmpty()).toBe(true);
    expect(new Matcher("=~", "job", "a|b").toString()).toBe('job=~"a|b"');
  });
});
