/**
 * @module exporters/node/collectors/zfs
 * ZFS kernel statistics from /proc/spl/kstat/zfs (ZFS on Linux kstat files), as node_exporter's zfs
 * collector: each numeric kstat of the misc files becomes untyped node_zfs_<subsystem>_<name> with HELP
 * `kstat.zfs.misc.<file>.<name>`; per pool, `io` becomes node_zfs_zpool_<field>{zpool}, each `objset-*`
 * node_zfs_zpool_dataset_<field>{zpool,dataset}, and `state` the one-hot node_zfs_zpool_state{zpool,state}.
 * No /proc/spl/kstat/zfs (ZFS not loaded) is "no data".
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, listDir, readOptional } from "../collector.ts";

/** kstat file → metric subsystem. */
const SUBSYSTEMS: Record<string, string> = {
  abdstats: "abd", arcstats: "arc", dbufstats: "dbuf", dmu_tx: "dmu_tx", dnodestats: "dnode", fm: "fm",
  vdev_cache_stats: "vdev_cache", vdev_mirror_stats: "vdev_mirror", xuio_stats: "xuio", zfetchstats: "zfetch", zil: "zil",
};
const POOL_STATES = ["degraded", "faulted", "offline", "online", "removed", "suspended", "unavail"];

/** Parses a named kstat file (`name type data` rows after two header lines); values kept as text. */
export function parseKstat(text: string): [string, number, string][] {
  const out: [string, number, string][] = [];
  for (const l of lines(text).slice(2)) {
    const m = /^(\S+)\s+(\d+)\s+(.*?)\s*$/.exec(l);
    if (m) out.push([m[1]!, Number(m[2]), m[3]!]);
  }
  return out;
}

/** The zfs collector. */
export function zfs(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.proc("spl/kstat/zfs");
      let entries: string[];
      try {
        entries = await listDir(base, ctx.signal);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        throw new NoDataError(`ZFS / ZFS statistics are not available: ${base} missing`);
      }
      const fs = new FamilySet();
      for (const file of entries) {
        const sub = SUBSYSTEMS[file];
        if (sub) {
          const text = await readOptional(`${base}/${file}`, ctx.signal);
          if (text === null) continue;
          for (const [name, , data] of parseKstat(text)) {
            const v = Number(data);
            if (data === "" || Number.isNaN(v)) continue;
            fs.untyped(`node_zfs_${sub}_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`, `kstat.zfs.misc.${file}.${name}`, v);
          }
          continue;
        }
        // A pool directory: io, objset-*, state.
        const pool = file;
        const poolFiles = await listDir(`${base}/${pool}`, ctx.signal).catch(() => [] as string[]);
        if (poolFiles.length === 0) continue;
        if (poolFiles.includes("io")) {
          const ls = lines((await readOptional(`${base}/${pool}/io`, ctx.signal)) ?? "");
          const names = fields(ls[1] ?? "");
          const vals = fields(ls[2] ?? "");
          names.forEach((n, i) => {
            const v = Number(vals[i]);
            if (!Number.isNaN(v)) fs.untyped(`node_zfs_zpool_${n}`, `kstat.zfs.misc.io.${n}`, v, { zpool: pool });
          });
        }
        for (const f of poolFiles.filter((x) => x.startsWith("objset-"))) {
          const rows = parseKstat((await readOptional(`${base}/${pool}/${f}`, ctx.signal)) ?? "");
          const dataset = rows.find(([n]) => n === "dataset_name")?.[2];
          if (dataset === undefined) continue;
          for (const [n, type, data] of rows) {
            if (n === "dataset_name" || type === 7) continue;
            fs.untyped(`node_zfs_zpool_dataset_${n}`, `kstat.zfs.misc.objset.${n}`, Number(data), { zpool: pool, dataset });
          }
        }
        if (poolFiles.includes("state")) {
          const st = ((await readOptional(`${base}/${pool}/state`, ctx.signal)) ?? "").toLowerCase();
          for (const s of POOL_STATES) fs.gauge("node_zfs_zpool_state", "kstat.zfs.misc.state", s === st ? 1 : 0, { zpool: pool, state: s });
        }
      }
      return fs.families();
    },
  };
}
