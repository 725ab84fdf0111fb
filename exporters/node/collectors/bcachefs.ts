/**
 * @module exporters/node/collectors/bcachefs
 * bcachefs filesystems from /sys/fs/bcachefs/<uuid>: counters (the "since filesystem creation" value of
 * each counters/ file), btree cache size, btree write statistics, compression statistics, error counts and
 * per device (dev-N) bucket size and count, durability, label/state, IO done and IO errors. Human-readable
 * sizes ("2.05G", "28.2k") are binary multiples, truncated to whole bytes.
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, listDirOptional, readOptional } from "../collector.ts";

const UNITS: Record<string, number> = { "": 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5, E: 1024 ** 6 };

/** Parses a bcachefs human-readable size ("2.05G", "100k", "720") into bytes. */
export function parseHumanSize(s: string): number {
  const m = /^([\d.]+)([kKMGTPE]?)i?B?$/.exec(s.trim());
  if (!m) return NaN;
  return Math.floor(Number(m[1]) * UNITS[m[2]!]!);
}

/** The bcachefs collector. */
export function bcachefs(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("fs/bcachefs");
      const uuids = await listDirOptional(base, ctx.signal);
      if (uuids.length === 0) throw new NoDataError("no bcachefs filesystems");
      const fs = new FamilySet();
      for (const uuid of uuids) {
        const dir = `${base}/${uuid}`;
        const read = (p: string) => readOptional(`${dir}/${p}`, ctx.signal);
        fs.gauge("node_bcachefs_info", "Filesystem information.", 1, { uuid });
        const cache = await read("btree_cache_size");
        if (cache !== null && !Number.isNaN(parseHumanSize(cache))) fs.gauge("node_bcachefs_btree_cache_size_bytes", "Btree cache memory usage in bytes.", parseHumanSize(cache), { uuid });
        for (const l of lines((await read("btree_write_stats")) ?? "").slice(1)) {
          const m = /^(\w+):\s+(\d+)\s+(\S+)$/.exec(l.trim());
          if (!m) continue;
          fs.counter("node_bcachefs_btree_writes_total", "Number of btree writes by type.", Number(m[2]), { type: m[1]!, uuid });
          fs.gauge("node_bcachefs_btree_write_average_size_bytes", "Average btree write size by type.", parseHumanSize(m[3]!), { type: m[1]!, uuid });
        }
        for (const l of lines((await read("compression_stats")) ?? "").slice(1)) {
          const f = fields(l);
          if (f.length < 3) continue;
          fs.gauge("node_bcachefs_compression_compressed_bytes", "Compressed size by algorithm.", parseHumanSize(f[1]!), { algorithm: f[0]!, uuid });
          fs.gauge("node_bcachefs_compression_uncompressed_bytes", "Uncompressed size by algorithm.", parseHumanSize(f[2]!), { algorithm: f[0]!, uuid });
        }
        for (const l of lines((await read("errors")) ?? "")) {
          const f = fields(l);
          if (f.length >= 2 && /^\d+$/.test(f[1]!)) fs.counter("node_bcachefs_errors_total", "Error count by error type.", Number(f[1]), { error_type: f[0]!, uuid });
        }
        for (const name of await listDirOptional(`${dir}/counters`, ctx.signal)) {
          // Byte-valued counters are printed human-readable ("2.05G").
          const m = /since filesystem creation:\s*(\S+)/.exec((await read(`counters/${name}`)) ?? "");
          const v = m ? parseHumanSize(m[1]!) : NaN;
          if (!Number.isNaN(v)) fs.counter(`node_bcachefs_${name}_total`, `Bcachefs counter ${name} since filesystem creation.`, v, { uuid });
        }
        for (const d of await listDirOptional(dir, ctx.signal)) {
          const dm = /^dev-(\d+)$/.exec(d);
          if (!dm) continue;
          const device = dm[1]!;
          const labels = { device, uuid };
          const bucket = await read(`${d}/bucket_size`);
          if (bucket !== null) fs.gauge("node_bcachefs_device_bucket_size_bytes", "Bucket size in bytes.", parseHumanSize(bucket), labels);
          const nb = await read(`${d}/nbuckets`);
          if (nb !== null) fs.gauge("node_bcachefs_device_buckets", "Total number of buckets.", Number(nb), labels);
          const dur = await read(`${d}/durability`);
          if (dur !== null) fs.gauge("node_bcachefs_device_durability", "Device durability setting.", Number(dur), labels);
          fs.gauge("node_bcachefs_device_info", "Device information.", 1, { ...labels, label: (await read(`${d}/label`)) ?? "", state: (await read(`${d}/state`)) ?? "" });
          let op = "";
          for (const l of lines((await read(`${d}/io_done`)) ?? "")) {
            const head = /^(\w+):$/.exec(l.trim());
            if (head) {
              op = head[1]!;
              continue;
            }
            const m = /^(\w+)\s*:\s*(\d+)$/.exec(l.trim());
            if (m && op) fs.counter("node_bcachefs_device_io_done_bytes_total", "IO bytes by operation type and data type.", Number(m[2]), { ...labels, operation: op, data_type: m[1]! });
          }
          let inCreation = false;
          for (const l of lines((await read(`${d}/io_errors`)) ?? "")) {
            if (!l.startsWith(" ")) {
              inCreation = l.includes("since filesystem creation");
              continue;
            }
            const m = /^(\w+):\s*(\d+)$/.exec(l.trim());
            if (m && inCreation) fs.counter("node_bcachefs_device_io_errors_total", "IO errors by error type.", Number(m[2]), { ...labels, type: m[1]! });
          }
        }
      }
      return fs.families();
    },
  };
}
