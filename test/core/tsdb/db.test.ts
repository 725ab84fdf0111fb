import { describe, expect, test } from "bun:test";
import { DB } from "../../../core/tsdb/db.ts";
import { newMatcher } from "../../../core/model/matcher.ts";
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError, TooOldSampleError } from "../../../core/storage/errors.ts";
import { join } from "node:path";
import { L, bitsAt, tempDir } from "./helpers.ts";

const H = 3600_000;
const all = [newMatcher("=~", "__name__", ".+")];

async function select(db: DB, ms = all, start = -Infinity, end = Infinity) {
  const q = await db.querier(start, end);
  const r = await q.select(ms, { start, end });
  q.close();
  return r.series;
}

describe("DB", () => {
  test("append, query, restart replays the WAL", async () => {
    const { dir, cleanup } = tempDir();
    try {
      let db = await DB.open(dir, { backgroundCompaction: false });
      const app = db.appender();
      let ref = 0;
      for (let i = 0; i < 300; i++) ref = app.append(ref, L({ __name__: "up", job: "a" }), 1000 + i * 15000, i * 1.5);
      app.append(0, L({ __name__: "up", job: "b" }), 5000, 42);
      await app.commit();
      let s = await select(db);
      expect(s.length).toBe(2);
      expect(s[0]!.timestamps.length).toBe(300);
      expect(s[0]!.values[299]).toBe(299 * 1.5);
      await db.close();
      db = await DB.open(dir, { backgroundCompaction: false });
      s = await select(db);
      expect(s.length).toBe(2);
      expect(s[0]!.timestamps.length).toBe(300);
      expect(s[0]!.timestamps[10]).toBe(1000 + 150000);
      expect(s[1]!.values[0]).toBe(42);
      expect(db.walReplayStatus().state).toBe("done");
      await db.close();
    } finally {
      cleanup();
    }
  });

  test("staleness marker survives head, WAL replay and blocks bit-exactly", async () => {
    const { dir, cleanup } = tempDir();
    try {
      let db = await DB.open(dir, { backgroundCompaction: false });
      const app = db.appender();
      const ls = L({ __name__: "x" });
      app.append(0, ls, 1000, 1);
      app.appendStale(0, ls, 2000);
      app.append(0, ls, 3000, NaN);
      await app.commit();
      const check = async () => {
        const [s] = await select(db);
        expect(bitsAt(s!.values, 1)).toBe("7ff0000000000002");
        expect(Number.isNaN(s!.values[2])).toBe(true);
        expect(bitsAt(s!.values, 2)).not.toBe("7ff0000000000002");
      };
      await check();
      await db.close();
      db = await DB.open(dir, { backgroundCompaction: false });
      await check();
      db.flushHead();
      expect(db.blocks.length).toBe(1);
      await check();
      await db.close();
      db = await DB.open(dir, { backgroundCompaction: false });
      await check();
      await db.close();
    } finally {
      cleanup();
    }
  });

  test("Prometheus append rules: duplicates, out of order, bounds, OOO window", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = await DB.open(dir, { backgroundCompaction: false });
      const ls = L({ __name__: "m" });
      let app = db.appender();
      app.append(0, ls, 10_000, 1);
      await app.commit();
      app = db.appender();
      expect(() => app.append(0, ls, 10_000, 2)).toThrow(DuplicateSampleError);
      expect(app.append(0, ls, 10_000, 1)).toBeGreaterThan(0); // equal: no-op
      expect(() => app.append(0, ls, 5_000, 1)).toThrow(OutOfOrderSampleError);
      app.append(0, ls, 20_000, 2);
      expect(() => app.append(0, ls, 20_000, 3)).toThrow(DuplicateSampleError);
      await app.commit();
      db.flushHead();
      app = db.appender();
      expect(() => app.append(0, L({ __name__: "new" }), 1_000, 1)).toThrow(OutOfBoundsError);
      expect(() => app.append(0, L({}), 1_000_000, 1)).toThrow("empty labelset");
      await db.close();

      const { dir: d2, cleanup: c2 } = tempDir();
      const odb = await DB.open(d2, { backgroundCompaction: false, outOfOrderTimeWindow: 60_000 });
      app = odb.appender();
      app.append(0, ls, 100_000, 1);
      await app.commit();
      app = odb.appender();
      app.append(0, ls, 50_000, 0.5);
      app.append(0, ls, 70_000, 0.7);
      expect(() => app.append(0, ls, 10_000, 1)).toThrow(TooOldSampleError);
      await app.commit();
      const [s] = await select(odb);
      expect([...s!.timestamps]).toEqual([50_000, 70_000, 100_000]);
      await odb.close();
      const re = await DB.open(d2, { backgroundCompaction: false, outOfOrderTimeWindow: 60_000 });
      const [s2] = await select(re);
      expect([...s2!.timestamps]).toEqual([50_000, 70_000, 100_000]);
      re.flushHead();
      const [s3] = await select(re);
      expect([...s3!.values]).toEqual([0.5, 0.7, 1]);
      await re.close();
      c2();
    } finally {
      cleanup();
    }
  });

  test("head compaction into blocks, queries across blocks and head, delete and clean tombstones", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = await DB.open(dir, { backgroundCompaction: false });
      const app = db.appender();
      const refs: number[] = [0, 0, 0];
      for (let t = 0; t < 7 * H; t += 15_000) {
        for (let j = 0; j < 3; j++) refs[j] = app.append(refs[j]!, L({ __name__: "c", i: String(j) }), t + 3, t / 1000 + j);
      }
      await app.commit();
      await db.compact();
      expect(db.blocks.length).toBeGreaterThanOrEqual(2);
      let s = await select(db);
      expect(s.length).toBe(3);
      expect(s[0]!.timestamps.length).toBe((7 * H) / 15_000);
      expect(s[2]!.values[100]).toBe((100 * 15_000) / 1000 + 2);
      await db.delete([newMatcher("=", "i", "1")], 0, 3 * H);
      s = await select(db, [newMatcher("=", "i", "1")]);
      expect(s[0]!.timestamps[0]).toBeGreaterThan(3 * H);
      await db.cleanTombstones();
      s = await select(db, [newMatcher("=", "i", "1")]);
      expect(s[0]!.timestamps[0]).toBeGreaterThan(3 * H);
      // Idle blocks release their decoded chunks and reload them transparently.
      const before = (await select(db)).map((x) => x.timestamps.length);
      expect(db.compactor.releaseIdle(0)).toBe(db.blocks.length);
      const held = await db.querier(-Infinity, Infinity);
      expect((await select(db)).map((x) => x.timestamps.length)).toEqual(before);
      // A querier opened before a compaction deletes its blocks keeps reading them.
      db.compactor.releaseIdle(0);
      db.compactor.compactGroup(db.blocks.map((b) => b.meta.ulid));
      const r = await held.select(all, { start: -Infinity, end: Infinity });
      expect(r.series.map((x) => x.timestamps.length)).toEqual(before);
      held.close();
      const q = await db.querier(0, 10 * H);
      expect(await q.labelValues("i", [], { start: 0, end: 10 * H })).toEqual(["0", "1", "2"]);
      await db.close();
      const db2 = await DB.open(dir, { backgroundCompaction: false });
      s = await select(db2, [newMatcher("=", "i", "1")]);
      expect(s[0]!.timestamps[0]).toBeGreaterThan(3 * H);
      expect(s[0]!.timestamps[s[0]!.timestamps.length - 1]).toBe(7 * H - 15_000 + 3);
      await db2.close();
    } finally {
      cleanup();
    }
  });

  test("series-only selects, label names and values with matchers, stats and metrics", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = await DB.open(dir, { backgroundCompaction: false });
      const app = db.appender();
      for (let i = 0; i < 5; i++) app.append(0, L({ __name__: i < 3 ? "up" : "down", job: `j${i}`, ...(i === 0 ? { extra: "x" } : {}) }), 1000 * i, i);
      await app.commit();
      db.flushHead(2500);
      const q = await db.querier(0, 10_000);
      const r = await q.select([newMatcher("=", "__name__", "up")], { start: 0, end: 10_000, func: "series" });
      expect(r.series.map((s) => s.labels.get("job"))).toEqual(["j0", "j1", "j2"]);
      expect(r.series.every((s) => s.timestamps.length === 0)).toBe(true);
      const narrow = await q.select([newMatcher("=", "__name__", "up")], { start: 1500, end: 10_000, func: "series" });
      expect(narrow.series.map((s) => s.labels.get("job"))).toEqual(["j2"]);
      expect(await q.labelNames([newMatcher("=", "job", "j0")], { start: 0, end: 10_000 })).toEqual(["__name__", "extra", "job"]);
      expect(await q.labelNames([], { start: 0, end: 10_000 })).toEqual(["__name__", "extra", "job"]);
      expect(await q.labelValues("job", [newMatcher("=", "__name__", "down")], { start: 0, end: 10_000 })).toEqual(["j3", "j4"]);
      q.close();
      const st = db.stats(2);
      expect(st.headStats.numSeries).toBe(2);
      expect(st.seriesCountByMetricName).toEqual([{ name: "down", value: 2 }]);
      const m = db.metrics();
      expect(m.prometheus_tsdb_blocks_loaded).toBe(1);
      expect(m.prometheus_tsdb_head_samples_appended_total).toBe(5);
      expect(m.prometheus_tsdb_head_series).toBe(2);
      await db.close();
    } finally {
      cleanup();
    }
  });

  test("snapshot with and without head, retention by time and size", async () => {
    const { dir, cleanup } = tempDir();
    const { dir: snap, cleanup: c2 } = tempDir();
    try {
      const db = await DB.open(dir, { backgroundCompaction: false, retentionTime: 4 * H });
      const app = db.appender();
      let ref = 0;
      for (let t = 0; t < 10 * H; t += 60_000) ref = app.append(ref, L({ __name__: "r" }), t, t);
      await app.commit();
      await db.compact();
      const oldest = Math.min(...db.blockMetas().map((b) => b.minTime));
      expect(oldest).toBeGreaterThanOrEqual(2 * H);
      const start = await db.startTime();
      expect(start).toBe(oldest);
      await db.snapshot(join(snap, "with"), true);
      await db.snapshot(join(snap, "without"), false);
      await db.close();
      const s1 = await DB.open(join(snap, "with"), { backgroundCompaction: false, walEnabled: false, retentionTime: 0 });
      const s2 = await DB.open(join(snap, "without"), { backgroundCompaction: false, walEnabled: false, retentionTime: 0 });
      const a = (await select(s1))[0]!, b = (await select(s2))[0]!;
      expect(a.timestamps[a.timestamps.length - 1]).toBe(10 * H - 60_000);
      expect(b.timestamps.length).toBeLessThan(a.timestamps.length);
      await s1.close();
      await s2.close();
      const sized = await DB.open(dir, { backgroundCompaction: false, retentionTime: 0, retentionSize: 1 });
      await sized.compact();
      expect(sized.blocks.length).toBe(0);
      expect(sized.metrics().prometheus_tsdb_size_retentions_total).toBeGreaterThan(0);
      await sized.close();
    } finally {
      cleanup();
      c2();
    }
  });

  test("lock file: a live process holding the directory is refused, a dead one's lock is taken over", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { spawnSync } = await import("node:child_process");
      const { writeFileSync } = await import("node:fs");
      writeFileSync(join(dir, "lock"), `${process.ppid}\n`); // a live process that is not us
      await expect(DB.open(dir, { backgroundCompaction: false })).rejects.toThrow(/locked by process/);
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
      writeFileSync(join(dir, "lock"), `${dead}\n`);
      const db = await DB.open(dir, { backgroundCompaction: false });
      await db.close();
      const db2 = await DB.open(dir, { backgroundCompaction: false, noLockfile: true });
      await db2.close();
    } finally {
      cleanup();
    }
  });
});
