/**
 * Compaction planning and retention decisions (table-driven, metadata only).
 */
import { describe, expect, test } from "bun:test";
import type { BlockMeta } from "../../../../core/tsdb/block/types.ts";
import { plan, retention, type PlanBlock } from "../../../../core/tsdb/compact/planner.ts";

const H = 3600_000;
function b(ulid: string, min: number, max: number, extra: Partial<PlanBlock> = {}): PlanBlock {
  const meta: BlockMeta = { ulid, minTime: min * H, maxTime: max * H, stats: { numSamples: 1, numSeries: 10, numChunks: 1 }, compaction: { level: 1, sources: [ulid] }, version: 1, format: "quiver-arrow-1" };
  return { meta, tombstones: 0, size: 100, ...extra };
}
const RANGES = [2 * H, 6 * H, 18 * H];

describe("plan", () => {
  const cases: Array<[string, PlanBlock[], string[]]> = [
    ["nothing", [], []],
    ["single", [b("A", 0, 2)], []],
    ["overlap first", [b("A", 0, 2), b("B", 1, 3), b("C", 4, 6)], ["A", "B"]],
    ["complete 6h window", [b("A", 0, 2), b("B", 2, 4), b("C", 4, 6), b("D", 6, 8)], ["A", "B", "C"]],
    ["newest excluded, window incomplete", [b("A", 0, 2), b("B", 2, 4)], []],
    ["tombstone-heavy block rewritten", [b("A", 0, 2, { tombstones: 5 })], ["A"]],
    ["few tombstones left alone", [b("A", 0, 18, { tombstones: 0 })], []],
  ];
  for (const [name, blocks, want] of cases) test(name, () => expect(plan(blocks, RANGES)).toEqual(want));
});

describe("retention", () => {
  test("time: blocks ending more than the retention before the newest end", () => {
    const bs = [b("A", 0, 2), b("B", 2, 4), b("C", 10, 12)];
    expect([...retention(bs, 8 * H, 0, 0)].sort()).toEqual(["A"]);
  });
  test("size: oldest blocks go first, WAL bytes count", () => {
    const bs = [b("A", 0, 2), b("B", 2, 4), b("C", 4, 6)];
    expect([...retention(bs, 0, 250, 0)].sort()).toEqual(["A"]);
    expect([...retention(bs, 0, 250, 100)].sort()).toEqual(["A", "B"]);
  });
});
