/**
 * @module exporters/node/collectors/processes
 * Process and thread counts from /proc/<pid>/stat (state letter and num_threads per process) and the
 * kernel limits /proc/sys/kernel/pid_max and threads-max. Processes that vanish while being read are
 * skipped, as node_exporter does.
 */
import { FamilySet, type NodeCollector, listDir, readOptional, readText } from "../collector.ts";

/** The processes collector. */
export function processes(): NodeCollector {
  return {
    async update(ctx) {
      const states = new Map<string, number>();
      let pids = 0;
      let threads = 0;
      for (const d of await listDir(ctx.proc(""), ctx.signal)) {
        if (!/^\d+$/.test(d)) continue;
        const stat = await readOptional(ctx.proc(d, "stat"), ctx.signal);
        if (stat === null) continue;
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const state = rest[0];
        if (!state) continue;
        pids++;
        states.set(state, (states.get(state) ?? 0) + 1);
        threads += Number(rest[17] ?? 0);
      }
      const fs = new FamilySet();
      fs.gauge("node_processes_threads", "Allocated threads in system", threads);
      for (const [state, n] of [...states].sort()) fs.gauge("node_processes_state", "Number of processes in each state.", n, { state });
      fs.gauge("node_processes_pids", "Number of PIDs", pids);
      fs.gauge("node_processes_max_processes", "Number of max PIDs limit", Number((await readText(ctx.proc("sys/kernel/pid_max"), ctx.signal)).trim()));
      fs.gauge("node_processes_max_threads", "Limit of threads in the system", Number((await readText(ctx.proc("sys/kernel/threads-max"), ctx.signal)).trim()));
      return fs.families();
    },
  };
}
