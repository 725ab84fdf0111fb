/**
 * @module core/tsdb/compact/planner
 * Decides which blocks to merge and which to delete, from block metadata only (pure functions).
 *
 * Order of work, as Prometheus: first any set of time-overlapping blocks (vertical compaction, e.g.
 * out-of-order data), then for each range of the exponential ladder (6h, 18h, …) the blocks falling in
 * one aligned window once that window is complete (the newest block lies beyond it), then single
 * blocks whose tombstones cover more than 5% of their series. Retention deletes whole blocks: those
 * ending more than `retentionTime` before the newest block's end, and the oldest ones while the total
 * size exceeds `retentionSize`.
 */
import type { BlockMeta } from "../block/types.ts";

/** What the planner sees of a block. */
export interface PlanBlock {
  meta: BlockMeta;
  /** Tombstoned series count. */
  tombstones: number;
  /** Bytes on disk. */
  size: number;
}

/** The next group of block ULIDs to compact into one, or [] when nothing needs doing. */
export function plan(blocks: readonly PlanBlock[], ranges: readonly number[]): string[] {
  const sorted = [...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
  // 1. Overlaps.
  let group: PlanBlock[] = [];
  let gmax = -Infinity;
  for (const b of sorted) {
    if (group.length && b.meta.minTime < gmax) {
      group.push(b);
      gmax = Math.max(gmax, b.meta.maxTime);
      continue;
    }
    if (group.length > 1) return group.map((g) => g.meta.ulid);
    group = [b];
    gmax = b.meta.maxTime;
  }
  if (group.length > 1) return group.map((g) => g.meta.ulid);
  if (sorted.length === 0) return [];
  // 2. Leveled: never include the newest block.
  const newest = sorted[sorted.length - 1]!;
  const candidates = sorted.slice(0, -1);
  for (const r of ranges.slice(1)) {
    const windows = new Map<number, PlanBlock[]>();
    for (const b of candidates) {
      const w = Math.floor(b.meta.minTime / r);
      if (Math.floor((b.meta.maxTime - 1) / r) !== w) continue; // does not fit this range
      if (b.meta.maxTime - b.meta.minTime >= r) continue; // already this big
      let l = windows.get(w);
      if (!l) windows.set(w, (l = []));
      l.push(b);
    }
    for (const [w, l] of [...windows].sort((a, b) => a[0] - b[0])) {
      const end = (w + 1) * r;
      if (l.length >= 2 && end <= newest.meta.maxTime) return l.map((g) => g.meta.ulid);
    }
  }
  // 3. Tombstone-heavy single blocks.
  for (const b of sorted) {
    if (b.tombstones > 0 && b.tombstones / Math.max(1, b.meta.stats.numSeries) > 0.05) return [b.meta.ulid];
  }
  return [];
}

/**
 * ULIDs of blocks retention deletes. `extraBytes` counts what is not a block (WAL, head) against the
 * size limit. Times in ms; 0 disables a limit.
 */
export function retention(blocks: readonly PlanBlock[], retentionTime: number, retentionSize: number, extraBytes: number): Set<string> {
  const out = new Set<string>();
  if (blocks.length === 0) return out;
  const newestFirst = [...blocks].sort((a, b) => b.meta.maxTime - a.meta.maxTime || (a.meta.ulid < b.meta.ulid ? 1 : -1));
  const maxt = newestFirst[0]!.meta.maxTime;
  if (retentionTime > 0) for (const b of newestFirst) if (maxt - b.meta.maxTime > retentionTime) out.add(b.meta.ulid);
  if (retentionSize > 0) {
    let total = extraBytes;
    let over = false;
    for (const b of newestFirst) {
      total += b.size;
      if (total > retentionSize) over = true;
      if (over) out.add(b.meta.ulid);
    }
  }
  return out;
}
