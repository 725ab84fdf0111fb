/**
 * @module exporters/node/collectors/vmstat
 * /proc/vmstat fields matching --collector.vmstat.fields (default node_exporter's
 * `^(oom_kill|pgpg|pswp|pg.*fault).*`), exported untyped as node_vmstat_<field>.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** node_exporter's default --collector.vmstat.fields. */
export const DEFAULT_VMSTAT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

/** The vmstat collector. */
export function vmstat(): NodeCollector {
  return {
    async update(ctx) {
      const re = new RegExp(ctx.opt("collector.vmstat.fields") ?? DEFAULT_VMSTAT_FIELDS);
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("vmstat"), ctx.signal))) {
        const [k, v] = fields(l);
        if (k === undefined || v === undefined || !re.test(k)) continue;
        fs.untyped(`node_vmstat_${k}`, `/proc/vmstat information field ${k}.`, Number(v));
      }
      return fs.families();
    },
  };
}
