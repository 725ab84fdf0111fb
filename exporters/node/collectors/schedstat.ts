/**
 * @module exporters/node/collectors/schedstat
 * Per-CPU scheduler statistics from /proc/schedstat: running and waiting time (ns → s) and timeslices.
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

/** The schedstat collector. */
export function schedstat(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const text = await readOptional(ctx.proc("schedstat"), ctx.signal);
      if (text === null) throw new NoDataError("schedstat file does not exist");
      for (const l of lines(text)) {
        const f = fields(l);
        if (!/^cpu\d+$/.test(f[0] ?? "") || f.length < 10) continue;
        const cpu = f[0]!.slice(3);
        fs.counter("node_schedstat_running_seconds_total", "Number of seconds CPU spent running a process.", Number(f[7]) / 1e9, { cpu });
        fs.counter("node_schedstat_waiting_seconds_total", "Number of seconds spent by processing waiting for this CPU.", Number(f[8]) / 1e9, { cpu });
        fs.counter("node_schedstat_timeslices_total", "Number of timeslices executed by CPU.", Number(f[9]), { cpu });
      }
      return fs.families();
    },
  };
}
