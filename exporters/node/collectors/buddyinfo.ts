/**
 * @module exporters/node/collectors/buddyinfo
 * Free memory blocks per node, zone and order from /proc/buddyinfo (node_buddyinfo_blocks{node,zone,size}).
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The buddyinfo collector. */
export function buddyinfo(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("buddyinfo"), ctx.signal))) {
        const m = /^Node (\d+), zone\s+(\S+)\s+(.*)$/.exec(l.trim());
        if (!m) throw new Error(`invalid line in ${ctx.proc("buddyinfo")}: ${JSON.stringify(l)}`);
        fields(m[3]!).forEach((v, size) => fs.gauge("node_buddyinfo_blocks", "Count of free blocks according to size.", Number(v), { node: m[1]!, zone: m[2]!, size: String(size) }));
      }
      return fs.families();
    },
  };
}
