/**
 * @module exporters/node/collectors/cpu-vulnerabilities
 * CPU vulnerability states from /sys/devices/system/cpu/vulnerabilities/*: "Not affected", "Vulnerable"
 * or "Mitigation: <text>" become node_cpu_vulnerabilities_info{codename,state,mitigation} 1.
 */
import { FamilySet, type NodeCollector, listDir, readOptional } from "../collector.ts";

const HELP = "Details of each CPU vulnerability reported by sysfs. The value of the series is an int encoded state of the vulnerability. The same state is stored as a string in the label";

/** The cpu_vulnerabilities collector. */
export function cpuVulnerabilities(): NodeCollector {
  return {
    async update(ctx) {
      const dir = ctx.sys("devices/system/cpu/vulnerabilities");
      const fs = new FamilySet();
      for (const codename of await listDir(dir, ctx.signal)) {
        const text = await readOptional(`${dir}/${codename}`, ctx.signal);
        if (text === null) continue;
        const m = /^Mitigation: (.*)$/.exec(text);
        const state = m ? "mitigation" : text.toLowerCase();
        fs.gauge("node_cpu_vulnerabilities_info", HELP, 1, { codename, state, mitigation: m ? m[1]! : "" });
      }
      return fs.families();
    },
  };
}
