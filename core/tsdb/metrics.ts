/**
 * @module core/tsdb/metrics
 * The TSDB's self-metrics as plain numbers keyed by Prometheus's metric names; the server exposes them.
 */
import type { DB } from "./db.ts";

/** Counters the DB keeps besides the head's. */
export interface DBCounters {
  compactions: number;
  compactionsFailed: number;
  compactionsTriggered: number;
  verticalCompactions: number;
  reloads: number;
  timeRetentions: number;
  sizeRetentions: number;
  walCorruptions: number;
  checkpoints: number;
  checkpointsFailed: number;
  blocksCorrupt: number;
}

/** Snapshot of the self-metrics. Sizes in bytes, times in ms (as Prometheus's tsdb gauges). */
export function dbMetrics(db: DB): Record<string, number> {
  const h = db.head, c = h.counters, d = db.counters;
  let chunks = 0;
  for (const s of h.series) if (s) chunks += s.chunks.length + (s.open && s.open.n > 0 ? 1 : 0);
  let blockBytes = 0;
  for (const b of db.blocks) blockBytes += b.meta.stats.numBytes ?? 0;
  const lowest = db.blocks.length ? db.blocks[0]!.meta.minTime : h.minTime;
  return {
    prometheus_tsdb_head_series: h.numSeries,
    prometheus_tsdb_head_chunks: chunks,
    prometheus_tsdb_head_min_time: Number.isFinite(h.minTime) ? h.minTime : 0,
    prometheus_tsdb_head_max_time: Number.isFinite(h.maxTime) ? h.maxTime : 0,
    prometheus_tsdb_head_samples_appended_total: c.samplesAppended,
    prometheus_tsdb_head_out_of_order_samples_appended_total: c.oooSamplesAppended,
    prometheus_tsdb_out_of_order_samples_total: c.outOfOrderRejected,
    prometheus_tsdb_out_of_bound_samples_total: c.outOfBoundsRejected,
    prometheus_tsdb_head_series_created_total: c.seriesCreated,
    prometheus_tsdb_head_series_removed_total: c.seriesRemoved,
    prometheus_tsdb_head_chunks_created_total: c.chunksCreated,
    prometheus_tsdb_head_chunks_removed_total: c.chunksRemoved,
    prometheus_tsdb_head_truncations_total: c.truncations,
    prometheus_tsdb_compactions_total: d.compactions,
    prometheus_tsdb_compactions_failed_total: d.compactionsFailed,
    prometheus_tsdb_compactions_triggered_total: d.compactionsTriggered,
    prometheus_tsdb_vertical_compactions_total: d.verticalCompactions,
    prometheus_tsdb_reloads_total: d.reloads,
    prometheus_tsdb_time_retentions_total: d.timeRetentions,
    prometheus_tsdb_size_retentions_total: d.sizeRetentions,
    prometheus_tsdb_wal_corruptions_total: d.walCorruptions,
    prometheus_tsdb_checkpoint_creations_total: d.checkpoints,
    prometheus_tsdb_checkpoint_creations_failed_total: d.checkpointsFailed,
    prometheus_tsdb_blocks_loaded: db.blocks.length,
    quiver_tsdb_blocks_corrupt: db.corruptBlocks.length,
    prometheus_tsdb_storage_blocks_bytes: blockBytes,
    prometheus_tsdb_wal_storage_size_bytes: db.wal ? db.wal.size() : 0,
    prometheus_tsdb_lowest_timestamp: Number.isFinite(lowest) ? lowest : 0,
    prometheus_tsdb_retention_limit_bytes: db.opts.retentionSize,
    prometheus_tsdb_retention_limit_seconds: db.opts.retentionTime / 1000,
  };
}
