/**
 * @module exporters/node/collectors/btrfs
 * Btrfs filesystems from /sys/fs/btrfs/<uuid>: info (label), per block group type and RAID profile the
 * allocated and used bytes and the allocation ratio, reserved bytes, global reserve, device sizes (512-byte
 * sectors → bytes) and commit statistics (ms → s; 0 when the kernel has no commit_stats).
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, listDirOptional, readOptional } from "../collector.ts";

const TYPES = ["data", "metadata", "system"];

/** Bytes stored per byte of data for a profile with `devices` devices. */
export function allocationRatio(mode: string, devices: number): number {
  switch (mode) {
    case "dup": case "raid1": case "raid10": return 2;
    case "raid1c3": return 3;
    case "raid1c4": return 4;
    case "raid5": return devices / (devices - 1);
    case "raid6": return devices / (devices - 2);
    default: return 1;
  }
}

/** The btrfs collector. */
export function btrfs(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("fs/btrfs");
      const uuids = (await listDirOptional(base, ctx.signal)).filter((d) => /^[0-9a-f-]{36}$/.test(d));
      if (uuids.length === 0) throw new NoDataError("no btrfs filesystems");
      const fs = new FamilySet();
      for (const uuid of uuids) {
        const dir = `${base}/${uuid}`;
        const num = async (p: string) => Number((await readOptional(`${dir}/${p}`, ctx.signal)) ?? NaN);
        fs.gauge("node_btrfs_info", "Filesystem information", 1, { label: (await readOptional(`${dir}/label`, ctx.signal)) ?? "", uuid });
        const devices = await listDirOptional(`${dir}/devices`, ctx.signal);
        for (const device of devices) {
          const sectors = await num(`devices/${device}/size`);
          if (!Number.isNaN(sectors)) fs.gauge("node_btrfs_device_size_bytes", "Size of a device that is part of the filesystem.", sectors * 512, { device, uuid });
        }
        const rsv = await num("allocation/global_rsv_size");
        if (!Number.isNaN(rsv)) fs.gauge("node_btrfs_global_rsv_size_bytes", "Size of global reserve.", rsv, { uuid });
        for (const type of TYPES) {
          const reserved = await num(`allocation/${type}/bytes_reserved`);
          if (!Number.isNaN(reserved)) fs.gauge("node_btrfs_reserved_bytes", "Amount of space reserved for a data type", reserved, { block_group_type: type, uuid });
          for (const mode of await listDirOptional(`${dir}/allocation/${type}`, ctx.signal)) {
            if (!/^(single|dup|raid\w+)$/.test(mode)) continue;
            const labels = { block_group_type: type, mode, uuid };
            const total = await num(`allocation/${type}/${mode}/total_bytes`);
            const used = await num(`allocation/${type}/${mode}/used_bytes`);
            if (!Number.isNaN(total)) fs.gauge("node_btrfs_size_bytes", "Amount of space allocated for a layout/data type", total, labels);
            if (!Number.isNaN(used)) fs.gauge("node_btrfs_used_bytes", "Amount of used space by a layout/data type", used, labels);
            fs.gauge("node_btrfs_allocation_ratio", "Data allocation ratio for a layout/data type", allocationRatio(mode, devices.length), labels);
          }
        }
        const stats = new Map<string, number>();
        for (const l of lines((await readOptional(`${dir}/commit_stats`, ctx.signal)) ?? "")) {
          const [k, v] = fields(l);
          if (k && v !== undefined) stats.set(k, Number(v));
        }
        fs.counter("node_btrfs_commits_total", "The total number of commits that have occurred.", stats.get("commits") ?? 0, { uuid });
        fs.gauge("node_btrfs_last_commit_seconds", "Duration of the most recent commit, in seconds.", (stats.get("last_commit_ms") ?? 0) / 1000, { uuid });
        fs.gauge("node_btrfs_max_commit_seconds", "Duration of the slowest commit, in seconds.", (stats.get("max_commit_ms") ?? 0) / 1000, { uuid });
        fs.counter("node_btrfs_commit_seconds_total", "Sum of the duration of all commits, in seconds.", (stats.get("total_commit_ms") ?? 0) / 1000, { uuid });
      }
      return fs.families();
    },
  };
}
