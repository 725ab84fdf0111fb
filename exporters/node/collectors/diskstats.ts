/**
 * @module exporters/node/collectors/diskstats
 * Block device I/O statistics from /proc/diskstats (times in ms → s as value × 0.001, sectors of 512
 * bytes), plus device info from the udev database (--path.udev.data) and sysfs: node_disk_info,
 * node_disk_ata_*, node_disk_filesystem_info, node_disk_device_mapper_info.
 * Devices matching --collector.diskstats.device-exclude (default: RAM, loop, floppy and partitions) are skipped.
 */
import { FamilySet, type NodeCollector, type CollectorContext, fields, lines, readOptional, readText } from "../collector.ts";

/** node_exporter's default --collector.diskstats.device-exclude. */
export const DEFAULT_DISKSTATS_EXCLUDE = "^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";
const SECTOR = 512;
const MS = 0.001;

type Col = [idx: number, name: string, help: string, type: "counter" | "gauge", scale: number];
const COLS: Col[] = [
  [0, "node_disk_reads_completed_total", "The total number of reads completed successfully.", "counter", 1],
  [1, "node_disk_reads_merged_total", "The total number of reads merged.", "counter", 1],
  [2, "node_disk_read_bytes_total", "The total number of bytes read successfully.", "counter", SECTOR],
  [3, "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", "counter", MS],
  [4, "node_disk_writes_completed_total", "The total number of writes completed successfully.", "counter", 1],
  [5, "node_disk_writes_merged_total", "The number of writes merged.", "counter", 1],
  [6, "node_disk_written_bytes_total", "The total number of bytes written successfully.", "counter", SECTOR],
  [7, "node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", "counter", MS],
  [8, "node_disk_io_now", "The number of I/Os currently in progress.", "gauge", 1],
  [9, "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", "counter", MS],
  [10, "node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", "counter", MS],
  [11, "node_disk_discards_completed_total", "The total number of discards completed successfully.", "counter", 1],
  [12, "node_disk_discards_merged_total", "The total number of discards merged.", "counter", 1],
  [13, "node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", "counter", 1],
  [14, "node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", "counter", MS],
  [15, "node_disk_flush_requests_total", "The total number of flush requests completed successfully", "counter", 1],
  [16, "node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", "counter", MS],
];

/** Reads one udev database entry (`E:KEY=value` lines) into a map; empty when absent. */
async function udevProps(ctx: CollectorContext, major: string, minor: string): Promise<Record<string, string>> {
  const dir = ctx.opt("path.udev.data") ?? "/run/udev/data";
  const text = await readOptional(`${dir}/b${major}:${minor}`, ctx.signal);
  const out: Record<string, string> = {};
  if (text === null) return out;
  for (const l of lines(text)) {
    if (!l.startsWith("E:")) continue;
    const i = l.indexOf("=");
    if (i > 0) out[l.slice(2, i)] = l.slice(i + 1);
  }
  return out;
}

/** The diskstats collector. */
export function diskstats(): NodeCollector {
  return {
    async update(ctx) {
      const exclude = new RegExp(ctx.opt("collector.diskstats.device-exclude") ?? DEFAULT_DISKSTATS_EXCLUDE);
      const includeRe = ctx.opt("collector.diskstats.device-include");
      const include = includeRe ? new RegExp(includeRe) : null;
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("diskstats"), ctx.signal))) {
        const f = fields(l);
        if (f.length < 14) continue;
        const [major, minor, device] = f as [string, string, string];
        if (include ? !include.test(device) : exclude.test(device)) continue;
        const v = f.slice(3).map(Number);
        const labels = { device };
        const rot = (await readOptional(ctx.sys("block", device, "queue/rotational"), ctx.signal)) ?? "0";
        const u = await udevProps(ctx, major, minor);
        fs.gauge("node_disk_info", "Info of /sys/block/<block_device>.", 1, {
          device, major, minor, path: u.ID_PATH ?? "", wwn: u.ID_WWN ?? "", model: u.ID_MODEL ?? "",
          serial: u.SCSI_IDENT_SERIAL ?? u.ID_SERIAL_SHORT ?? u.ID_SERIAL ?? "", revision: u.ID_REVISION ?? "", rotational: rot,
        });
        if (u.ID_FS_TYPE) {
          fs.gauge("node_disk_filesystem_info", "Info about disk filesystem.", 1, { device, type: u.ID_FS_TYPE, usage: u.ID_FS_USAGE ?? "", uuid: u.ID_FS_UUID ?? "", version: u.ID_FS_VERSION ?? "" });
        }
        if (u.DM_NAME) {
          fs.gauge("node_disk_device_mapper_info", "Info about disk device mapper.", 1, { device, name: u.DM_NAME, uuid: u.DM_UUID ?? "", vg_name: u.DM_VG_NAME ?? "", lv_name: u.DM_LV_NAME ?? "", lv_layer: u.DM_LV_LAYER ?? "" });
        }
        if (u.ID_ATA === "1") {
          if (u.ID_ATA_WRITE_CACHE !== undefined) fs.gauge("node_disk_ata_write_cache", "ATA disk has a write cache.", Number(u.ID_ATA_WRITE_CACHE), labels);
          if (u.ID_ATA_WRITE_CACHE_ENABLED !== undefined) fs.gauge("node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled.", Number(u.ID_ATA_WRITE_CACHE_ENABLED), labels);
          if (u.ID_ATA_ROTATION_RATE_RPM !== undefined) fs.gauge("node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs).", Number(u.ID_ATA_ROTATION_RATE_RPM), labels);
        }
        for (const [idx, name, help, type, scale] of COLS) {
          const x = v[idx];
          if (x === undefined) continue;
          fs.add(name, type, help, scale === 1 ? x : x * scale, labels);
        }
      }
      return fs.families();
    },
  };
}
