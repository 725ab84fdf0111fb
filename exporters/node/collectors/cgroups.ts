/**
 * @module exporters/node/collectors/cgroups
 * cgroup v1 controllers from /proc/cgroups: node_cgroups_cgroups and node_cgroups_enabled per subsystem.
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** The cgroups collector. */
export function cgroups(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("cgroups"), ctx.signal))) {
        if (l.startsWith("#")) continue;
        const [subsys_name, , num, enabled] = fields(l);
        if (!subsys_name || num === undefined || enabled === undefined) continue;
        fs.gauge("node_cgroups_cgroups", "Current cgroup number of the subsystem.", Number(num), { subsys_name });
        fs.gauge("node_cgroups_enabled", "Current cgroup number of the subsystem.", Number(enabled), { subsys_name });
      }
      return fs.families();
    },
  };
}
