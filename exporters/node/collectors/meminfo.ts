/**
 * @module exporters/node/collectors/meminfo
 * Memory statistics from /proc/meminfo: `Name(x): N kB` becomes node_memory_Name_x_bytes (×1024); fields
 * without a unit (HugePages_*) keep their name and value.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The meminfo collector. */
export function meminfo(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("meminfo"), ctx.signal))) {
        const f = fields(l);
        if (f.length < 2) continue;
        let v = Number(f[1]);
        if (Number.isNaN(v)) throw new Error(`invalid value in meminfo: ${l}`);
        let key = f[0]!.replace(/:$/, "").replace("(", "_").replace(")", "");
        if (f[2] === "kB") {
          v *= 1024;
          key += "_bytes";
        }
        fs.gauge(`node_memory_${key}`, `Memory information field ${key}.`, v);
      }
      return fs.families();
    },
  };
}
