/**
 * @module exporters/node/collectors/uname
 * node_uname_info from node:os and /proc/sys/kernel (domainname), labelled as node_exporter does.
 */
import * as nodeOs from "node:os";
import { FamilySet, type NodeCollector, readOptional } from "../collector.ts";

/** The uname collector. */
export function uname(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const domain = (await readOptional(ctx.proc("sys/kernel/domainname"), ctx.signal)) ?? "(none)";
      const sysname = nodeOs.type();
      fs.gauge("node_uname_info", "Labeled system information as provided by the uname system call.", 1, {
        sysname,
        release: nodeOs.release(),
        version: nodeOs.version(),
        machine: nodeOs.machine(),
        nodename: nodeOs.hostname(),
        domainname: domain,
      });
      return fs.families();
    },
  };
}
