import { describe, expect, test } from "bun:test";
import { FUNCTION_IMPLS } from "../../../../core/promql/functions/index.ts";
import { FUNCTIONS } from "../../../../core/promql/parser/functions.ts";

describe("function tables", () => {
  test("signature table and implementation table have the same key set", () => {
    const sigs = [...FUNCTIONS.keys()].sort();
    const impls = [...FUNCTION_IMPLS.keys()].sort();
    expect(impls).toEqual(sigs);
  });

  test("every signature is well formed", () => {
    for (const [name, f] of FUNCTIONS) {
      expect(f.name).toBe(name);
      expect(["scalar", "vector", "matrix", "string"]).toContain(f.returnType);
      expect(f.variadic).toBeGreaterThanOrEqual(-1);
    }
  });
});
