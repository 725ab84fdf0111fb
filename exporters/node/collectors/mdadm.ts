/**
 * @module exporters/node/collectors/mdadm
 * Linux software RAID from /proc/mdstat (state, disks, blocks and sync progress) and from
 * /sys/block/md*\/md (raid_disks, degraded), with node_exporter's metric names and state labels.
 *
 * mdstat parsing follows the kernel's layout: a device line (`md0 : active raid1 sda1[0] sdb1[1](S)`), a
 * status line (`N blocks ... [total/active] [UU_]`), an optional bitmap line, then an optional sync line
 * (recovery/resync/check with `(synced/total)`, or resync=PENDING/DELAYED meaning nothing synced yet).
 */
import { FamilySet, type NodeCollector, fields, lines, listDirOptional, readOptional } from "../collector.ts";

/** One md device as parsed from /proc/mdstat. */
export interface MdStat {
  name: string;
  /** active, inactive, recovering, resyncing or checking. */
  state: string;
  active: number;
  failed: number;
  spare: number;
  total: number;
  blocks: number;
  synced: number;
}

/** Parses /proc/mdstat. Throws on a device line without its status line. */
export function parseMdstat(text: string): MdStat[] {
  const ls = text.split("\n");
  const out: MdStat[] = [];
  for (let i = 0; i < ls.length; i++) {
    const line = ls[i]!;
    if (line.trim() === "" || line[0] === " " || line.startsWith("Personalities") || line.startsWith("unused")) continue;
    const f = fields(line);
    if (f.length < 3) throw new Error(`mdstat: not enough fields in device line ${JSON.stringify(line)}`);
    if (ls.length <= i + 3) throw new Error(`mdstat: too few lines for md device ${f[0]}`);
    let state = f[2]!;
    const failed = (line.match(/\(F\)/g) ?? []).length;
    const spare = (line.match(/\(S\)/g) ?? []).length;
    const status = ls[i + 1]!;
    const blocks = Number(fields(status)[0]);
    if (Number.isNaN(blocks)) throw new Error(`mdstat: unexpected status line ${JSON.stringify(status)}`);
    let active = 0;
    let total = 0;
    if (line.includes("raid0") || line.includes("linear")) {
      total = active = (line.match(/\[/g) ?? []).length;
    } else if (!line.includes("inactive")) {
      const m = /(\d+) blocks .*\[(\d+)\/(\d+)\] \[([U_]+)\]/.exec(status);
      if (!m) throw new Error(`mdstat: couldn't find all the substring matches in status line ${JSON.stringify(status)}`);
      total = Number(m[2]);
      active = Number(m[3]);
    }
    let syncIdx = i + 2;
    if (ls[syncIdx]!.includes("bitmap")) syncIdx++;
    const sync = ls[syncIdx] ?? "";
    let synced = blocks;
    const recovering = sync.includes("recovery");
    const resyncing = sync.includes("resync");
    const checking = sync.includes("check");
    if (recovering || resyncing || checking) {
      state = recovering ? "recovering" : checking ? "checking" : "resyncing";
      if (sync.includes("PENDING") || sync.includes("DELAYED")) synced = 0;
      else {
        const m = /\((\d+)\/\d+\)/.exec(sync);
        if (!m) throw new Error(`mdstat: unexpected sync line ${JSON.stringify(sync)}`);
        synced = Number(m[1]);
      }
    }
    out.push({ name: f[0]!, state, active, failed, spare, total, blocks, synced });
  }
  return out;
}

/** The mdadm collector. */
export function mdadm(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const text = await readOptional(ctx.proc("mdstat"), ctx.signal);
      if (text === null) {
        ctx.logger.debug("Not collecting mdstat, file does not exist", { file: ctx.proc("mdstat") });
        return [];
      }
      for (const md of parseMdstat(text + "\n")) {
        const device = md.name;
        fs.gauge("node_md_disks_required", "Total number of disks of device.", md.total, { device });
        fs.gauge("node_md_disks", "Number of active/failed/spare disks of device.", md.active, { device, state: "active" });
        fs.gauge("node_md_disks", "Number of active/failed/spare disks of device.", md.failed, { device, state: "failed" });
        fs.gauge("node_md_disks", "Number of active/failed/spare disks of device.", md.spare, { device, state: "spare" });
        const states: [string, string][] = [["active", "active"], ["inactive", "inactive"], ["recovering", "recovering"], ["resync", "resyncing"], ["check", "checking"]];
        for (const [label, s] of states) fs.gauge("node_md_state", "Indicates the state of md-device.", md.state === s ? 1 : 0, { device, state: label });
        fs.gauge("node_md_blocks", "Total number of blocks on device.", md.blocks, { device });
        fs.gauge("node_md_blocks_synced", "Number of blocks synced on device.", md.synced, { device });
      }
      for (const dev of await listDirOptional(ctx.sys("block"), ctx.signal)) {
        if (!dev.startsWith("md")) continue;
        const raid = await readOptional(ctx.sys("block", dev, "md/raid_disks"), ctx.signal);
        if (raid !== null) fs.gauge("node_md_raid_disks", "Number of raid disks on device.", Number(raid), { device: dev });
        let deg = await readOptional(ctx.sys("block", dev, "md/degraded"), ctx.signal);
        // Arrays without redundancy (raid0, linear) have no degraded file: they cannot be degraded.
        if (deg === null && raid !== null && /^(raid0|linear)$/.test((await readOptional(ctx.sys("block", dev, "md/level"), ctx.signal)) ?? "")) deg = "0";
        if (deg !== null) fs.gauge("node_md_degraded", "Number of degraded disks on device.", Number(deg), { device: dev });
      }
      return fs.families();
    },
  };
}
