/**
 * @module exporters/node/collectors/tapestats
 * SCSI tape drive statistics from /sys/class/scsi_tape/<st*>/stats (ns → s), for the primary device
 * nodes only (st0, not nst0/st0a/…), with node_exporter's names and HELP texts.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

const STATS: [file: string, metric: string, type: "gauge" | "counter", help: string, scale: number][] = [
  ["in_flight", "io_now", "gauge", "The number of I/Os currently outstanding to this device.", 1],
  ["io_ns", "io_time_seconds_total", "counter", "The amount of time spent waiting for all I/O to complete (including read and write). This includes tape movement commands such as seeking between file or set marks and implicit tape movement such as when rewind on close tape devices are used.", 1e-9],
  ["other_cnt", "io_others_total", "counter", "The number of I/Os issued to the tape drive other than read or write commands. The time taken to complete these commands uses the following calculation io_time_seconds_total-read_time_seconds_total-write_time_seconds_total", 1],
  ["read_byte_cnt", "read_bytes_total", "counter", "The number of bytes read from the tape drive.", 1],
  ["read_cnt", "reads_completed_total", "counter", "The number of read requests issued to the tape drive.", 1],
  ["read_ns", "read_time_seconds_total", "counter", "The amount of time spent waiting for read requests to complete.", 1e-9],
  ["resid_cnt", "residual_total", "counter", "The number of times during a read or write we found the residual amount to be non-zero. This should mean that a program is issuing a read larger thean the block size on tape. For write not all data made it to tape.", 1],
  ["write_byte_cnt", "written_bytes_total", "counter", "The number of bytes written to the tape drive.", 1],
  ["write_cnt", "writes_completed_total", "counter", "The number of write requests issued to the tape drive.", 1],
  ["write_ns", "write_time_seconds_total", "counter", "The amount of time spent waiting for write requests to complete.", 1e-9],
];

/** The tapestats collector. */
export function tapestats(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/scsi_tape");
      const fs = new FamilySet();
      for (const device of await listDirOptional(base, ctx.signal)) {
        if (!/^st\d+$/.test(device)) continue;
        for (const [file, metric, type, help, scale] of STATS) {
          const t = await readOptional(`${base}/${device}/stats/${file}`, ctx.signal);
          if (t === null) continue;
          fs.add(`node_tape_${metric}`, type, help, scale === 1 ? Number(t) : Number(t) / 1e9, { device });
        }
      }
      return fs.families();
    },
  };
}
