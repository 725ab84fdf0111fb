import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Engine } from "../../../../core/promql/index.ts";
import { QuiverError } from "../../../../core/util/errors.ts";
import { queries } from "../gen.ts";
import { fixtureStore } from "./fixture.ts";

const store = await fixtureStore();

describe("engine robustness (property)", () => {
  test("random well-formed queries return a result or a clean QuiverError", async () => {
    const engine = new Engine({ enableExperimentalFunctions: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(queries.vector, queries.scalar), fc.boolean(), async (q, range) => {
        try {
          const r = range
            ? await engine.rangeQuery(store, q, 0, 20 * 60_000, 60_000)
            : await engine.instantQuery(store, q, 15 * 60_000);
          expect(["vector", "matrix", "scalar"]).toContain(r.resultType);
        } catch (e) {
          if (!(e instanceof QuiverError)) throw new Error(`query ${q} threw a non-Quiver error: ${(e as Error).stack}`);
          expect(["bad_data", "execution"]).toContain(e.code);
        }
      }),
      { numRuns: 150 },
    );
  });
});
