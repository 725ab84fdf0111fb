import { describe, expect, test } from "bun:test";
import { Labels } from "../../../core/model/labels.ts";
import {
  expandTemplate, hashMod, parseRelabelConfigs, process, relabelConfig, type RelabelConfig,
} from "../../../core/relabel/index.ts";
import { ConfigError } from "../../../core/util/errors.ts";

type Case = { name: string; input: Record<string, string>; rules: unknown[]; output: Record<string, string> | null };

// Table of cases following Prometheus's documented relabel semantics (and model/relabel's test data).
const CASES: Case[] = [
  { name: "replace with capture", input: { a: "foo", b: "bar", c: "baz" },
    rules: [{ source_labels: ["a"], regex: "f(.*)", target_label: "d", replacement: "ch${1}-ch${1}" }],
    output: { a: "foo", b: "bar", c: "baz", d: "choo-choo" } },
  { name: "replace joins sources with separator", input: { a: "foo", b: "bar", c: "baz" },
    rules: [{ source_labels: ["a", "b"], regex: "f(.*);(.*)r", target_label: "a", replacement: "b${1}${2}m" },
      { source_labels: ["c", "a"], regex: "(b).*b(.*)ba(.*)", target_label: "d", replacement: "$1$2$2$3" }],
    output: { a: "boobam", b: "bar", c: "baz", d: "boooom" } },
  { name: "drop on match", input: { a: "foo" }, rules: [{ source_labels: ["a"], regex: ".*o.*", action: "drop" }], output: null },
  { name: "keep on no match drops", input: { a: "boo" }, rules: [{ source_labels: ["a"], regex: "f.*", action: "keep" }], output: null },
  { name: "keep on match", input: { a: "foo" }, rules: [{ source_labels: ["a"], regex: "f.*", action: "keep" }], output: { a: "foo" } },
  { name: "regex is anchored", input: { a: "foo" }, rules: [{ source_labels: ["a"], regex: "o", action: "drop" }], output: { a: "foo" } },
  { name: "no match, no replacement", input: { a: "boo" }, rules: [{ source_labels: ["a"], regex: "f", target_label: "b", replacement: "bar" }], output: { a: "boo" } },
  { name: "blank replacement deletes the target", input: { a: "foo", f: "baz" },
    rules: [{ source_labels: ["a"], regex: "(f).*", target_label: "$1", replacement: "$2" }], output: { a: "foo" } },
  { name: "hashmod (Prometheus test value)", input: { a: "foo", b: "bar", c: "baz" },
    rules: [{ source_labels: ["c"], target_label: "d", action: "hashmod", modulus: 1000 }], output: { a: "foo", b: "bar", c: "baz", d: "976" } },
  { name: "hashmod with newline (Prometheus test value)", input: { a: "foo\nbar" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "hashmod", modulus: 1000 }], output: { a: "foo\nbar", b: "734" } },
  { name: "labelmap", input: { a: "foo", b1: "bar", b2: "baz" },
    rules: [{ regex: "(b.*)", replacement: "bar_${1}", action: "labelmap" }], output: { a: "foo", b1: "bar", b2: "baz", bar_b1: "bar", bar_b2: "baz" } },
  { name: "labelmap meta", input: { a: "foo", __meta_my_bar: "aaa", __meta_my_baz: "bbb", __meta_other: "ccc" },
    rules: [{ regex: "__meta_(my.*)", replacement: "${1}", action: "labelmap" }],
    output: { a: "foo", __meta_my_bar: "aaa", __meta_my_baz: "bbb", __meta_other: "ccc", my_bar: "aaa", my_baz: "bbb" } },
  { name: "labeldrop", input: { a: "foo", b1: "bar", b2: "baz" }, rules: [{ regex: "(b.*)", action: "labeldrop" }], output: { a: "foo" } },
  { name: "labelkeep", input: { a: "foo", b1: "bar", b2: "baz" }, rules: [{ regex: "(b.*)", action: "labelkeep" }], output: { b1: "bar", b2: "baz" } },
  { name: "replace with default regex from empty source sets constant", input: { a: "foo" },
    rules: [{ target_label: "b", replacement: "x" }], output: { a: "foo", b: "x" } },
  { name: "invalid expanded target is skipped", input: { a: "some-name-value" },
    rules: [{ source_labels: ["a"], regex: "some-([^-]+)-([^,]+)", target_label: "${1}", replacement: "${2}" }],
    output: { a: "some-name-value", name: "value" } },
  { name: "invalid expanded target (leading digit) is skipped", input: { a: "some-0name-v" },
    rules: [{ source_labels: ["a"], regex: "some-([^-]+)-([^,]+)", target_label: "${1}", replacement: "${2}" }],
    output: { a: "some-0name-v" } },
  { name: "$1x refers to a group named 1x (empty)", input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(f)oo", target_label: "b", replacement: "$1x" }], output: { a: "foo" } },
  { name: "named groups and $$", input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(?P<first>f)(?P<rest>.*)", target_label: "b", replacement: "${rest}$$${first}" }],
    output: { a: "foo", b: "oo$f" } },
  { name: "lowercase", input: { foo: "bAr123Foo", "__name__": "m" },
    rules: [{ source_labels: ["foo"], action: "lowercase", target_label: "foo_lower" }],
    output: { foo: "bAr123Foo", foo_lower: "bar123foo", __name__: "m" } },
  { name: "uppercase of multiple sources", input: { foo: "bAr", bar: "bAz" },
    rules: [{ source_labels: ["foo", "bar"], action: "uppercase", target_label: "up" }], output: { foo: "bAr", bar: "bAz", up: "BAR;BAZ" } },
  { name: "uppercase keeps ß (no simple mapping)", input: { a: "straße" },
    rules: [{ source_labels: ["a"], action: "uppercase", target_label: "b" }], output: { a: "straße", b: "STRAßE" } },
  { name: "keepequal keeps when equal", input: { __tmp_port: "1234", __port1: "1234" },
    rules: [{ source_labels: ["__tmp_port"], action: "keepequal", target_label: "__port1" }], output: { __tmp_port: "1234", __port1: "1234" } },
  { name: "keepequal drops when different", input: { __tmp_port: "1234", __port1: "5678" },
    rules: [{ source_labels: ["__tmp_port"], action: "keepequal", target_label: "__port1" }], output: null },
  { name: "dropequal drops when equal", input: { __tmp_port: "1234", __port1: "1234" },
    rules: [{ source_labels: ["__tmp_port"], action: "dropequal", target_label: "__port1" }], output: null },
  { name: "dropequal keeps when different", input: { __tmp_port: "1234", __port1: "5678" },
    rules: [{ source_labels: ["__tmp_port"], action: "dropequal", target_label: "__port1" }], output: { __tmp_port: "1234", __port1: "5678" } },
  { name: "action is case-insensitive", input: { a: "x" }, rules: [{ source_labels: ["a"], regex: "x", action: "DROP" }], output: null },
  { name: "dot matches newline", input: { a: "foo\nbar" }, rules: [{ source_labels: ["a"], regex: "foo.bar", action: "keep" }], output: { a: "foo\nbar" } },
  { name: "absent source label reads as empty", input: { a: "x" }, rules: [{ source_labels: ["zz"], regex: "", action: "keep" }], output: { a: "x" } },
];

describe("relabel process (table)", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const cfgs = parseRelabelConfigs(c.rules, "relabel_configs");
      const out = process(Labels.from(c.input), cfgs);
      if (c.output === null) expect(out).toBeNull();
      else expect(out?.toObject()).toEqual(Labels.from(c.output).toObject());
    });
  }
});

describe("hashmod", () => {
  test("md5, last 8 bytes big-endian, mod", () => {
    // Independent check: md5("baz") = 73feffa4b7f6bb68e44cf984c85f6e88; 0xe44cf984c85f6e88 % 1000 = 976.
    expect((0xe44cf984c85f6e88n % 1000n).toString()).toBe("976");
    expect(hashMod("baz", 1000)).toBe("976");
    expect(hashMod("", 1)).toBe("0");
  });
});

describe("template expansion (Go regexp.Expand rules)", () => {
  const m = /(?<g>a)(b)?(c)/.exec("ac")!;
  test.each([
    ["$1", "a"], ["${1}", "a"], ["$2", ""], ["$3", "c"], ["$9", ""], ["${g}", "a"], ["$g", "a"],
    ["$$1", "$1"], ["$", "$"], ["x$-y", "x$-y"], ["${1", "${1"], ["$01", ""], ["${1}x", "ax"], ["$1x", ""],
  ])("%s → %s", (tpl, want) => {
    expect(expandTemplate(tpl, m)).toBe(want);
  });
});

type BadCase = [string, unknown, string];
const BAD: BadCase[] = [
  ["empty action", [{ action: "" }], "relabel action cannot be empty"],
  ["unknown action", [{ action: "explode" }], 'unknown relabel action "explode"'],
  ["hashmod needs modulus", [{ action: "hashmod", target_label: "a", source_labels: ["b"] }], "relabel configuration for hashmod requires non-zero modulus"],
  ["replace needs target", [{ source_labels: ["a"] }], "relabel configuration for replace action requires 'target_label' value"],
  ["invalid target", [{ source_labels: ["a"], target_label: "0bad" }], `"0bad" is invalid 'target_label' for replace action`],
  ["invalid templated target", [{ source_labels: ["a"], target_label: "${1}-x" }], `"\${1}-x" is invalid 'target_label' for replace action`],
  ["lowercase with replacement", [{ source_labels: ["a"], action: "lowercase", target_label: "b", replacement: "x" }], "'replacement' can not be set for lowercase action"],
  ["labelmap bad replacement", [{ action: "labelmap", regex: "(.*)", replacement: "-$1" }], `"-$1" is invalid 'replacement' for labelmap action`],
  ["keepequal extra fields", [{ action: "keepequal", source_labels: ["a"], target_label: "b", regex: "x" }], "keepequal action requires only 'source_labels' and `target_label`, and no other fields"],
  ["labeldrop extra fields", [{ action: "labeldrop", regex: "x", source_labels: ["a"] }], "labeldrop action requires only 'regex', and no other fields"],
  ["RE2 rejects backreference", [{ action: "keep", source_labels: ["a"], regex: "(a)\\1" }], "error parsing regexp"],
  ["RE2 rejects lookahead", [{ action: "keep", source_labels: ["a"], regex: "a(?=b)" }], "error parsing regexp"],
  ["unknown key", [{ action: "keep", source_labels: ["a"], regexp: "x" }], 'unknown key "regexp"'],
  ["invalid source label", [{ action: "keep", source_labels: ["a-b"] }], '"a-b" is not a valid label name'],
  ["modulus type", [{ action: "hashmod", source_labels: ["a"], target_label: "b", modulus: "3" }], "expected a non-negative integer"],
];

describe("relabel config validation", () => {
  for (const [name, raw, msg] of BAD) {
    test(name, () => {
      let err: unknown;
      try {
        parseRelabelConfigs(raw, "scrape_configs[0].relabel_configs");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(msg);
      expect((err as Error).message).toStartWith("scrape_configs[0].relabel_configs[0]");
    });
  }

  test("defaults", () => {
    const [c] = parseRelabelConfigs([{ target_label: "x" }], "r") as [RelabelConfig];
    expect(c.action).toBe("replace");
    expect(c.separator).toBe(";");
    expect(c.regex).toBe("(.*)");
    expect(c.replacement).toBe("$1");
    expect(c.source_labels).toEqual([]);
  });

  test("relabelConfig helper validates", () => {
    expect(() => relabelConfig({ action: "hashmod", target_label: "x" })).toThrow(ConfigError);
  });
});
