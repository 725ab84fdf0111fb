/**
 * @module core/tsdb/compact/compactor
 * Produces blocks: from a time range of the head, and by merging existing blocks (leveled or vertical).
 * Both feed {@link writeBlock} a stream of series in label order; samples are merged with older sources
 * winning ties (blocks by ULID, then head), and tombstones are applied, so deleted data is physically
 * dropped by the rewrite.
 */
import { compareLabels, type Labels } from "../../model/labels.ts";
import { mergeAllSamples } from "../../storage/merge.ts";
import type { BlockMeta, BlockReader } from "../block/types.ts";
import { drainSteps, writeBlockSteps, type SeriesData } from "../block/writer.ts";
import type { Head } from "../head/head.ts";
import { readHeadSeries, ReadScratch } from "../head/head-read.ts";

/** Head series sorted by labels (a fresh array of refs). */
export function sortedHeadRefs(head: Head): number[] {
  const refs: number[] = [];
  for (let r = 1; r < head.series.length; r++) if (head.series[r]) refs.push(r);
  refs.sort((a, b) => compareLabels(head.series[a]!.labels, head.series[b]!.labels));
  return refs;
}

/** Streams the head's samples in [mint, maxt] (ms, inclusive) series by series, in label order. */
export function* headSeries(head: Head, mint: number, maxt: number, refs = sortedHeadRefs(head)): Generator<SeriesData> {
  const sc = new ReadScratch();
  for (const r of refs) {
    const s = head.series[r];
    if (!s) continue;
    const cols = readHeadSeries(s, mint, maxt, head.tombstones.get(r), sc);
    if (cols) yield { labels: s.labels, t: cols.t, v: cols.v };
  }
}

/** Writes the head's data in [mint, maxt) as a level-1 block; null when the range holds nothing. */
export function writeHeadBlock(dir: string, ulid: string, head: Head, mint: number, maxt: number, chunkRange: number, refs?: number[]): BlockMeta | null {
  return drainSteps(headBlockSteps(dir, ulid, head, mint, maxt, chunkRange, refs));
}

/** {@link writeHeadBlock} as resumable steps (see block/writer.ts driveSteps). */
export function headBlockSteps(dir: string, ulid: string, head: Head, mint: number, maxt: number, chunkRange: number, refs?: number[]): Generator<void, BlockMeta | null> {
  return writeBlockSteps(dir, ulid, mint, maxt, headSeries(head, mint, maxt - 1, refs), {
    chunkRange, compaction: { level: 1, sources: [ulid] },
  });
}

/** Streams the merged series of several blocks (given oldest first) in label order. */
export function* mergedBlockSeries(blocks: readonly BlockReader[]): Generator<SeriesData> {
  const all = new Map<string, { labels: Labels; refs: Array<[number, number]> }>();
  blocks.forEach((b, bi) => {
    for (let id = 0; id < b.numSeries; id++) {
      const l = b.labels(id);
      const k = l.key();
      const e = all.get(k);
      if (e) e.refs.push([bi, id]);
      else all.set(k, { labels: l, refs: [[bi, id]] });
    }
  });
  const entries = [...all.values()].sort((a, b) => compareLabels(a.labels, b.labels));
  for (const e of entries) {
    const pieces = [];
    for (const [bi, id] of e.refs) {
      const c = blocks[bi]!.readSeries(id, -Infinity, Infinity);
      if (c) pieces.push(c);
    }
    if (pieces.length === 0) continue;
    const m = mergeAllSamples(pieces);
    yield { labels: e.labels, t: m.t, v: m.v };
  }
}

/** Merges blocks (oldest first) into one new block; null when nothing survives (all deleted). */
export function compactBlocks(dir: string, ulid: string, blocks: readonly BlockReader[], chunkRange: number): BlockMeta | null {
  return drainSteps(compactBlocksSteps(dir, ulid, blocks, chunkRange));
}

/** {@link compactBlocks} as resumable steps. */
export function compactBlocksSteps(dir: string, ulid: string, blocks: readonly BlockReader[], chunkRange: number): Generator<void, BlockMeta | null> {
  let mint = Infinity, maxt = -Infinity, level = 0;
  const sources = new Set<string>();
  for (const b of blocks) {
    mint = Math.min(mint, b.meta.minTime);
    maxt = Math.max(maxt, b.meta.maxTime);
    level = Math.max(level, b.meta.compaction.level);
    for (const s of b.meta.compaction.sources) sources.add(s);
  }
  return writeBlockSteps(dir, ulid, mint, maxt, mergedBlockSeries(blocks), {
    chunkRange,
    compaction: {
      level: level + 1, sources: [...sources].sort(),
      parents: blocks.map((b) => ({ ulid: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime })),
    },
  });
}
