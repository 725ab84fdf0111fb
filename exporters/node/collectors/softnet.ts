/**
 * @module exporters/node/collectors/softnet
 * Per-CPU softnet statistics from /proc/net/softnet_stat (hexadecimal columns).
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The softnet collector. */
export function softnet(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      lines(await readText(ctx.proc("net/softnet_stat"), ctx.signal)).forEach((l, idx) => {
        const f = fields(l).map((x) => parseInt(x, 16));
        if (f.length < 9) throw new Error(`${ctx.proc("net/softnet_stat")}: ${f.length} columns, need at least 9`);
        const col = (i: number) => f[i] ?? 0;
        // Column 12 (index) exists on kernels >= 5.10; else the line number is the CPU.
        const cpu = String(f.length >= 13 ? col(12) : idx);
        fs.counter("node_softnet_processed_total", "Number of processed packets", col(0), { cpu });
        fs.counter("node_softnet_dropped_total", "Number of dropped packets", col(1), { cpu });
        fs.counter("node_softnet_times_squeezed_total", "Number of times processing packets ran out of quota", col(2), { cpu });
        fs.counter("node_softnet_cpu_collision_total", "Number of collision occur while obtaining device lock while transmitting", col(8), { cpu });
        fs.counter("node_softnet_received_rps_total", "Number of times cpu woken up received_rps", col(9), { cpu });
        fs.counter("node_softnet_flow_limit_count_total", "Number of times flow limit has been reached", col(10), { cpu });
        fs.gauge("node_softnet_backlog_len", "Softnet backlog status", col(11), { cpu });
      });
      return fs.families();
    },
  };
}
