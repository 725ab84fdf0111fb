import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runFile } from "../../../../core/promql/promqltest/runner.ts";
import { sharedPath } from "../../../helpers/shared.ts";

const dir = sharedPath("conformance", "promql");

describe("promqltest conformance (stable scripts)", () => {
  if (!dir) {
    test.skip("shared conformance data missing", () => {});
    return;
  }
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".test")).sort()) {
    test(`${f}: every eval not needing native histograms passes`, async () => {
      const r = await runFile(join(dir, f));
      const realFailures = r.failures.filter((x) => !x.includes("[native histograms]") && !x.includes("load failed"));
      expect(realFailures).toEqual([]);
      expect(r.failed).toBe(r.unsupported);
      expect(r.passed).toBeGreaterThan(0);
    });
  }
});
