import { describe, expect, test } from "bun:test";
import { Labels } from "../../../../core/model/labels.ts";
import { labelsHash, xxhash64 } from "../../../../core/promql/engine/xxhash.ts";

const enc = new TextEncoder();

describe("xxhash64", () => {
  test.each([
    ["", 0xef46db3751d8e999n],
    ["a", 0xd24ec4f1a98c6e5bn],
    ["abc", 0x44bc2cf5ad770999n],
    ["Nobody inspects the spammish repetition", 0xfbcea83c8a378bf1n],
  ])("XXH64(%p)", (s, want) => {
    expect(xxhash64(enc.encode(s))).toBe(want);
  });

  test("label hash is XXH64 of name\\xffvalue\\xff pairs", () => {
    const l = Labels.from({ __name__: "up", job: "x" });
    const bytes = [...enc.encode("__name__"), 0xff, ...enc.encode("up"), 0xff, ...enc.encode("job"), 0xff, ...enc.encode("x"), 0xff];
    expect(labelsHash(l)).toBe(xxhash64(Uint8Array.from(bytes)));
  });
});
