/**
 * @module exporters/node/collectors/zoneinfo
 * Memory zone statistics from /proc/zoneinfo, per `Node N, zone X` block: watermarks and page counts of the
 * `pages` section, the protection array, and the nr_* / numa_* statistics listed in the block (per-node
 * statistics appear in the first zone of each node, as the kernel prints them). Only fields present in a
 * block are exported.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** zoneinfo key → [metric suffix, HELP, counter?]. */
const MAP: Record<string, [string, string, boolean?]> = {
  min: ["min_pages", "Zone watermark pages_min"],
  low: ["low_pages", "Zone watermark pages_low"],
  high: ["high_pages", "Zone watermark pages_high"],
  spanned: ["spanned_pages", "Total pages spanned by the zone, including holes"],
  present: ["present_pages", "Physical pages existing within the zone"],
  managed: ["managed_pages", "Present pages managed by the buddy system"],
  nr_free_pages: ["nr_free_pages", "Total number of free pages in the zone"],
  nr_inactive_anon: ["nr_inactive_anon_pages", "Number of anonymous pages recently less used"],
  nr_active_anon: ["nr_active_anon_pages", "Number of anonymous pages recently more used"],
  nr_inactive_file: ["nr_inactive_file_pages", "Number of inactive pages with file-backing"],
  nr_active_file: ["nr_active_file_pages", "Number of active pages with file-backing"],
  nr_unevictable: ["nr_unevictable_pages", "Number of unevictable pages"],
  nr_slab_reclaimable: ["nr_slab_reclaimable_pages", "Number of reclaimable slab pages"],
  nr_slab_unreclaimable: ["nr_slab_unreclaimable_pages", "Number of unreclaimable slab pages"],
  nr_isolated_anon: ["nr_isolated_anon_pages", "Temporary isolated pages from anon lru"],
  nr_isolated_file: ["nr_isolated_file_pages", "Temporary isolated pages from file lru"],
  nr_anon_pages: ["nr_anon_pages", "Number of anonymous pages currently used by the system"],
  nr_mapped: ["nr_mapped_pages", "Number of mapped pages"],
  nr_file_pages: ["nr_file_pages", "Number of file pages"],
  nr_dirty: ["nr_dirty_pages", "Number of dirty pages"],
  nr_writeback: ["nr_writeback_pages", "Number of writeback pages"],
  nr_shmem: ["nr_shmem_pages", "Number of shmem pages (included tmpfs/GEM pages)"],
  nr_anon_transparent_hugepages: ["nr_anon_transparent_hugepages", "Number of anonymous transparent huge pages currently used by the system"],
  nr_dirtied: ["nr_dirtied_total", "Page dirtyings since bootup", true],
  nr_written: ["nr_written_total", "Page writings since bootup", true],
  nr_kernel_stack: ["nr_kernel_stacks", "Number of kernel stacks"],
  numa_hit: ["numa_hit_total", "Allocated in intended node", true],
  numa_miss: ["numa_miss_total", "Allocated in non intended node", true],
  numa_foreign: ["numa_foreign_total", "Was intended here, hit elsewhere", true],
  numa_interleave: ["numa_interleave_total", "Interleaver preferred this zone", true],
  numa_local: ["numa_local_total", "Allocation from local node", true],
  numa_other: ["numa_other_total", "Allocation from other node", true],
};

/** The zoneinfo collector. */
export function zoneinfo(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      let labels: { node: string; zone: string } | null = null;
      for (const l of lines(await readText(ctx.proc("zoneinfo"), ctx.signal))) {
        const head = /^Node (\d+), zone\s+(\S+)/.exec(l);
        if (head) {
          labels = { node: head[1]!, zone: head[2]! };
          continue;
        }
        if (!labels) continue;
        const t = l.trim();
        const prot = /^protection: \((.*)\)$/.exec(t);
        if (prot) {
          prot[1]!.split(",").forEach((v, i) => fs.gauge(`node_zoneinfo_protection_${i}`, `Protection array ${i}. field`, Number(v.trim()), labels!));
          continue;
        }
        // "pages free N" (three fields) is skipped: nr_free_pages carries the same count.
        const f = fields(t);
        const [k, v] = f;
        const m = k ? MAP[k] : undefined;
        if (!m || v === undefined || f.length !== 2) continue;
        fs.add(`node_zoneinfo_${m[0]}`, m[2] ? "counter" : "gauge", m[1], Number(v), labels);
      }
      return fs.families();
    },
  };
}
