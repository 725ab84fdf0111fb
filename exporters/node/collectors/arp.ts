/**
 * @module exporters/node/collectors/arp
 * ARP entries per device from /proc/net/arp (node_exporter's non-netlink mode), filtered by
 * --collector.arp.device-include / device-exclude.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The arp collector. */
export function arp(): NodeCollector {
  return {
    async update(ctx) {
      const inc = ctx.opt("collector.arp.device-include");
      const exc = ctx.opt("collector.arp.device-exclude");
      const counts = new Map<string, number>();
      for (const l of lines(await readText(ctx.proc("net/arp"), ctx.signal)).slice(1)) {
        const dev = fields(l)[5];
        if (!dev) continue;
        if (inc && !new RegExp(inc).test(dev)) continue;
        if (exc && new RegExp(exc).test(dev)) continue;
        counts.set(dev, (counts.get(dev) ?? 0) + 1);
      }
      const fs = new FamilySet();
      for (const [device, n] of counts) fs.gauge("node_arp_entries", "ARP entries by device", n, { device });
      return fs.families();
    },
  };
}
