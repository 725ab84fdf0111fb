/**
 * @module core/tsdb/db-compact
 * The DB's maintenance: head compaction (cut the oldest chunk range of the head into a block once the
 * head spans 1.5 ranges, as Prometheus), out-of-order data below the head into overlapping blocks,
 * block compaction by the planner, retention, tombstone cleanup, WAL checkpoint + truncation, and
 * snapshots. The background run (runAsync) writes blocks in steps that yield to the event loop; while
 * it writes head data below `hi`, in-order appends below `hi` are refused, late out-of-order samples
 * are kept aside for truncation, and deletions are re-applied to the blocks it creates. One run at a
 * time; the synchronous entry points (flushHead, compactGroup) are for tests and tools.
 *
 * Invariant: head data is truncated (and the WAL checkpointed past it) only after the blocks holding
 * it are fully written and loaded; parent blocks are deleted only after their compacted child exists.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ArrowBlock } from "./block/reader.ts";
import { driveSteps, writeBlock } from "./block/writer.ts";
import type { BlockMeta } from "./block/types.ts";
import { postingsForMatchers } from "./index/postings.ts";
import type { Matcher } from "../model/matcher.ts";
import { compactBlocks, compactBlocksSteps, headBlockSteps, headSeries, sortedHeadRefs, writeHeadBlock } from "./compact/compactor.ts";
import { plan, retention, type PlanBlock } from "./compact/planner.ts";
import type { DB } from "./db.ts";
import { checkpointFilter } from "./db-wal.ts";
import { blockRanges } from "./options.ts";
import { writeCheckpoint } from "./wal/checkpoint.ts";

/** Blocks whose samples were not read for this long drop their decoded chunk columns (10 min). */
export const BLOCK_IDLE_RELEASE_MS = 10 * 60 * 1000;

/** Runs maintenance for one DB. */
export class DBCompactor {
  #running = false;
  #scheduled = false;
  #stopped = false;

  constructor(readonly db: DB) {}

  /** Whether the head spans more than 1.5 block ranges (time to cut its oldest range). */
  headCompactable(): boolean {
    const h = this.db.head;
    return Number.isFinite(h.minTime) && h.maxTime - h.minTime > this.db.opts.minBlockDuration * 1.5;
  }

  /** Schedules a background run when the head became compactable (called after commits). */
  maybeTrigger(): void {
    if (this.#scheduled || this.#stopped || this.#busy || !this.db.opts.backgroundCompaction || !this.headCompactable()) return;
    this.#scheduled = true;
    this.db.counters.compactionsTriggered++;
    setTimeout(() => {
      this.#scheduled = false;
      this.runAsync().catch((e) => this.db.logger.error("compaction failed", { err: e }));
    }, 0);
  }

  #busy: Promise<void> | null = null;
  /** Deletions made while a background run is in progress (re-applied to the blocks it creates). */
  #pendingDeletes: Array<{ matchers: readonly Matcher[]; mint: number; maxt: number }> | null = null;
  #created = new Set<string>();

  /** Whether a background run is in progress. */
  get busy(): boolean {
    return this.#busy !== null;
  }

  /** Resolves when no background run is in progress. */
  async idle(): Promise<void> {
    while (this.#busy) await this.#busy.catch(() => {});
  }

  /** Records a deletion made during a background run (see db.delete). */
  noteDelete(matchers: readonly Matcher[], mint: number, maxt: number): void {
    this.#pendingDeletes?.push({ matchers, mint, maxt });
  }

  /**
   * Head compaction, block compaction and retention, yielding to the event loop between batches of
   * series so appends and queries keep flowing. Only one run at a time; concurrent calls share it.
   */
  runAsync(): Promise<void> {
    if (this.#busy) return this.#busy;
    if (this.db.closed) return Promise.resolve();
    this.#pendingDeletes = [];
    this.#created.clear();
    this.#busy = (async () => {
      await null; // run the body after #busy is assigned (so `finally` clears the right promise)
      try {
        while (this.headCompactable() && !this.#stopped) {
          const range = this.db.opts.minBlockDuration;
          await this.#flushHeadAsync((Math.floor(this.db.head.minTime / range) + 1) * range);
        }
        const ranges = blockRanges(this.db.opts.minBlockDuration, this.db.opts.maxBlockDuration);
        for (let guard = 0; guard < 1000 && !this.#stopped; guard++) {
          const group = plan(this.#planBlocks(), ranges);
          if (group.length === 0) break;
          await this.#compactGroupAsync(group);
        }
        if (!this.#stopped) {
          this.applyRetention();
          this.releaseIdle(BLOCK_IDLE_RELEASE_MS);
        }
      } catch (e) {
        if (!this.#stopped) this.db.counters.compactionsFailed++;
        if (!this.#stopped) throw e;
      } finally {
        this.#busy = null;
        this.#pendingDeletes = null;
      }
    })();
    return this.#busy;
  }

  #stoppedNow = () => this.#stopped || this.db.closed;

  async #flushHeadAsync(hi: number): Promise<void> {
    const db = this.db, head = db.head, range = db.opts.minBlockDuration;
    const lo = Math.min(head.minTime, head.oooMinTime);
    if (Number.isFinite(lo) && lo < hi) {
      // From now on in-order samples below `hi` are refused (they would belong to the blocks being
      // written); late out-of-order ones are tracked so truncation keeps them.
      if (hi > head.minValidTime) head.minValidTime = hi;
      head.compactingUpTo = hi;
      head.late = [];
      try {
        const refs = sortedHeadRefs(head);
        for (let w = Math.floor(lo / range) * range; w < hi; w += range) {
          const start = Math.max(w, lo), end = Math.min(w + range, hi);
          const ulid = db.ulids.next();
          const meta = await driveSteps(headBlockSteps(db.dir, ulid, head, start, end, range, refs), this.#stoppedNow);
          if (meta) {
            this.#created.add(meta.ulid);
            db.counters.compactions++;
            db.logger.info("write block", { ulid: meta.ulid, mint: meta.minTime, maxt: meta.maxTime, samples: meta.stats.numSamples });
          }
        }
      } finally {
        head.compactingUpTo = -Infinity;
      }
      if (this.#stoppedNow()) return;
      db.reloadBlocks();
      this.#reapplyDeletes();
    }
    this.truncateHead(hi);
    head.late = [];
  }

  async #compactGroupAsync(ulids: readonly string[]): Promise<void> {
    const db = this.db;
    const blocks = db.blocks.filter((b) => ulids.includes(b.meta.ulid)).sort((a, b) => (a.meta.ulid < b.meta.ulid ? -1 : 1));
    if (blocks.length === 0) return;
    const meta = await driveSteps(compactBlocksSteps(db.dir, db.ulids.next(), blocks, db.opts.minBlockDuration), this.#stoppedNow);
    if (this.#stoppedNow()) return;
    if (meta) this.#created.add(meta.ulid);
    this.#finishGroup(blocks, meta);
    this.#reapplyDeletes();
  }

  /** Applies deletions made during this run to the blocks the run created. */
  #reapplyDeletes(): void {
    const pending = this.#pendingDeletes;
    if (!pending || pending.length === 0) return;
    for (const b of this.db.blocks) {
      if (!this.#created.has(b.meta.ulid)) continue;
      for (const d of pending) {
        if (b.meta.maxTime <= d.mint || b.meta.minTime > d.maxt) continue;
        const add = new Map<number, Array<{ mint: number; maxt: number }>>();
        for (const id of postingsForMatchers(b.index, d.matchers)) add.set(id, [{ mint: d.mint, maxt: d.maxt }]);
        if (add.size) b.addTombstones(add);
      }
    }
  }

  /** Stops scheduling. */
  stop(): void {
    this.#stopped = true;
  }

  /** Writes head data older than `upTo` (ms, exclusive) into blocks, then truncates head and WAL there. */
  flushHead(upTo?: number): void {
    const db = this.db, head = db.head, range = db.opts.minBlockDuration;
    const hi = upTo ?? Math.max(head.maxTime, head.oooMaxTime) + 1;
    const lo = Math.min(head.minTime, head.oooMinTime);
    if (Number.isFinite(lo) && lo < hi) {
      const refs = sortedHeadRefs(head);
      for (let w = Math.floor(lo / range) * range; w < hi; w += range) {
        const start = Math.max(w, lo), end = Math.min(w + range, hi);
        const meta = writeHeadBlock(db.dir, db.ulids.next(), head, start, end, range, refs);
        if (meta) {
          db.counters.compactions++;
          db.logger.info("write block", { ulid: meta.ulid, mint: meta.minTime, maxt: meta.maxTime, samples: meta.stats.numSamples });
        }
      }
      db.reloadBlocks();
    }
    if (!Number.isFinite(hi)) return;
    this.truncateHead(hi);
  }

  /** Drops head data before `mint` and checkpoints the WAL segments written so far. */
  truncateHead(mint: number): void {
    const db = this.db;
    db.head.truncate(mint);
    const wal = db.wal;
    if (!wal) return;
    try {
      const segs = wal.segments();
      const first = segs[0];
      const cur = wal.rotate();
      const upTo = cur - 1;
      if (first !== undefined && upTo >= first) {
        writeCheckpoint(wal.dir, upTo, checkpointFilter(db.head, mint));
        wal.truncateBefore(upTo + 1);
        db.counters.checkpoints++;
      }
    } catch (e) {
      db.counters.checkpointsFailed++;
      db.logger.error("WAL checkpoint failed", { err: e });
    }
  }

  #planBlocks(): PlanBlock[] {
    return this.db.blocks.map((b) => ({ meta: b.meta, tombstones: b.numTombstones, size: b.meta.stats.numBytes ?? b.size() }));
  }

  /** Merges the named blocks into one and deletes them. */
  compactGroup(ulids: readonly string[]): void {
    const db = this.db;
    const blocks = db.blocks.filter((b) => ulids.includes(b.meta.ulid)).sort((a, b) => (a.meta.ulid < b.meta.ulid ? -1 : 1));
    if (blocks.length === 0) return;
    this.#finishGroup(blocks, compactBlocks(db.dir, db.ulids.next(), blocks, db.opts.minBlockDuration));
  }

  #finishGroup(blocks: ArrowBlock[], meta: BlockMeta | null): void {
    const db = this.db;
    const overlapping = blocks.length > 1 && blocks.some((a, i) => blocks.some((b, j) => i !== j && a.meta.minTime < b.meta.maxTime && b.meta.minTime < a.meta.maxTime));
    db.counters.compactions++;
    if (overlapping) db.counters.verticalCompactions++;
    db.logger.info("compact blocks", { count: blocks.length, mint: meta?.minTime, maxt: meta?.maxTime, ulid: meta?.ulid, sources: blocks.map((b) => b.meta.ulid) });
    for (const b of blocks) this.#deleteBlock(b);
    db.reloadBlocks();
  }

  #deleteBlock(b: ArrowBlock): void {
    try {
      b.pinInMemory(); // queriers opened earlier may still read it
    } catch (e) {
      this.db.logger.warn("block unreadable while being deleted", { dir: b.dir, err: e });
    }
    const tmp = b.dir + ".tmp-for-deletion";
    try {
      renameSync(b.dir, tmp);
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      rmSync(b.dir, { recursive: true, force: true });
    }
    b.close();
  }

  /** Deletes blocks beyond the time or size retention. */
  applyRetention(): void {
    const db = this.db;
    const walBytes = db.wal ? db.wal.size() : 0;
    const pb = this.#planBlocks();
    const byTime = retention(pb, db.opts.retentionTime, 0, 0);
    const bySize = retention(pb, 0, db.opts.retentionSize, walBytes);
    if (byTime.size === 0 && bySize.size === 0) return;
    for (const b of db.blocks) {
      if (!byTime.has(b.meta.ulid) && !bySize.has(b.meta.ulid)) continue;
      if (byTime.has(b.meta.ulid)) db.counters.timeRetentions++;
      else db.counters.sizeRetentions++;
      db.logger.info("Deleting block beyond retention", { ulid: b.meta.ulid, mint: b.meta.minTime, maxt: b.meta.maxTime });
      this.#deleteBlock(b);
    }
    db.reloadBlocks();
  }

  /** Releases the decoded chunk columns of blocks not read for `idleMs`; returns how many were released. */
  releaseIdle(idleMs: number): number {
    const now = performance.now();
    let n = 0;
    for (const b of this.db.blocks) if (now - b.lastUsed >= idleMs && b.releaseChunks()) n++;
    return n;
  }

  /** Rewrites blocks that carry tombstones, dropping the deleted samples. */
  cleanTombstones(): void {
    for (const b of [...this.db.blocks]) if (b.numTombstones > 0) this.compactGroup([b.meta.ulid]);
  }

  /** Hard-links (or copies) every block into `dir`, and with `withHead` writes the head as one more block. */
  snapshot(dir: string, withHead: boolean): void {
    const db = this.db;
    mkdirSync(dir, { recursive: true });
    for (const b of db.blocks) {
      const target = join(dir, b.meta.ulid);
      mkdirSync(target, { recursive: true });
      for (const f of readdirSync(b.dir)) {
        try {
          linkSync(join(b.dir, f), join(target, f));
        } catch {
          copyFileSync(join(b.dir, f), join(target, f));
        }
      }
    }
    if (!withHead) return;
    const h = db.head;
    const lo = Math.min(h.minTime, h.oooMinTime), hi = Math.max(h.maxTime, h.oooMaxTime);
    if (!Number.isFinite(lo)) return;
    const ulid = db.ulids.next();
    writeBlock(dir, ulid, lo, hi + 1, headSeries(h, lo, hi), { chunkRange: db.opts.minBlockDuration, compaction: { level: 1, sources: [ulid] } });
  }
}
