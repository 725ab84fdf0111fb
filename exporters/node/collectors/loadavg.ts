/**
 * @module exporters/node/collectors/loadavg
 * node_load1/5/15 from /proc/loadavg.
 */
import { FamilySet, type NodeCollector, fields, readText } from "../collector.ts";

/** The loadavg collector. */
export function loadavg(): NodeCollector {
  return {
    async update(ctx) {
      const f = fields(await readText(ctx.proc("loadavg"), ctx.signal));
      if (f.length < 3) throw new Error(`unexpected content in ${ctx.proc("loadavg")}`);
      const fs = new FamilySet();
      ["1", "5", "15"].forEach((n, i) => {
        const v = Number(f[i]);
        if (Number.isNaN(v)) throw new Error(`could not parse load ${JSON.stringify(f[i])}`);
        fs.gauge(`node_load${n}`, `${n}m load average.`, v);
      });
      return fs.families();
    },
  };
}
