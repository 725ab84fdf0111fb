/**
 * @module exporters/node/collectors/entropy
 * Available entropy and pool size from /proc/sys/kernel/random.
 */
import { FamilySet, type NodeCollector, readText } from "../collector.ts";

/** The entropy collector. */
export function entropy(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const avail = Number((await readText(ctx.proc("sys/kernel/random/entropy_avail"), ctx.signal)).trim());
      fs.gauge("node_entropy_available_bits", "Bits of available entropy.", avail);
      const pool = Number((await readText(ctx.proc("sys/kernel/random/poolsize"), ctx.signal)).trim());
      fs.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.", pool);
      return fs.families();
    },
  };
}
