/**
 * WAL segments: framing, rotation, sequential tail reads by (segment, offset), repair and checkpoints.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lastCheckpoint, writeCheckpoint } from "../../../../core/tsdb/wal/checkpoint.ts";
import { scanSegment, segmentName } from "../../../../core/tsdb/wal/segment.ts";
import { WAL } from "../../../../core/tsdb/wal/wal.ts";
import { tempDir } from "../helpers.ts";

const rec = (i: number, len = 100) => new Uint8Array(len).fill(i & 0xff);

describe("WAL", () => {
  test("rotates segments and reads records back in order by segment/offset", () => {
    const { dir, cleanup } = tempDir();
    try {
      const wal = new WAL(dir, { segmentSize: 1000 });
      wal.startSegment();
      for (let i = 0; i < 30; i++) wal.log([rec(i)]);
      expect(wal.segments().length).toBeGreaterThan(2);
      const seen: number[] = [];
      for (const s of wal.segments()) {
        let off = 0;
        for (;;) {
          const r = wal.readRecords(s, off);
          for (const p of r.records) seen.push(p[0]!);
          if (r.nextOffset === off) break;
          off = r.nextOffset;
        }
      }
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
      wal.close();
    } finally {
      cleanup();
    }
  });

  test("a torn tail reads as corruption at the last good frame and repair truncates there", () => {
    const { dir, cleanup } = tempDir();
    try {
      const wal = new WAL(dir);
      wal.startSegment();
      for (let i = 0; i < 5; i++) wal.log([rec(i)]);
      wal.close();
      const p = join(dir, segmentName(0));
      const b = readFileSync(p);
      writeFileSync(p, b.subarray(0, b.length - 3));
      const r = scanSegment(readFileSync(p), 0, () => {});
      expect(r.corruption).toContain("torn");
      expect(r.end).toBe(4 * 108);
      const w2 = new WAL(dir);
      expect(w2.repair(0, r.end)).toBe(108 - 3);
      expect(statSync(p).size).toBe(4 * 108);
    } finally {
      cleanup();
    }
  });

  test("checkpoint keeps filtered records and replaces older checkpoints", () => {
    const { dir, cleanup } = tempDir();
    try {
      const wal = new WAL(dir, { segmentSize: 500 });
      wal.startSegment();
      for (let i = 0; i < 20; i++) wal.log([rec(i)]);
      const upTo = wal.rotate() - 1;
      const kept = writeCheckpoint(dir, upTo, (p) => (p[0]! % 2 === 0 ? p : null));
      expect(kept).toBe(10);
      wal.truncateBefore(upTo + 1);
      const cp = lastCheckpoint(dir)!;
      expect(cp.index).toBe(upTo);
      const got: number[] = [];
      scanSegment(readFileSync(join(cp.dir, segmentName(0))), 0, (p) => got.push(p[0]!));
      expect(got).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      expect(wal.segments()).toEqual([upTo + 1]);
      wal.close();
    } finally {
      cleanup();
    }
  });
});
