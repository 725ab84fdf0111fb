import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Labels } from "../../../core/model/labels.ts";
import { process, relabelConfig } from "../../../core/relabel/index.ts";

// Property tests of the documented relabel semantics (prometheus.io configuration docs, <relabel_config>).
const name = fc.stringMatching(/^[a-c_][a-c0-9_]{0,3}$/);
const value = fc.string({ unit: fc.constantFrom("a", "b", "c", ";", "\n", "é", "Z"), maxLength: 6 });
const labelsArb = fc.dictionary(name, value, { maxKeys: 6 }).map((o) => Labels.from(o));
// Small RE2 patterns valid in both engines.
const regexArb = fc.constantFrom("a.*", ".*b", "a|b", "[ab]+", "", ".*", "(a)(b)?", "c?", "_.*", "[^;]*;.*");
const num = { numRuns: 300 };

describe("relabel properties", () => {
  test("keep and drop with the same rule partition label sets", () => {
    fc.assert(fc.property(labelsArb, fc.array(name, { minLength: 1, maxLength: 3 }), regexArb, (ls, src, re) => {
      const keep = process(ls, [relabelConfig({ action: "keep", source_labels: src, regex: re })]);
      const drop = process(ls, [relabelConfig({ action: "drop", source_labels: src, regex: re })]);
      expect((keep === null) !== (drop === null)).toBe(true);
    }), num);
  });

  test("keep matches the fully anchored regex against joined source values", () => {
    fc.assert(fc.property(labelsArb, fc.array(name, { minLength: 1, maxLength: 3 }), regexArb, fc.constantFrom(";", ",", ""), (ls, src, re, sep) => {
      const joined = src.map((n) => ls.get(n)).join(sep);
      const kept = process(ls, [relabelConfig({ action: "keep", source_labels: src, regex: re, separator: sep })]) !== null;
      expect(kept).toBe(new RegExp(`^(?:${re})$`, "su").test(joined));
    }), num);
  });

  test("labeldrop and labelkeep split the label set by name", () => {
    fc.assert(fc.property(labelsArb, regexArb, (ls, re) => {
      const dropped = process(ls, [relabelConfig({ action: "labeldrop", regex: re })])!;
      const kept = process(ls, [relabelConfig({ action: "labelkeep", regex: re })])!;
      const anchored = new RegExp(`^(?:${re})$`, "su");
      dropped.forEach((n) => expect(anchored.test(n)).toBe(false));
      kept.forEach((n) => expect(anchored.test(n)).toBe(true));
      expect(dropped.size + kept.size).toBe(ls.size);
      ls.forEach((n, v) => expect((dropped.has(n) ? dropped : kept).get(n)).toBe(v));
    }), num);
  });

  test("default replace copies the joined source values into the target (or deletes it when empty)", () => {
    fc.assert(fc.property(labelsArb, fc.array(name, { minLength: 1, maxLength: 3 }), name, (ls, src, target) => {
      const out = process(ls, [relabelConfig({ source_labels: src, target_label: target })])!;
      const joined = src.map((n) => ls.get(n)).join(";");
      expect(out.get(target)).toBe(joined);
      out.forEach((n, v) => { if (n !== target) expect(ls.get(n)).toBe(v); });
    }), num);
  });

  test("hashmod yields a decimal in [0, modulus) and is deterministic", () => {
    fc.assert(fc.property(labelsArb, fc.array(name, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 2 ** 40 }), (ls, src, mod) => {
      const cfg = relabelConfig({ action: "hashmod", source_labels: src, target_label: "__tmp_hash", modulus: mod });
      const a = process(ls, [cfg])!.get("__tmp_hash");
      expect(a).toMatch(/^(0|[1-9][0-9]*)$/);
      expect(Number(a)).toBeLessThan(mod);
      expect(process(ls, [cfg])!.get("__tmp_hash")).toBe(a);
    }), num);
  });

  test("labelmap with (.*) → ${1} is the identity; prefixing copies every label", () => {
    fc.assert(fc.property(labelsArb, (ls) => {
      expect(process(ls, [relabelConfig({ action: "labelmap", regex: "(.*)", replacement: "${1}" })])!.equals(ls)).toBe(true);
      const out = process(ls, [relabelConfig({ action: "labelmap", regex: "(.*)", replacement: "p_${1}" })])!;
      ls.forEach((n, v) => {
        expect(out.get(n)).toBe(v);
        expect(out.get(`p_${n}`)).toBe(v);
      });
    }), num);
  });

  test("keepequal and dropequal partition and compare with the target's value", () => {
    fc.assert(fc.property(labelsArb, name, name, (ls, src, target) => {
      const ke = process(ls, [relabelConfig({ action: "keepequal", source_labels: [src], target_label: target })]);
      const de = process(ls, [relabelConfig({ action: "dropequal", source_labels: [src], target_label: target })]);
      expect((ke === null) !== (de === null)).toBe(true);
      expect(ke !== null).toBe(ls.get(src) === ls.get(target));
    }), num);
  });

  test("lowercase/uppercase are idempotent and never touch other labels", () => {
    fc.assert(fc.property(labelsArb, name, (ls, src) => {
      const lo = process(ls, [relabelConfig({ action: "lowercase", source_labels: [src], target_label: "t_lo" })])!;
      expect(lo.get("t_lo")).toBe(ls.get(src).toLowerCase());
      const up = process(ls, [relabelConfig({ action: "uppercase", source_labels: [src], target_label: "t_up" })])!;
      expect(up.get("t_up")).toBe(ls.get(src).toUpperCase());
    }), num);
  });

  test("process never mutates its input and is the identity without rules", () => {
    fc.assert(fc.property(labelsArb, regexArb, (ls, re) => {
      const before = ls.key();
      process(ls, [relabelConfig({ action: "labeldrop", regex: re }), relabelConfig({ target_label: "x", replacement: "y" })]);
      expect(ls.key()).toBe(before);
      expect(process(ls, [])).toBe(ls);
    }), num);
  });
});
