/**
 * Crash safety: a writer process is SIGKILLed at random moments (a bounded number of rounds); after
 * each kill the store must open, hold every batch whose commit returned before the kill, and hold each
 * batch entirely or not at all.
 */
import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { newMatcher } from "../../../core/model/matcher.ts";
import { DB } from "../../../core/tsdb/db.ts";
import { tempDir } from "./helpers.ts";

const WRITER = join(import.meta.dir, "fixtures", "crash-writer.ts");

/** Runs the writer from batch `start`, kills it after `ms` (once it committed something); returns the last reported batch. */
function runAndKill(dir: string, start: number, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(start)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!timer) timer = setTimeout(() => child.kill("SIGKILL"), ms);
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`writer exited without being killed: ${err}`));
      const nums = out.split("\n").filter((l) => /^\d+$/.test(l)).map(Number);
      resolve(nums.length ? nums[nums.length - 1]! : start - 1);
    });
  });
}

describe("crash safety", () => {
  test("SIGKILL at random points loses nothing committed", async () => {
    const { dir, cleanup } = tempDir();
    try {
      let committed = -1;
      // Eight kills at random moments (0–400 ms after the writer's first commit).
      const delays = Array.from({ length: 8 }, () => Math.floor(Math.random() * 400));
      for (const ms of delays) {
        const last = await runAndKill(dir, committed + 1, ms);
        expect(last, `kill after ${ms} ms (delays ${delays.join(",")})`).toBeGreaterThanOrEqual(committed);
        const db = await DB.open(dir, { backgroundCompaction: false, minBlockDuration: 10_000, retentionTime: 0 });
        const q = await db.querier(-Infinity, Infinity);
        const series = (await q.select([newMatcher("=", "__name__", "crash_test")], { start: -Infinity, end: Infinity })).series;
        q.close();
        expect(series.length).toBe(10);
        const present = new Map<number, number>();
        for (const s of series) {
          const sid = Number(s.labels.get("s"));
          for (let k = 0; k < s.timestamps.length; k++) {
            const i = s.timestamps[k]! / 1000;
            expect(s.values[k]).toBe(i + sid / 2);
            present.set(i, (present.get(i) ?? 0) + 1);
          }
        }
        for (let i = 0; i <= last; i++) expect(present.get(i)).toBe(10); // every committed batch, complete
        for (const [, n] of present) expect(n).toBe(10); // batches are atomic
        committed = Math.max(last, ...present.keys());
        if (committed > 40) expect(db.blocks.length).toBeGreaterThan(0); // kills also hit block writes and checkpoints
        await db.close();
      }
      expect(committed).toBeGreaterThan(20);
    } finally {
      cleanup();
    }
  }, 60_000);
});
