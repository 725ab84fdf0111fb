/**
 * Corruption handling: a truncated or bit-flipped WAL segment is repaired by truncating at the first
 * bad record (earlier data kept, the store opens, the corruption is counted); a damaged block is
 * reported and skipped but never deleted.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newMatcher } from "../../../core/model/matcher.ts";
import { DB } from "../../../core/tsdb/db.ts";
import { L, tempDir } from "./helpers.ts";

const OPTS = { backgroundCompaction: false, retentionTime: 0 };
const ALL = [newMatcher("=~", "__name__", ".+")];

/** Writes `batches` commits of 5 series each (t = i·1000) and closes the store. */
async function fill(dir: string, batches: number): Promise<void> {
  const db = await DB.open(dir, OPTS);
  for (let i = 0; i < batches; i++) {
    const a = db.appender();
    for (let s = 0; s < 5; s++) a.append(0, L({ __name__: "m", s: String(s) }), i * 1000, i);
    await a.commit();
  }
  await db.close();
}

async function batchesPresent(db: DB): Promise<number[]> {
  const q = await db.querier(-Infinity, Infinity);
  const r = await q.select(ALL, { start: -Infinity, end: Infinity });
  q.close();
  const counts = new Map<number, number>();
  for (const s of r.series) for (const t of s.timestamps) counts.set(t / 1000, (counts.get(t / 1000) ?? 0) + 1);
  for (const n of counts.values()) expect(n).toBe(5);
  return [...counts.keys()].sort((a, b) => a - b);
}

function lastSegment(dir: string): string {
  const segs = readdirSync(join(dir, "wal")).filter((f) => /^\d{8}$/.test(f)).sort();
  // the newest segment is the empty one opened at close/open time; take the last non-empty one
  const nonEmpty = segs.filter((f) => statSync(join(dir, "wal", f)).size > 0);
  return join(dir, "wal", nonEmpty[nonEmpty.length - 1]!);
}

describe("WAL corruption", () => {
  const cases: Array<{ name: string; damage: (seg: string) => void; keepsAtLeast: number }> = [
    { name: "torn tail (truncated mid-record)", damage: (seg) => truncateSync(seg, statSync(seg).size - 7), keepsAtLeast: 49 },
    { name: "bit flip in the middle", damage: (seg) => {
      const b = readFileSync(seg);
      b[Math.floor(b.length / 2)]! ^= 0x10;
      writeFileSync(seg, b);
    }, keepsAtLeast: 10 },
    { name: "zeroed tail", damage: (seg) => {
      const b = readFileSync(seg);
      b.fill(0, b.length - 300);
      writeFileSync(seg, b);
    }, keepsAtLeast: 40 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir, cleanup } = tempDir();
      try {
        await fill(dir, 50);
        c.damage(lastSegment(dir));
        const logs: string[] = [];
        const logger = { debug() {}, info() {}, error() {}, warn: (m: string, f?: Record<string, unknown>) => logs.push(`${m} ${JSON.stringify(f)}`), child() { return logger; } };
        const db = await DB.open(dir, OPTS, logger);
        const got = await batchesPresent(db);
        expect(got.length).toBeGreaterThanOrEqual(c.keepsAtLeast);
        expect(got.length).toBeLessThan(50);
        expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i)); // a prefix: truncated at the first bad record
        expect(db.metrics().prometheus_tsdb_wal_corruptions_total).toBe(1);
        expect(logs.some((l) => l.includes("droppedBytes"))).toBe(true);
        // The repaired store keeps working across restarts.
        const a = db.appender();
        for (let s = 0; s < 5; s++) a.append(0, L({ __name__: "m", s: String(s) }), 100_000, 1);
        await a.commit();
        await db.close();
        const db2 = await DB.open(dir, OPTS);
        expect((await batchesPresent(db2)).length).toBe(got.length + 1);
        expect(db2.metrics().prometheus_tsdb_wal_corruptions_total).toBe(0);
        await db2.close();
      } finally {
        cleanup();
      }
    });
  }
});

describe("block corruption", () => {
  const cases: Array<{ name: string; file: string; damage: (p: string) => void }> = [
    { name: "bit flip in chunks.arrow", file: "chunks.arrow", damage: (p) => { const b = readFileSync(p); b[b.length >> 1]! ^= 1; writeFileSync(p, b); } },
    { name: "truncated index.arrow", file: "index.arrow", damage: (p) => truncateSync(p, statSync(p).size >> 1) },
    { name: "garbage meta.json", file: "meta.json", damage: (p) => writeFileSync(p, "{not json") },
    { name: "missing series.arrow", file: "series.arrow", damage: (p) => writeFileSync(p, new Uint8Array(0)) },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir, cleanup } = tempDir();
      try {
        await fill(dir, 20);
        const db = await DB.open(dir, OPTS);
        db.flushHead();
        expect(db.blocks.length).toBe(1);
        const blockDir = db.blocks[0]!.dir;
        await db.close();
        c.damage(join(blockDir, c.file));
        const errors: string[] = [];
        const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m), child() { return logger; } };
        const db2 = await DB.open(dir, OPTS, logger);
        expect(db2.blocks.length).toBe(0);
        expect(db2.corruptBlocks).toEqual([blockDir]);
        expect(db2.metrics().quiver_tsdb_blocks_corrupt).toBe(1);
        expect(errors.some((e) => e.includes("Corrupt block"))).toBe(true);
        await db2.compact();
        expect(existsSync(blockDir)).toBe(true); // never deleted
        await db2.close();
      } finally {
        cleanup();
      }
    });
  }
});
