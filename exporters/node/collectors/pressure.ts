/**
 * @module exporters/node/collectors/pressure
 * Pressure stall information from /proc/pressure/{cpu,io,memory,irq} (Linux 4.20+). Totals are µs in the
 * file and seconds in the metrics.
 */
import { FamilySet, type NodeCollector, lines, readText } from "../collector.ts";

const RESOURCES = ["cpu", "io", "memory", "irq"] as const;

/** The pressure collector. */
export function pressure(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const res of RESOURCES) {
        let text: string;
        try {
          text = await readText(ctx.proc("pressure", res), ctx.signal);
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          if (res === "irq") continue; // irq pressure exists only on newer kernels
          throw new Error(`pressure information is unavailable, you need a Linux kernel >= 4.20 and/or CONFIG_PSI enabled for your kernel: ${(e as Error).message}`);
        }
        const totals: Record<string, number> = {};
        for (const l of lines(text)) {
          const m = /^(some|full) .*total=(\d+)/.exec(l);
          if (m) totals[m[1]!] = Number(m[2]) / 1000 / 1000;
        }
        if (res === "cpu") {
          if (totals.some !== undefined) fs.counter("node_pressure_cpu_waiting_seconds_total", "Total time in seconds that processes have waited for CPU time", totals.some);
        } else if (res === "io" || res === "memory") {
          const what = res === "io" ? "IO congestion" : "memory";
          if (totals.some !== undefined) fs.counter(`node_pressure_${res}_waiting_seconds_total`, `Total time in seconds that processes have waited due to ${what}`.replace("due to memory", "for memory"), totals.some);
          if (totals.full !== undefined) fs.counter(`node_pressure_${res}_stalled_seconds_total`, `Total time in seconds no process could make progress due to ${res === "io" ? "IO" : "memory"} congestion`, totals.full);
        } else if (totals.full !== undefined) {
          fs.counter("node_pressure_irq_stalled_seconds_total", "Total time in seconds no process could make progress due to IRQ congestion", totals.full);
        }
      }
      return fs.families();
    },
  };
}
