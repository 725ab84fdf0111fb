/**
 * Conformance of the node exporter against node_exporter's end-to-end fixtures (run with the flags of
 * upstream's end-to-end-test.sh). Every family Quiver emits that the expected output contains must match
 * it exactly (HELP, TYPE and every sample line), except the documented exceptions below. Skipped when
 * ../shared is absent.
 */
import { describe, expect, test } from "bun:test";
import { sharedPath } from "../../../test/helpers/shared.ts";
import { runConformance } from "./fixture-harness.ts";

const fixtures = sharedPath("conformance", "node_exporter", "fixtures");

describe("node_exporter e2e fixtures", () => {
  test.skipIf(!fixtures)("emitted families match the expected output exactly", async () => {
    const r = await runConformance(fixtures!);
    console.log(
      `node exporter conformance: families ${r.matchedFamilies}/${r.expectedFamilies}, samples ${r.matchedSamples}/${r.expectedSamples}; ` +
        `in scope: families ${r.scope.matchedFamilies}/${r.scope.expectedFamilies}, samples ${r.scope.matchedSamples}/${r.scope.expectedSamples}`,
    );
    // node_scrape_collector_success lists upstream's 63 collectors; ours must agree for every collector we
    // run, except netdev: upstream reads the host's `lo` through netlink, the fixture procfs has no net/dev.
    const success = r.diffs.get("node_scrape_collector_success");
    r.diffs.delete("node_scrape_collector_success");
    expect(success?.extra ?? []).toEqual(['node_scrape_collector_success{collector="netdev"} 0']);
    expect([...r.diffs.keys()]).toEqual([]);
    // Expected families of implemented collectors that are absent: only netdev's (netlink-only, see above).
    const absentInScope = r.absent.filter((n) => /^node_(network_(receive|transmit)_)/.test(n));
    expect(r.scope.expectedFamilies - r.scope.matchedFamilies).toBe(absentInScope.length + 1);
  });
});
