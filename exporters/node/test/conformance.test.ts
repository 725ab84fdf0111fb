/**
 * Conformance of the node exporter against node_exporter's end-to-end fixtures (run with the flags of
 * upstream's end-to-end-test.sh): one test per collector (every family it emits must match the expected
 * output exactly: HELP, TYPE and every sample line, and the collector must succeed), and a whole-scrape test
 * that reports the share of expected families and samples reproduced. Skipped when ../shared is absent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sharedPath } from "../../../test/helpers/shared.ts";
import { COLLECTORS } from "../registry.ts";
import { type FixtureRun, compare, prepareFixtures, splitFamilies } from "./fixture-harness.ts";

const fixtures = sharedPath("conformance", "node_exporter", "fixtures");
/** Collectors whose expected data the fixtures cannot provide, with the reason. */
const NOT_COMPARABLE: Record<string, string> = {
  netdev: "upstream reads the host's `lo` through netlink; the fixture procfs has no net/dev",
};

let run: FixtureRun | null = null;
beforeAll(() => {
  if (fixtures) run = prepareFixtures(fixtures);
}, 60_000); // unpacking ~2,000 fixture files is slow on a loaded machine
afterAll(() => run?.cleanup());

describe.skipIf(!fixtures)("node_exporter e2e fixtures, per collector", () => {
  for (const name of [...COLLECTORS.keys()].sort()) {
    test(name, async () => {
      if (!run!.enabled.includes(name)) return; // not enabled by upstream's e2e flags (filesystem, timex, uname)
      const text = await run!.scrape([name]);
      if (NOT_COMPARABLE[name]) {
        expect(text).toContain(`node_scrape_collector_success{collector="${name}"}`);
        return;
      }
      expect(text).toContain(`node_scrape_collector_success{collector="${name}"} 1\n`);
      const r = compare(run!.expected, text);
      const emitted = [...splitFamilies(text).keys()].filter((n) => !n.startsWith("node_scrape_collector_"));
      const diffs = [...r.diffs.entries()].filter(([n]) => n !== "node_scrape_collector_success");
      expect(diffs).toEqual([]);
      // Every family the collector emits must exist in the expected output (unless upstream filters it).
      const expectedNames = splitFamilies(run!.expected);
      expect(emitted.filter((n) => !expectedNames.has(n) && !/^node_(textfile_mtime_seconds|time_(zone|seconds))/.test(n))).toEqual([]);
    });
  }
});

describe.skipIf(!fixtures)("node_exporter e2e fixtures, whole scrape", () => {
  test("emitted families match; report the share reproduced", async () => {
    const r = compare(run!.expected, await run!.scrape());
    console.log(
      `node exporter conformance: families ${r.matchedFamilies}/${r.expectedFamilies}, samples ${r.matchedSamples}/${r.expectedSamples}; ` +
        `in scope: families ${r.scope.matchedFamilies}/${r.scope.expectedFamilies}, samples ${r.scope.matchedSamples}/${r.scope.expectedSamples}`,
    );
    const success = r.diffs.get("node_scrape_collector_success");
    r.diffs.delete("node_scrape_collector_success");
    expect(success?.extra ?? []).toEqual(['node_scrape_collector_success{collector="netdev"} 0']);
    expect([...r.diffs.keys()]).toEqual([]);
    const absentInScope = r.absent.filter((n) => /^node_(network_(receive|transmit)_)/.test(n));
    expect(r.scope.expectedFamilies - r.scope.matchedFamilies).toBe(absentInScope.length + 1);
  });
});
