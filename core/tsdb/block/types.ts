/**
 * @module core/tsdb/block/types
 * What the querier and the compactor need from a persisted block, and the block's meta.json shape.
 */
import type { Labels } from "../../model/labels.ts";
import type { Interval } from "../head/head.ts";
import type { SampleColumns } from "../head/head-read.ts";
import type { IndexReader } from "../index/postings.ts";

/** meta.json of a block (Prometheus's field names; times in ms, maxTime exclusive). */
export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: { numSamples: number; numSeries: number; numChunks: number; numTombstones?: number; numBytes?: number };
  compaction: { level: number; sources: string[]; parents?: Array<{ ulid: string; minTime: number; maxTime: number }> };
  version: number;
  /** Quiver's format marker: "quiver-arrow-1". */
  format: string;
  /** Data files with their size and CRC-32, checked when the block is opened. */
  files?: Array<{ rel_path: string; size_bytes: number; crc32: number }>;
}

/** Read access to one block. Ids are the block's series numbers (0-based, sorted by labels). */
export interface BlockReader {
  readonly meta: BlockMeta;
  readonly dir: string;
  readonly index: IndexReader;
  /** Labels of series `id`. */
  labels(id: number): Labels;
  /** Number of series. */
  readonly numSeries: number;
  /** Samples of series `id` in [mint, maxt] (ms), tombstones applied; null when none. Caller owns the arrays. */
  readSeries(id: number, mint: number, maxt: number): SampleColumns | null;
  /** Whether series `id` has a chunk overlapping [mint, maxt] (ms); cheap, ignores tombstones. */
  hasSamples(id: number, mint: number, maxt: number): boolean;
  /** Tombstones by series id. */
  tombstones(): ReadonlyMap<number, readonly Interval[]>;
  /** Adds tombstones (persisted atomically to the block's tombstones file). */
  addTombstones(add: ReadonlyMap<number, readonly Interval[]>): void;
  /** Bytes on disk. */
  size(): number;
  /** Releases memory. */
  close(): void;
}
