/**
 * @module exporters/node/collectors/ksmd
 * Kernel same-page merging from /sys/kernel/mm/ksm (node_ksmd_*), with node_exporter's names, units
 * (sleep_millisecs → seconds, general_profit → bytes) and HELP texts.
 */
import { FamilySet, type NodeCollector, readOptional } from "../collector.ts";

type Row = [file: string, metric: string, type: "gauge" | "counter", help: string, scale: number];
const ROWS: Row[] = [
  ["full_scans", "full_scans_total", "counter", "How many times all mergeable areas have been scanned.", 1],
  ["general_profit", "general_profit_bytes", "gauge", "How effective is KSM. ksm_saved_pages * sizeof(page) - (all_rmap_items) * sizeof(rmap_item)", 1],
  ["merge_across_nodes", "merge_across_nodes", "gauge", "Specifies if pages from different NUMA nodes can be merged.", 1],
  ["pages_shared", "pages_shared", "gauge", "How many shared pages are being used.", 1],
  ["pages_sharing", "pages_sharing", "gauge", "How many more sites are sharing them i.e. how much saved.", 1],
  ["pages_to_scan", "pages_to_scan", "gauge", "How many pages to scan before ksmd goes to sleep.", 1],
  ["pages_unshared", "pages_unshared", "gauge", "How many pages unique but repeatedly checked for merging.", 1],
  ["pages_volatile", "pages_volatile", "gauge", "How many pages changing too fast to be placed in a tree.", 1],
  ["run", "run", "gauge", "The status of ksmd. stopped = 0, running = 1", 1],
  ["sleep_millisecs", "sleep_seconds", "gauge", "How many seconds ksmd should sleep before next scan.", 0.001],
];

/** The ksmd collector. */
export function ksmd(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const [file, metric, type, help, scale] of ROWS) {
        const t = await readOptional(ctx.sys("kernel/mm/ksm", file), ctx.signal);
        if (t === null) {
          if (file === "general_profit" || file === "merge_across_nodes") continue; // newer or NUMA-only files
          throw new Error(`couldn't read ${ctx.sys("kernel/mm/ksm", file)}`);
        }
        fs.add(`node_ksmd_${metric}`, type, help, scale === 1 ? Number(t) : Number(t) * scale);
      }
      return fs.families();
    },
  };
}
