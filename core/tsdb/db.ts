/**
 * @module core/tsdb/db
 * The TSDB: a WAL-backed in-memory head plus immutable Arrow blocks in one directory, implementing
 * core/storage's Storage. Opening replays the WAL (repairing a torn tail) and loads blocks (a corrupt
 * block is logged and skipped, never deleted). Compaction (db-compact.ts) cuts head ranges into blocks,
 * merges blocks, applies retention and checkpoints the WAL; it runs on a timer unless disabled.
 *
 * Concurrency: everything here runs on the JS event loop; commits, compactions and queries are
 * synchronous sections, so a querier sees either all or none of a commit. Queriers keep the block
 * objects they started with (data is in memory), so deleting block directories never breaks them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nopLogger, type Logger } from "../log/logger.ts";
import type { Matcher } from "../model/matcher.ts";
import type { Querier, Storage } from "../storage/interface.ts";
import { StorageError } from "../storage/errors.ts";
import { ArrowBlock, BlockCorruptionError, isDir } from "./block/reader.ts";
import type { BlockMeta } from "./block/types.ts";
import { isULID, UlidGenerator } from "./block/ulid.ts";
import { Head, type Interval } from "./head/head.ts";
import { HeadAppender } from "./head/head-append.ts";
import { replayWAL, replayWALAsync, type ReplayResult, type ReplayStatus } from "./head/head-replay.ts";
import { postingsForMatchers } from "./index/postings.ts";
import { resolveOptions, type DBOptions, type ResolvedDBOptions } from "./options.ts";
import { DBQuerier } from "./querier.ts";
import { encodeTombstones } from "./record/record.ts";
import { WAL } from "./wal/wal.ts";
import { DBCompactor } from "./db-compact.ts";
import { tsdbStats, type TSDBStats } from "./stats.ts";
import { dbMetrics, type DBCounters } from "./metrics.ts";

export type { DBOptions } from "./options.ts";
export type { ReplayStatus } from "./head/head-replay.ts";
export type { TSDBStats } from "./stats.ts";

/** A Prometheus-style TSDB over one directory. Create with {@link DB.open}. */
export class DB implements Storage {
  readonly head: Head;
  readonly wal: WAL | null;
  readonly opts: ResolvedDBOptions;
  readonly ulids: UlidGenerator;
  readonly counters: DBCounters = {
    compactions: 0, compactionsFailed: 0, compactionsTriggered: 0, reloads: 0, timeRetentions: 0, sizeRetentions: 0,
    walCorruptions: 0, checkpoints: 0, checkpointsFailed: 0, blocksCorrupt: 0, verticalCompactions: 0,
  };
  /** Loaded blocks, sorted by minTime then ULID. */
  blocks: ArrowBlock[] = [];
  /** Directories of blocks that failed to open (kept on disk). */
  corruptBlocks: string[] = [];
  /** WAL replay progress (updated in place during open; pass your own object to DB.open to watch it). */
  readonly replayStatus: ReplayStatus;
  readonly compactor: DBCompactor;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  private constructor(readonly dir: string, opts: ResolvedDBOptions, readonly logger: Logger, replayStatus?: ReplayStatus) {
    this.opts = opts;
    this.replayStatus = replayStatus ?? { min: -1, max: -1, current: -1, state: "waiting" };
    this.ulids = new UlidGenerator(opts.now);
    this.head = new Head({ chunkRange: opts.minBlockDuration, outOfOrderTimeWindow: opts.outOfOrderTimeWindow });
    this.wal = opts.walEnabled ? new WAL(join(dir, "wal"), { segmentSize: opts.walSegmentSize }) : null;
    this.compactor = new DBCompactor(this);
  }

  /**
   * Opens (creating if needed) the store at `dir`: loads blocks, replays the WAL (yielding to the event
   * loop between segments; `replayStatus`, when given, is updated in place so /api/v1/status/walreplay
   * can report progress meanwhile) and starts background compaction.
   */
  static async open(dir: string, options: DBOptions = {}, logger: Logger = nopLogger, replayStatus?: ReplayStatus): Promise<DB> {
    const db = DB.#create(dir, options, logger, replayStatus);
    if (db.wal) db.#replayed(await replayWALAsync(db.head, db.wal, logger, db.replayStatus));
    else db.replayStatus.state = "done";
    db.#start();
    return db;
  }

  /** Synchronous {@link DB.open} (the replay blocks the event loop). */
  static openSync(dir: string, options: DBOptions = {}, logger: Logger = nopLogger, replayStatus?: ReplayStatus): DB {
    const db = DB.#create(dir, options, logger, replayStatus);
    if (db.wal) db.#replayed(replayWAL(db.head, db.wal, logger, db.replayStatus));
    else db.replayStatus.state = "done";
    db.#start();
    return db;
  }

  static #create(dir: string, options: DBOptions, logger: Logger, replayStatus?: ReplayStatus): DB {
    mkdirSync(dir, { recursive: true });
    const opts = resolveOptions(options);
    if (!opts.noLockfile) acquireLock(dir);
    const db = new DB(dir, opts, logger, replayStatus);
    db.reloadBlocks();
    if (db.wal) logger.info("Replaying WAL, this may take a while", { dir: db.wal.dir });
    return db;
  }

  #replayed(r: ReplayResult): void {
    this.counters.walCorruptions += r.corruptions;
    this.logger.info("WAL replay completed", { duration: `${r.seconds.toFixed(3)}s`, series: this.head.numSeries, samples: r.samples, records: r.records });
    this.wal!.startSegment();
  }

  #start(): void {
    if (!this.opts.backgroundCompaction) return;
    this.#timer = setInterval(() => void this.compact().catch((e) => this.logger.error("compaction failed", { err: e })), this.opts.compactionInterval);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Re-reads the block directories: opens new ones, drops vanished ones, removes compacted parents and temp dirs. */
  reloadBlocks(): void {
    const byUlid = new Map(this.blocks.map((b) => [b.meta.ulid, b]));
    const seen: ArrowBlock[] = [];
    const corrupt: string[] = [];
    for (const f of existsSync(this.dir) ? readdirSync(this.dir) : []) {
      const p = join(this.dir, f);
      if (/\.tmp-for-(creation|deletion)$/.test(f)) { rmSync(p, { recursive: true, force: true }); continue; }
      if (!isULID(f) || !isDir(p)) continue;
      const have = byUlid.get(f);
      if (have) { seen.push(have); continue; }
      try {
        seen.push(ArrowBlock.open(p));
      } catch (e) {
        if (!(e instanceof BlockCorruptionError)) throw e;
        corrupt.push(p);
        if (!this.corruptBlocks.includes(p)) {
          this.counters.blocksCorrupt++;
          this.logger.error("Corrupt block skipped (left on disk for inspection)", { dir: p, err: e.message });
        }
      }
    }
    // A block whose parents still exist was compacted but the parents not yet deleted (crash): delete them.
    const parents = new Set<string>();
    for (const b of seen) for (const p of b.meta.compaction.parents ?? []) parents.add(p.ulid);
    const live = seen.filter((b) => {
      if (!parents.has(b.meta.ulid)) return true;
      rmSync(b.dir, { recursive: true, force: true });
      return false;
    });
    live.sort((a, b) => a.meta.minTime - b.meta.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
    this.blocks = live;
    this.corruptBlocks = corrupt;
    this.counters.reloads++;
    let maxT = -Infinity;
    for (const b of live) if (b.meta.maxTime > maxT) maxT = b.meta.maxTime;
    if (maxT > this.head.minValidTime) this.head.minValidTime = maxT;
  }

  /** A new appender over the head (WAL-logged on commit). */
  appender(): HeadAppender {
    if (this.#closed) throw new StorageError("TSDB is closed");
    return new HeadAppender(this.head, this.wal, () => this.compactor.maybeTrigger());
  }

  /** A querier over [mint, maxt] (ms) seeing blocks and head as of now. */
  async querier(mint: number, maxt: number): Promise<Querier> {
    return this.querierSync(mint, maxt);
  }

  /** Synchronous {@link querier}. */
  querierSync(mint: number, maxt: number): DBQuerier {
    if (this.#closed) throw new StorageError("TSDB is closed");
    const blocks = this.blocks.filter((b) => b.meta.maxTime > mint && b.meta.minTime <= maxt);
    blocks.sort((a, b) => (a.meta.ulid < b.meta.ulid ? -1 : 1));
    return new DBQuerier(blocks, this.head, mint, maxt);
  }

  /** Earliest sample time (ms) held: the oldest block's start or the head's. */
  async startTime(): Promise<number> {
    const first = this.blocks[0];
    if (first) return first.meta.minTime;
    return Math.min(this.head.minTime, this.head.oooMinTime);
  }

  /**
   * Deletes samples in [mint, maxt] (ms, inclusive) of series matching all matchers by writing
   * tombstones (head: WAL-logged; blocks: tombstones.json). Queries honour them at once; compaction and
   * {@link cleanTombstones} remove the data physically.
   */
  async delete(matchers: readonly Matcher[], mint: number, maxt: number): Promise<void> {
    const recs: Array<{ ref: number; mint: number; maxt: number }> = [];
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series[ref];
      if (!s) continue;
      this.head.addTombstone(ref, mint, maxt);
      recs.push({ ref, mint, maxt });
    }
    if (recs.length && this.wal) this.wal.log([encodeTombstones(recs)]);
    for (const b of this.blocks) {
      if (b.meta.maxTime <= mint || b.meta.minTime > maxt) continue;
      const add = new Map<number, Interval[]>();
      for (const id of postingsForMatchers(b.index, matchers)) add.set(id, [{ mint, maxt }]);
      if (add.size) b.addTombstones(add);
    }
    this.compactor.noteDelete(matchers, mint, maxt); // blocks a running compaction is writing get it too
  }

  /** Rewrites every block that has tombstones without the deleted data. */
  async cleanTombstones(): Promise<void> {
    await this.compactor.idle();
    this.compactor.cleanTombstones();
  }

  /** Runs pending compaction and retention work now (in steps that yield to the event loop). */
  async compact(): Promise<void> {
    await this.compactor.runAsync();
  }

  /**
   * Persists head data older than `upTo` (ms, exclusive; default: all of it) into blocks and truncates
   * the head and WAL there (a forced "head cut").
   */
  flushHead(upTo?: number): void {
    if (this.compactor.busy) throw new StorageError("a compaction is running; await db.compact() first");
    this.compactor.flushHead(upTo);
  }

  /** Writes a snapshot into `dir`: hard links of every block (copies where linking fails) plus, with `withHead`, the head as a block. */
  async snapshot(dir: string, withHead: boolean): Promise<void> {
    await this.compactor.idle();
    this.compactor.snapshot(dir, withHead);
  }

  /**
   * Applies reloadable settings (from prometheus.yml `storage.tsdb`): the out-of-order window in ms.
   * Retention and block ranges come from flags and need a restart.
   */
  applyConfig(cfg: { outOfOrderTimeWindow?: number }): void {
    if (cfg.outOfOrderTimeWindow !== undefined) {
      if (!(cfg.outOfOrderTimeWindow >= 0)) throw new RangeError(`out_of_order_time_window must be ≥ 0, got ${cfg.outOfOrderTimeWindow}`);
      this.head.oooWindow = cfg.outOfOrderTimeWindow;
    }
  }

  /** Metadata of loaded blocks, oldest first. */
  blockMetas(): BlockMeta[] {
    return this.blocks.map((b) => b.meta);
  }

  /** Cardinality statistics for /api/v1/status/tsdb (top `limit` entries per list). */
  stats(limit = 10): TSDBStats {
    return tsdbStats(this.head, limit);
  }

  /** Self-metrics by Prometheus name (numbers only; the caller exposes them). */
  metrics(): Record<string, number> {
    return dbMetrics(this);
  }

  /** WAL replay progress (/api/v1/status/walreplay). */
  walReplayStatus(): ReplayStatus {
    return { ...this.replayStatus };
  }

  /** Stops background work, closes the WAL segment (fsync). Committed data stays recoverable. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.compactor.stop();
    await this.compactor.idle(); // a running compaction stops at its next step
    this.wal?.close();
    for (const b of this.blocks) b.close();
    if (!this.opts.noLockfile) releaseLock(this.dir);
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#closed;
  }
}

/**
 * Takes `<dir>/lock` (holding our PID). Another live process holding it is an error; a lock left by a
 * dead process (crash, SIGKILL) is taken over.
 */
function acquireLock(dir: string): void {
  const p = join(dir, "lock");
  if (existsSync(p)) {
    const pid = Number(readFileSync(p, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new StorageError(`TSDB directory ${dir} is locked by process ${pid} (another Quiver running?); use --storage.tsdb.no-lockfile to override`);
    }
  }
  writeFileSync(p, `${process.pid}\n`);
}

function releaseLock(dir: string): void {
  const p = join(dir, "lock");
  try {
    if (Number(readFileSync(p, "utf8").trim()) === process.pid) rmSync(p, { force: true });
  } catch {
    // already gone
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}
