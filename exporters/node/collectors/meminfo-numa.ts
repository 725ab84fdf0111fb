/**
 * @module exporters/node/collectors/meminfo-numa
 * Per-NUMA-node memory from /sys/devices/system/node/node<N>/meminfo (`Node 0 MemTotal: 123 kB`, values
 * ×1024 for kB, names kept without a unit suffix as node_exporter does) and numastat counters
 * (node_memory_numa_<field>_total).
 */
import { FamilySet, type NodeCollector, fields, lines, listDir, readOptional } from "../collector.ts";

/** The meminfo_numa collector. */
export function meminfoNuma(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("devices/system/node");
      const fs = new FamilySet();
      for (const d of await listDir(base, ctx.signal)) {
        const m = /^node(\d+)$/.exec(d);
        if (!m) continue;
        const node = m[1]!;
        const meminfo = await readOptional(`${base}/${d}/meminfo`, ctx.signal);
        if (meminfo === null) throw new Error(`couldn't read ${base}/${d}/meminfo`);
        for (const l of lines(meminfo)) {
          const f = fields(l);
          if (f.length < 4) continue;
          const key = f[2]!.replace(/:$/, "").replace("(", "_").replace(")", "");
          let v = Number(f[3]);
          if (f[4] === "kB") v *= 1024;
          fs.gauge(`node_memory_numa_${key}`, `Memory information field ${key}.`, v, { node });
        }
        const stat = await readOptional(`${base}/${d}/numastat`, ctx.signal);
        for (const l of lines(stat ?? "")) {
          const [k, v] = fields(l);
          if (k && v !== undefined) fs.counter(`node_memory_numa_${k}_total`, `Memory information field ${k}_total.`, Number(v), { node });
        }
      }
      return fs.families();
    },
  };
}
