/**
 * @module exporters/node/collectors/sockstat
 * Socket statistics from /proc/net/sockstat and sockstat6; `mem` values are also exported in bytes
 * (pages × page size).
 */
import { FamilySet, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

/** System page size in bytes (4096 on the platforms we run on; the fixtures assume it too). */
export const PAGE_SIZE = 4096;

/** The sockstat collector. */
export function sockstat(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      let any = false;
      for (const file of ["sockstat", "sockstat6"]) {
        const text = await readOptional(ctx.proc("net", file), ctx.signal);
        if (text === null) continue;
        any = true;
        for (const l of lines(text)) {
          const f = fields(l);
          if (f.length < 3) continue;
          const proto = f[0]!.replace(/:$/, "");
          if (proto === "sockets") {
            fs.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", Number(f[2]));
            continue;
          }
          for (let i = 1; i + 1 < f.length; i += 2) {
            const key = f[i]!;
            const v = Number(f[i + 1]);
            fs.gauge(`node_sockstat_${proto}_${key}`, `Number of ${proto} sockets in state ${key}.`, v);
            if (key === "mem" && (proto === "TCP" || proto === "UDP")) {
              fs.gauge(`node_sockstat_${proto}_mem_bytes`, `Number of ${proto} sockets in state mem_bytes.`, v * PAGE_SIZE);
            }
          }
        }
      }
      if (!any) throw new Error(`could not read ${ctx.proc("net/sockstat")}`);
      return fs.families();
    },
  };
}
