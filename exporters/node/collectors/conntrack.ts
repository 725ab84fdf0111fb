/**
 * @module exporters/node/collectors/conntrack
 * Connection tracking: entries and limit from /proc/sys/net/netfilter, per-CPU statistics from
 * /proc/net/stat/nf_conntrack summed over CPUs.
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

const STATS: [string, string][] = [
  ["found", "Number of searched entries which were successful."],
  ["invalid", "Number of packets seen which can not be tracked."],
  ["ignore", "Number of packets seen which are already connected to a conntrack entry."],
  ["insert", "Number of entries inserted into the list."],
  ["insert_failed", "Number of entries for which list insertion was attempted but failed."],
  ["drop", "Number of packets dropped due to conntrack failure."],
  ["early_drop", "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."],
  ["search_restart", "Number of conntrack table lookups which had to be restarted due to hashtable resizes."],
];

/** The conntrack collector. */
export function conntrack(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const count = await readOptional(ctx.proc("sys/net/netfilter/nf_conntrack_count"), ctx.signal);
      if (count === null) throw new NoDataError("conntrack is not loaded (nf_conntrack_count missing)");
      fs.gauge("node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.", Number(count));
      const max = await readOptional(ctx.proc("sys/net/netfilter/nf_conntrack_max"), ctx.signal);
      if (max === null) throw new NoDataError("conntrack is not loaded (nf_conntrack_max missing)");
      fs.gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", Number(max));
      const text = await readOptional(ctx.proc("net/stat/nf_conntrack"), ctx.signal);
      if (text !== null) {
        const ls = lines(text);
        const header = fields(ls[0] ?? "");
        const sums = new Map<string, number>();
        for (const l of ls.slice(1)) {
          fields(l).forEach((x, i) => {
            const k = header[i];
            if (k) sums.set(k, (sums.get(k) ?? 0) + parseInt(x, 16));
          });
        }
        for (const [k, help] of STATS) fs.gauge(`node_nf_conntrack_stat_${k}`, help, sums.get(k) ?? 0);
      }
      return fs.families();
    },
  };
}
