import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatExpr, parseExpr, type Expr } from "../../../../core/promql/parser/index.ts";
import { queries } from "../gen.ts";

/** The AST without positions and spelling details, for structural comparison. */
function strip(e: unknown): unknown {
  if (Array.isArray(e)) return e.map(strip);
  if (e && typeof e === "object") {
    if ("matches" in e && "type" in e && "name" in e && "value" in e) {
      const m = e as { type: string; name: string; value: string };
      return { t: m.type, n: m.name, v: m.value };
    }
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === "pos" || k === "bareName" || k === "duration" || k === "groupingWritten" || k === "explicit") continue;
      if (k === "val" && typeof v === "number" && Number.isNaN(v)) {
        o[k] = "NaN";
        continue;
      }
      o[k] = strip(v);
    }
    return o;
  }
  return e;
}

describe("parser round trip (property)", () => {
  test("parse → format → parse gives the same AST", () => {
    fc.assert(
      fc.property(fc.oneof(queries.vector, queries.scalar), (q) => {
        const a = parseExpr(q);
        const printed = formatExpr(a);
        let b: Expr;
        try {
          b = parseExpr(printed);
        } catch (e) {
          throw new Error(`re-parse of ${JSON.stringify(printed)} (from ${JSON.stringify(q)}) failed: ${(e as Error).message}`);
        }
        expect(strip(b)).toEqual(strip(a));
        expect(formatExpr(b)).toBe(printed);
      }),
      { numRuns: 400 },
    );
  });
});
