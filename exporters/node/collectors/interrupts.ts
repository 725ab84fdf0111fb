/**
 * @module exporters/node/collectors/interrupts
 * Interrupt counts per CPU from /proc/interrupts as node_interrupts_total{cpu,type,info,devices}: for
 * numbered IRQs `info` is the controller and `devices` the rest of the line; for named ones (NMI, LOC, …)
 * `info` is the description. Single-value lines (ERR, MIS) carry no per-CPU counts and are skipped.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The interrupts collector. */
export function interrupts(): NodeCollector {
  return {
    async update(ctx) {
      const ls = lines(await readText(ctx.proc("interrupts"), ctx.signal));
      const cpus = fields(ls[0] ?? "").length;
      const fs = new FamilySet();
      for (const l of ls.slice(1)) {
        const parts = fields(l);
        if (parts.length < 2 || !parts[0]!.endsWith(":")) continue;
        const type = parts[0]!.slice(0, -1);
        if (parts.length === 2) continue;
        const values = parts.slice(1, cpus + 1);
        const numeric = /^\d+$/.test(type);
        const info = numeric ? (parts[cpus + 1] ?? "") : parts.slice(cpus + 1).join(" ");
        const devices = numeric ? parts.slice(cpus + 2).join(" ") : "";
        values.forEach((v, cpu) => fs.counter("node_interrupts_total", "Interrupt details.", Number(v), { cpu: String(cpu), type, info, devices }));
      }
      return fs.families();
    },
  };
}
