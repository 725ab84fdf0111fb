/**
 * @module core/tsdb/wal/checkpoint
 * WAL checkpoints: a compacted copy of segments [first, N] kept as `checkpoint.NNNNNNNN/` (itself a
 * segment directory), so the segments can be deleted once their samples are persisted in blocks.
 * Record-agnostic: the caller passes a filter that keeps, rewrites or drops each payload.
 *
 * Invariant: a checkpoint directory appears atomically (written as `.tmp`, fsynced, renamed), and older
 * checkpoints are deleted only after the new one is in place. Replay reads the newest checkpoint, then
 * segments numbered above it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { listSegments, readSegment, scanSegment, SegmentWriter, frameAll } from "./segment.ts";

/** A checkpoint on disk. */
export interface CheckpointRef {
  /** The last segment index the checkpoint covers. */
  index: number;
  dir: string;
}

/** The newest complete checkpoint in a WAL directory, if any. */
export function lastCheckpoint(walDir: string): CheckpointRef | undefined {
  const all = listCheckpoints(walDir);
  return all[all.length - 1];
}

/** All complete checkpoints, oldest first. */
export function listCheckpoints(walDir: string): CheckpointRef[] {
  if (!existsSync(walDir)) return [];
  const out: CheckpointRef[] = [];
  for (const f of readdirSync(walDir)) {
    const m = /^checkpoint\.(\d{8})$/.exec(f);
    if (m) out.push({ index: Number(m[1]), dir: join(walDir, f) });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Writes checkpoint `upTo` from the previous checkpoint plus segments (prev, upTo], passing every record
 * through `filter` (return the payload to keep, a rewritten payload, or null to drop). Returns the
 * number of records kept. Blocks on file I/O.
 */
export function writeCheckpoint(walDir: string, upTo: number, filter: (payload: Uint8Array) => Uint8Array | null): number {
  const prev = lastCheckpoint(walDir);
  const tmp = join(walDir, `checkpoint.${String(upTo).padStart(8, "0")}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const w = new SegmentWriter(tmp, 0);
  let kept = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length) w.write(frameAll(batch));
    batch = [];
    batchBytes = 0;
  };
  const take = (p: Uint8Array) => {
    const out = filter(p);
    if (!out) return;
    batch.push(out === p ? p.slice() : out);
    batchBytes += out.length;
    kept++;
    if (batchBytes > 4 << 20) flush();
  };
  if (prev) for (const s of listSegments(prev.dir)) scanSegment(readSegment(prev.dir, s), 0, take);
  for (const s of listSegments(walDir)) {
    if ((prev && s <= prev.index) || s > upTo) continue;
    scanSegment(readSegment(walDir, s), 0, take);
  }
  flush();
  w.close();
  const final = join(walDir, `checkpoint.${String(upTo).padStart(8, "0")}`);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  for (const c of listCheckpoints(walDir)) if (c.index < upTo) rmSync(c.dir, { recursive: true, force: true });
  return kept;
}

/** Removes leftover `.tmp` checkpoint directories from an interrupted checkpoint. */
export function cleanTmpCheckpoints(walDir: string): void {
  if (!existsSync(walDir)) return;
  for (const f of readdirSync(walDir)) if (/^checkpoint\.\d{8}\.tmp$/.test(f)) rmSync(join(walDir, f), { recursive: true, force: true });
}
