/**
 * @module exporters/node/collectors/watchdog
 * Watchdog devices from /sys/class/watchdog/<name>: numeric attributes as node_watchdog_<attr>{name}
 * (timeouts in seconds) and the text attributes in node_watchdog_info.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

const NUMERIC: [file: string, metric: string][] = [
  ["access_cs0", "access_cs0"], ["bootstatus", "bootstatus"], ["fw_version", "fw_version"], ["nowayout", "nowayout"],
  ["pretimeout", "pretimeout_seconds"], ["timeleft", "timeleft_seconds"], ["timeout", "timeout_seconds"],
];
const INFO = ["options", "identity", "state", "status", "pretimeout_governor"];

/** The watchdog collector. */
export function watchdog(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/watchdog");
      const fs = new FamilySet();
      for (const name of await listDirOptional(base, ctx.signal)) {
        for (const [file, metric] of NUMERIC) {
          const t = await readOptional(`${base}/${name}/${file}`, ctx.signal);
          if (t === null || t === "" || Number.isNaN(Number(t))) continue;
          fs.gauge(`node_watchdog_${metric}`, `Value of /sys/class/watchdog/<watchdog>/${file}`, Number(t), { name });
        }
        const labels: Record<string, string> = { name };
        for (const f of INFO) labels[f] = (await readOptional(`${base}/${name}/${f}`, ctx.signal)) ?? "";
        fs.gauge("node_watchdog_info", "Info of /sys/class/watchdog/<watchdog>", 1, labels);
      }
      return fs.families();
    },
  };
}
