/**
 * @module exporters/node/collectors/softirqs
 * Softirq counts per CPU and type from /proc/softirqs (node_softirqs_functions_total{cpu,type}).
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The softirqs collector. */
export function softirqs(): NodeCollector {
  return {
    async update(ctx) {
      const ls = lines(await readText(ctx.proc("softirqs"), ctx.signal));
      const fs = new FamilySet();
      for (const l of ls.slice(1)) {
        const parts = fields(l);
        if (parts.length < 2) continue;
        const type = parts[0]!.replace(/:$/, "");
        parts.slice(1).forEach((v, cpu) => fs.counter("node_softirqs_functions_total", "Softirq counts per CPU.", Number(v), { cpu: String(cpu), type }));
      }
      return fs.families();
    },
  };
}
