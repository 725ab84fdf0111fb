/**
 * @module exporters/node/collectors/udp-queues
 * UDP socket queue memory from /proc/net/udp and udp6: tx_queue and rx_queue (hexadecimal) summed over
 * sockets as node_udp_queues{ip,queue}.
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

/** The udp_queues collector. */
export function udpQueues(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      let any = false;
      for (const [file, ip] of [["udp", "v4"], ["udp6", "v6"]] as const) {
        const text = await readOptional(ctx.proc("net", file), ctx.signal);
        if (text === null) continue;
        any = true;
        let tx = 0;
        let rx = 0;
        for (const l of lines(text).slice(1)) {
          const q = fields(l)[4];
          if (!q) continue;
          const [t, r] = q.split(":");
          tx += parseInt(t ?? "0", 16);
          rx += parseInt(r ?? "0", 16);
        }
        fs.gauge("node_udp_queues", "Number of allocated memory in the kernel for UDP datagrams in bytes.", tx, { queue: "tx", ip });
        fs.gauge("node_udp_queues", "Number of allocated memory in the kernel for UDP datagrams in bytes.", rx, { queue: "rx", ip });
      }
      if (!any) throw new NoDataError("no /proc/net/udp or udp6");
      return fs.families();
    },
  };
}
