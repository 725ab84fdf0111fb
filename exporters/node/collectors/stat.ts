/**
 * @module exporters/node/collectors/stat
 * Kernel/system statistics from /proc/stat: interrupts, context switches, boot time, forks, running and
 * blocked processes (and, with --collector.stat.softirq, softirqs by vector).
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

const SOFTIRQS = ["hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu"];

/** The stat collector. */
export function stat(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const softirq = ctx.opt("collector.stat.softirq") === "true";
      const v: Record<string, string[]> = {};
      for (const l of lines(await readText(ctx.proc("stat"), ctx.signal))) {
        const f = fields(l);
        if (f.length > 0) v[f[0]!] = f.slice(1);
      }
      const num = (k: string) => {
        const x = v[k]?.[0];
        if (x === undefined) throw new Error(`${ctx.proc("stat")}: missing ${k}`);
        return Number(x);
      };
      fs.counter("node_intr_total", "Total number of interrupts serviced.", num("intr"));
      fs.counter("node_context_switches_total", "Total number of context switches.", num("ctxt"));
      fs.counter("node_forks_total", "Total number of forks.", num("processes"));
      fs.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", num("btime"));
      fs.gauge("node_procs_running", "Number of processes in runnable state.", num("procs_running"));
      fs.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", num("procs_blocked"));
      if (softirq && v.softirq) {
        SOFTIRQS.forEach((name, i) => {
          const x = v.softirq![i + 1];
          if (x !== undefined) fs.counter("node_softirqs_total", "Number of softirq calls.", Number(x), { vector: name });
        });
      }
      return fs.families();
    },
  };
}
