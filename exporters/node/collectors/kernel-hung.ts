/**
 * @module exporters/node/collectors/kernel-hung
 * Hung task count from /proc/sys/kernel/hung_task_detect_count (node_kernel_hung_tasks_total).
 */
import { FamilySet, type NodeCollector, readText } from "../collector.ts";

/** The kernel_hung collector. */
export function kernelHung(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const v = Number((await readText(ctx.proc("sys/kernel/hung_task_detect_count"), ctx.signal)).trim());
      fs.counter("node_kernel_hung_tasks_total", "Total number of tasks that have been detected as hung since the system booted.", v);
      return fs.families();
    },
  };
}
