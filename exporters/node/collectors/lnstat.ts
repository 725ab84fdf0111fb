/**
 * @module exporters/node/collectors/lnstat
 * Linux network cache statistics from /proc/net/stat/* (arp_cache, ndisc_cache, nf_conntrack, …): one
 * header line of field names, then one line of hexadecimal values per CPU; exported as
 * node_lnstat_<field>_total{subsystem,cpu}.
 */
import { FamilySet, type NodeCollector, fields, lines, listDir, readText } from "../collector.ts";

/** The lnstat collector. */
export function lnstat(): NodeCollector {
  return {
    async update(ctx) {
      const dir = ctx.proc("net/stat");
      const fs = new FamilySet();
      for (const subsystem of await listDir(dir, ctx.signal)) {
        const ls = lines(await readText(`${dir}/${subsystem}`, ctx.signal));
        const header = fields(ls[0] ?? "");
        ls.slice(1).forEach((l, cpu) => {
          fields(l).forEach((x, i) => {
            const name = header[i];
            if (name) fs.counter(`node_lnstat_${name}_total`, "linux network cache stats", parseInt(x, 16), { subsystem, cpu: String(cpu) });
          });
        });
      }
      return fs.families();
    },
  };
}
