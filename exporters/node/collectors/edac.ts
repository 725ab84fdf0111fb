/**
 * @module exporters/node/collectors/edac
 * Memory error counters from /sys/devices/system/edac/mc: per controller, per csrow (with the "unknown"
 * csrow from the *_noinfo_count files) and per channel with its DIMM label.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

/** The edac collector. */
export function edac(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const base = ctx.sys("devices/system/edac/mc");
      const num = async (p: string) => {
        const t = await readOptional(p, ctx.signal);
        if (t === null) throw new Error(`couldn't get ${p}`);
        return Number(t);
      };
      for (const mc of await listDirOptional(base, ctx.signal)) {
        const m = /^mc(\d+)$/.exec(mc);
        if (!m) continue;
        const controller = m[1]!;
        const dir = `${base}/${mc}`;
        fs.counter("node_edac_correctable_errors_total", "Total correctable memory errors.", await num(`${dir}/ce_count`), { controller });
        fs.counter("node_edac_uncorrectable_errors_total", "Total uncorrectable memory errors.", await num(`${dir}/ue_count`), { controller });
        fs.counter("node_edac_csrow_correctable_errors_total", "Total correctable memory errors for this csrow.", await num(`${dir}/ce_noinfo_count`), { controller, csrow: "unknown" });
        fs.counter("node_edac_csrow_uncorrectable_errors_total", "Total uncorrectable memory errors for this csrow.", await num(`${dir}/ue_noinfo_count`), { controller, csrow: "unknown" });
        for (const cs of await listDirOptional(dir, ctx.signal)) {
          const c = /^csrow(\d+)$/.exec(cs);
          if (!c) continue;
          const csrow = c[1]!;
          const cdir = `${dir}/${cs}`;
          fs.counter("node_edac_csrow_correctable_errors_total", "Total correctable memory errors for this csrow.", await num(`${cdir}/ce_count`), { controller, csrow });
          fs.counter("node_edac_csrow_uncorrectable_errors_total", "Total uncorrectable memory errors for this csrow.", await num(`${cdir}/ue_count`), { controller, csrow });
          for (const f of await listDirOptional(cdir, ctx.signal)) {
            const ch = /^ch(\d+)_(ce|ue)_count$/.exec(f);
            if (!ch) continue;
            const channel = ch[1]!;
            const raw = await readOptional(`${cdir}/ch${channel}_dimm_label`, ctx.signal);
            // node_exporter's label formatting: drop "#", separate the csrow and channel parts with "_".
            const label = raw === null ? "unknown" : raw.replaceAll("#", "").replaceAll("csrow", "_csrow").replaceAll("channel", "_channel");
            const v = await num(`${cdir}/${f}`);
            if (ch[2] === "ce") fs.counter("node_edac_channel_correctable_errors_total", "Total correctable memory errors for this channel.", v, { controller, csrow, channel, dimm_label: label });
            else fs.counter("node_edac_channel_uncorrectable_errors_total", "Total uncorrectable memory errors for this channel.", v, { controller, csrow, channel, dimm_label: label });
          }
        }
      }
      return fs.families();
    },
  };
}
