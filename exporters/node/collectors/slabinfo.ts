/**
 * @module exporters/node/collectors/slabinfo
 * Kernel slab allocator statistics from /proc/slabinfo (version 2.x), per slab cache.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

const COLS: [idx: number, metric: string, help: string][] = [
  [1, "active_objects", "The number of objects that are currently active (i.e., in use)."],
  [2, "objects", "The total number of allocated objects (i.e., objects that are both in use and not in use)."],
  [3, "object_size_bytes", "The size of objects in this slab, in bytes."],
  [4, "objects_per_slab", "The number of objects stored in each slab."],
  [5, "pages_per_slab", "The number of pages allocated for each slab."],
];

/** The slabinfo collector (reading /proc/slabinfo needs root). */
export function slabinfo(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("slabinfo"), ctx.signal))) {
        if (l.startsWith("slabinfo -") || l.startsWith("#")) continue;
        const f = fields(l);
        if (f.length < 6) continue;
        for (const [i, m, help] of COLS) fs.gauge(`node_slabinfo_${m}`, help, Number(f[i]), { slab: f[0]! });
      }
      return fs.families();
    },
  };
}
