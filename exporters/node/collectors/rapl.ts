/**
 * @module exporters/node/collectors/rapl
 * Intel RAPL energy counters from /sys/class/powercap/intel-rapl:* (energy_uj, µJ → J), named after each
 * zone (`package-0` → node_rapl_package_joules_total{index="0"}), with the zone directory as `path`.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

/** The rapl collector. */
export function rapl(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/powercap");
      const fs = new FamilySet();
      for (const zone of await listDirOptional(base, ctx.signal)) {
        const m = /^intel-rapl:(\d+)(?::(\d+))?$/.exec(zone);
        if (!m) continue;
        const dir = `${base}/${zone}`;
        const name = await readOptional(`${dir}/name`, ctx.signal);
        const uj = await readOptional(`${dir}/energy_uj`, ctx.signal);
        if (name === null || uj === null) continue;
        const nm = /^(.*?)(?:-(\d+))?$/.exec(name)!;
        const index = nm[2] ?? m[2] ?? m[1]!;
        const metric = nm[1]!.replace(/[^a-zA-Z0-9_]/g, "_");
        fs.counter(`node_rapl_${metric}_joules_total`, `Current RAPL ${metric} value in joules`, Number(uj) / 1e6, { index, path: dir });
      }
      return fs.families();
    },
  };
}
