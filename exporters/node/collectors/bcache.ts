/**
 * @module exporters/node/collectors/bcache
 * bcache cache sets from /sys/fs/bcache/<uuid>: set-wide statistics, per backing device (bdevN) hit/miss
 * counters, dirty data and writeback controller state, and per cache device (cacheN) I/O errors and bytes
 * written (with --collector.bcache.priorityStats also the priority statistics). Sizes use bcache's
 * human-readable form ("1.1M" = 1 MiB + 100 KiB, as procfs' dehumanize reads it).
 */
import { FamilySet, NoDataError, type NodeCollector, lines, listDirOptional, readOptional } from "../collector.ts";

const SCALE = "kMGTPEZY";

/** Parses bcache's human-readable numbers: integer part × unit + the decimal digits as thousandths of the next lower unit. */
export function dehumanize(s: string): number {
  const m = /^(-?\d+)(?:\.(\d+))?([kMGTPEZY]?)/.exec(s.trim());
  if (!m) return NaN;
  const mult = m[3] ? 1024 ** (SCALE.indexOf(m[3]) + 1) : 1;
  const frac = m[2] ? Number(m[2].padEnd(3, "0").slice(0, 3)) * (mult / 1024) : 0;
  return Number(m[1]) * mult + (mult > 1 ? frac : 0);
}

type Row = [file: string, metric: string, type: "gauge" | "counter", help: string, conv: (s: string) => number];
const num = (s: string) => Number(s.trim());
const SET: Row[] = [
  ["average_key_size", "average_key_size_sectors", "gauge", "Average data per key in the btree (sectors).", num],
  ["btree_cache_size", "btree_cache_size_bytes", "gauge", "Amount of memory currently used by the btree cache.", dehumanize],
  ["cache_available_percent", "cache_available_percent", "gauge", "Percentage of cache device without dirty data, usable for writeback (may contain clean cached data).", num],
  ["congested", "congested", "gauge", "Congestion.", num],
  ["root_usage_percent", "root_usage_percent", "gauge", "Percentage of the root btree node in use (tree depth increases if too high).", num],
  ["tree_depth", "tree_depth", "gauge", "Depth of the btree.", num],
  ["internal/active_journal_entries", "active_journal_entries", "gauge", "Number of journal entries that are newer than the index.", num],
  ["internal/btree_nodes", "btree_nodes", "gauge", "Total nodes in the btree.", num],
  ["internal/btree_read_average_duration_us", "btree_read_average_duration_seconds", "gauge", "Average btree read duration.", (s) => num(s) * 1e-9],
  ["internal/cache_read_races", "cache_read_races_total", "counter", "Counts instances where while data was being read from the cache, the bucket was reused and invalidated - i.e. where the pointer was stale after the read completed.", num],
];
const BDEV_STATS: Row[] = [
  ["stats_total/bypassed", "bypassed_bytes_total", "counter", "Amount of IO (both reads and writes) that has bypassed the cache.", dehumanize],
  ["stats_total/cache_hits", "cache_hits_total", "counter", "Hits counted per individual IO as bcache sees them.", num],
  ["stats_total/cache_misses", "cache_misses_total", "counter", "Misses counted per individual IO as bcache sees them.", num],
  ["stats_total/cache_bypass_hits", "cache_bypass_hits_total", "counter", "Hits for IO intended to skip the cache.", num],
  ["stats_total/cache_bypass_misses", "cache_bypass_misses_total", "counter", "Misses for IO intended to skip the cache.", num],
  ["stats_total/cache_miss_collisions", "cache_miss_collisions_total", "counter", "Instances where data insertion from cache miss raced with write (data already present).", num],
  ["stats_total/cache_readaheads", "cache_readaheads_total", "counter", "Count of times readahead occurred.", num],
  ["dirty_data", "dirty_data_bytes", "gauge", "Amount of dirty data for this backing device in the cache.", dehumanize],
];
const WRITEBACK: Record<string, [metric: string, help: string]> = {
  rate: ["writeback_rate", "Current writeback rate for this backing device in bytes."],
  target: ["dirty_target_bytes", "Current dirty data target threshold for this backing device in bytes."],
  proportional: ["writeback_rate_proportional_term", "Current result of proportional controller, part of writeback rate"],
  integral: ["writeback_rate_integral_term", "Current result of integral controller, part of writeback rate"],
  change: ["writeback_change", "Last writeback rate change step for this backing device."],
};

/** The bcache collector. */
export function bcache(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("fs/bcache");
      const sets = (await listDirOptional(base, ctx.signal)).filter((d) => /^[0-9a-f-]{36}$/.test(d));
      if (sets.length === 0) throw new NoDataError("no bcache cache sets");
      const priority = ctx.opt("collector.bcache.priorityStats") === "true";
      const fs = new FamilySet();
      for (const uuid of sets) {
        const dir = `${base}/${uuid}`;
        const emit = async (rows: Row[], prefix: string, labels: Record<string, string>) => {
          for (const [file, metric, type, help, conv] of rows) {
            const t = await readOptional(`${dir}/${prefix}${file}`, ctx.signal);
            if (t === null) continue;
            const v = conv(t);
            if (!Number.isNaN(v)) fs.add(`node_bcache_${metric}`, type, help, v, labels);
          }
        };
        await emit(SET, "", { uuid });
        for (const d of await listDirOptional(dir, ctx.signal)) {
          if (/^bdev\d+$/.test(d)) {
            const labels = { backing_device: d, uuid };
            await emit(BDEV_STATS, `${d}/`, labels);
            for (const l of lines((await readOptional(`${dir}/${d}/writeback_rate_debug`, ctx.signal)) ?? "")) {
              const m = /^([a-z ]+):\s*(\S+)/.exec(l);
              const w = m ? WRITEBACK[m[1]!.trim()] : undefined;
              if (w) fs.gauge(`node_bcache_${w[0]}`, w[1], dehumanize(m![2]!.replace(/\/sec$/, "")), labels);
            }
          } else if (/^cache\d+$/.test(d)) {
            const labels = { cache_device: d, uuid };
            await emit([
              ["io_errors", "io_errors", "gauge", "Number of errors that have occurred, decayed by io_error_halflife.", num],
              ["metadata_written", "metadata_written_bytes_total", "counter", "Sum of all non data writes (btree writes and all other metadata).", dehumanize],
              ["written", "written_bytes_total", "counter", "Sum of all data that has been written to the cache.", dehumanize],
            ], `${d}/`, labels);
            if (priority) {
              const ps = (await readOptional(`${dir}/${d}/priority_stats`, ctx.signal)) ?? "";
              const unused = /^Unused:\s*(\d+)%/m.exec(ps);
              const meta = /^Metadata:\s*(\d+)%/m.exec(ps);
              if (unused) fs.gauge("node_bcache_priority_stats_unused_percent", "The percentage of the cache that doesn't contain any data.", Number(unused[1]), labels);
              if (meta) fs.gauge("node_bcache_priority_stats_metadata_percent", "Bcache's metadata overhead.", Number(meta[1]), labels);
            }
          }
        }
      }
      return fs.families();
    },
  };
}
