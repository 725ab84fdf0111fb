/**
 * @module exporters/node/collectors/netdev
 * Network device statistics from /proc/net/dev (node_exporter's non-netlink mode), filtered by
 * --collector.netdev.device-include / --collector.netdev.device-exclude. receive_nohandler, which
 * node_exporter gets from netlink, is read from /sys/class/net/<dev>/statistics/rx_nohandler when present.
 */
import { FamilySet, type NodeCollector, fields, lines, readOptional, readText } from "../collector.ts";

const RX = ["bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"];
const TX = ["bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"];

/** The netdev collector. */
export function netdev(): NodeCollector {
  return {
    async update(ctx) {
      const inc = ctx.opt("collector.netdev.device-include");
      const exc = ctx.opt("collector.netdev.device-exclude");
      const include = inc ? new RegExp(inc) : null;
      const exclude = exc ? new RegExp(exc) : null;
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("net/dev"), ctx.signal)).slice(2)) {
        const i = l.indexOf(":");
        if (i < 0) continue;
        const device = l.slice(0, i).trim();
        if (include && !include.test(device)) continue;
        if (exclude && exclude.test(device)) continue;
        const v = fields(l.slice(i + 1)).map(Number);
        RX.forEach((k, j) => fs.counter(`node_network_receive_${k}_total`, `Network device statistic receive_${k}.`, v[j] ?? 0, { device }));
        const noHandler = await readOptional(ctx.sys("class/net", device, "statistics/rx_nohandler"), ctx.signal);
        if (noHandler !== null && noHandler !== "") fs.counter("node_network_receive_nohandler_total", "Network device statistic receive_nohandler.", Number(noHandler), { device });
        TX.forEach((k, j) => fs.counter(`node_network_transmit_${k}_total`, `Network device statistic transmit_${k}.`, v[8 + j] ?? 0, { device }));
      }
      return fs.families();
    },
  };
}
