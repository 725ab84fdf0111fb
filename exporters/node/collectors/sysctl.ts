/**
 * @module exporters/node/collectors/sysctl
 * Selected sysctls from /proc/sys, as node_exporter's sysctl collector:
 * `--collector.sysctl.include=name` exports numeric values (one sample, or one per field with `index`),
 * `--collector.sysctl.include=name:a,b,c` names the fields (node_sysctl_<name>_<a>), and
 * `--collector.sysctl.include-info=name` exports text values as node_sysctl_info{name,value,index}.
 */
import { FamilySet, type NodeCollector, fields, readText } from "../collector.ts";

/** `kernel.threads-max` → `kernel_threads_max`. */
function metricName(sysctl: string): string {
  return sysctl.replace(/[^a-zA-Z0-9_]/g, "_");
}

/** The sysctl collector. */
export function sysctl(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const read = async (name: string) => fields(await readText(ctx.proc("sys", ...name.split(".")), ctx.signal));
      for (const spec of ctx.opts("collector.sysctl.include")) {
        const [name, mapping] = spec.split(":") as [string, string | undefined];
        const values = (await read(name)).map(Number);
        if (values.some((v) => Number.isNaN(v))) throw new Error(`sysctl ${name} is not numeric; use --collector.sysctl.include-info`);
        const base = `node_sysctl_${metricName(name)}`;
        if (mapping) {
          mapping.split(",").forEach((field, i) => {
            if (values[i] !== undefined) fs.untyped(`${base}_${field}`, `sysctl ${name}, field ${i}`, values[i]);
          });
        } else if (values.length === 1) fs.untyped(base, `sysctl ${name}`, values[0]!);
        else values.forEach((v, i) => fs.untyped(base, `sysctl ${name}`, v, { index: String(i) }));
      }
      for (const name of ctx.opts("collector.sysctl.include-info")) {
        (await read(name)).forEach((value, i) => fs.gauge("node_sysctl_info", "sysctl info", 1, { name, value, index: String(i) }));
      }
      return fs.families();
    },
  };
}
