/**
 * @module core/tsdb/options
 * DB options with Prometheus's names and defaults (times in ms, sizes in bytes).
 */

/** 2h: the default (minimum) block range, --storage.tsdb.min-block-duration. */
export const DEFAULT_MIN_BLOCK_DURATION = 2 * 3600 * 1000;
/** 15d: --storage.tsdb.retention.time default. */
export const DEFAULT_RETENTION_TIME = 15 * 24 * 3600 * 1000;
/** How often the background loop looks for compaction and retention work (1m, as Prometheus). */
export const DEFAULT_COMPACTION_INTERVAL = 60 * 1000;

/** Options of DB.open. */
export interface DBOptions {
  /** Delete blocks older than this (ms) relative to the newest block's end. 0 disables. Default 15d. */
  retentionTime?: number;
  /** Delete oldest blocks while blocks + WAL exceed this many bytes. 0 disables (default). */
  retentionSize?: number;
  /** storage.tsdb.out_of_order_time_window (ms). 0 disables (default). */
  outOfOrderTimeWindow?: number;
  /** Block range of head compaction (ms). Default 2h. */
  minBlockDuration?: number;
  /** Largest block range compaction produces (ms). Default: 10% of the retention time, at most 31d. */
  maxBlockDuration?: number;
  /** WAL segment size in bytes. Default 128 MiB. */
  walSegmentSize?: number;
  /** Write a WAL (default true). Without it, committed head data is lost on restart. */
  walEnabled?: boolean;
  /** Run compaction and retention in the background (default true). Tests drive `compact()` themselves. */
  backgroundCompaction?: boolean;
  /** Background loop period in ms. */
  compactionInterval?: number;
  /** Skip the `lock` file that keeps a second process from opening the same directory (--storage.tsdb.no-lockfile). */
  noLockfile?: boolean;
  /** Clock in ms since the epoch (retention of a store with no blocks, snapshot names). Default Date.now. */
  now?: () => number;
}

/** Options with every default filled in. */
export type ResolvedDBOptions = Required<DBOptions>;

/** Fills defaults. */
export function resolveOptions(o: DBOptions): ResolvedDBOptions {
  const retentionTime = o.retentionTime ?? DEFAULT_RETENTION_TIME;
  const minBlockDuration = o.minBlockDuration ?? DEFAULT_MIN_BLOCK_DURATION;
  const maxDefault = Math.max(minBlockDuration, Math.min(retentionTime > 0 ? retentionTime / 10 : 31 * 86400e3, 31 * 86400e3));
  return {
    retentionTime,
    retentionSize: o.retentionSize ?? 0,
    outOfOrderTimeWindow: o.outOfOrderTimeWindow ?? 0,
    minBlockDuration,
    maxBlockDuration: o.maxBlockDuration ?? maxDefault,
    walSegmentSize: o.walSegmentSize ?? 128 * 1024 * 1024,
    walEnabled: o.walEnabled ?? true,
    backgroundCompaction: o.backgroundCompaction ?? true,
    compactionInterval: o.compactionInterval ?? DEFAULT_COMPACTION_INTERVAL,
    noLockfile: o.noLockfile ?? false,
    now: o.now ?? Date.now,
  };
}

/** Block ranges compaction builds: the minimum range times 3, 9, 27, … up to `max` (Prometheus's exponential ranges). */
export function blockRanges(min: number, max: number): number[] {
  const out = [min];
  for (let r = min * 3; r <= max; r *= 3) out.push(r);
  return out;
}
