/**
 * Background compaction runs in steps that yield to the event loop. Appends (new in-order data and
 * late out-of-order samples into the range being written) and deletions made between those steps
 * must all be honoured: the result equals the in-memory model, also after a restart.
 */
import { describe, expect, test } from "bun:test";
import { newMatcher } from "../../../core/model/matcher.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { DB } from "../../../core/tsdb/db.ts";
import type { Labels } from "../../../core/model/labels.ts";
import { L, plain, tempDir } from "./helpers.ts";

const H = 3600_000;
const N = 5000; // enough series for the block writer to yield several times
const tick = () => new Promise<void>((r) => setImmediate(r));

async function compare(db: DB, model: MemoryStorage): Promise<void> {
  const ms = [newMatcher("=~", "__name__", ".+")];
  const dq = await db.querier(-Infinity, Infinity), mq = await model.querier(-Infinity, Infinity);
  const got = (await dq.select(ms, { start: -Infinity, end: Infinity })).series;
  const want = (await mq.select(ms, { start: -Infinity, end: Infinity })).series;
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    expect(got[i]!.labels.toString()).toBe(want[i]!.labels.toString());
    expect(plain(got[i]!.timestamps, got[i]!.values)).toEqual(plain(want[i]!.timestamps, want[i]!.values));
  }
  dq.close();
  mq.close();
}

describe("background compaction with concurrent writes", () => {
  test("late samples, new samples and deletions during the run are kept", async () => {
    const { dir, cleanup } = tempDir();
    const opts = { backgroundCompaction: false, minBlockDuration: H, outOfOrderTimeWindow: 10 * H, retentionTime: 0 };
    try {
      let db = await DB.open(dir, opts);
      const model = new MemoryStorage({ allowOutOfOrder: true });
      const ls: Labels[] = Array.from({ length: N }, (_, i) => L({ __name__: i % 2 ? "odd" : "even", i: String(i) }));
      const both = async (fn: (a: { append(r: number, l: Labels, t: number, v: number): number }) => void) => {
        const da = db.appender(), ma = model.appender();
        fn(da);
        fn(ma);
        await da.commit();
        await ma.commit();
      };
      for (let t = 0; t < 4 * H; t += 20 * 60_000) await both((a) => ls.forEach((l, i) => a.append(0, l, t + 1, i + t)));
      const running = db.compact(); // head spans > 1.5 h: cuts the first hour(s) in steps
      for (let k = 0; k < 8; k++) {
        await tick();
        const late = 30 * 60_000 + k * 1000 + 7; // inside the range being written
        const now = 4 * H + k * 60_000;
        await both((a) => {
          for (let i = 0; i < N; i += 97) a.append(0, ls[i]!, late, -k); // out-of-order, odd and even
          for (let i = 0; i < N; i += 50) a.append(0, ls[i]!, now, k); // new in-order data
        });
        if (k === 0) {
          // Deletion, mid-run, of data the running compaction has already written (series i=2 sorts
          // early and gets no later writes in that range).
          const m = [newMatcher("=", "i", "2")];
          await db.delete(m, 0, H);
          model.deleteSeries(m, 0, H);
        }
      }
      await running;
      expect(db.blocks.length).toBeGreaterThan(0);
      await compare(db, model);
      await db.close();
      db = await DB.open(dir, opts);
      await compare(db, model);
      await db.compact();
      await compare(db, model);
      await db.close();
    } finally {
      cleanup();
    }
  }, 60_000);
});
