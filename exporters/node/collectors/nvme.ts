/**
 * @module exporters/node/collectors/nvme
 * NVMe controllers and namespaces from /sys/class/nvme: node_nvme_info per controller, and per namespace
 * (nvme<c>n<nsid>) its size, usage and capacity in bytes (block counts × logical block size).
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

/** The nvme collector. */
export function nvme(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/nvme");
      const fs = new FamilySet();
      for (const device of await listDirOptional(base, ctx.signal)) {
        const dir = `${base}/${device}`;
        const read = async (f: string) => (await readOptional(`${dir}/${f}`, ctx.signal)) ?? "";
        fs.gauge("node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>, value is always 1.", 1, {
          device, firmware_revision: await read("firmware_rev"), model: await read("model"), serial: await read("serial"), state: await read("state"), cntlid: await read("cntlid"),
        });
        for (const ns of await listDirOptional(dir, ctx.signal)) {
          const m = new RegExp(`^${device}n(\\d+)$`).exec(ns);
          if (!m) continue;
          const nsid = m[1]!;
          const nsRead = async (f: string) => readOptional(`${dir}/${ns}/${f}`, ctx.signal);
          const lbs = Number((await nsRead("queue/logical_block_size")) ?? NaN);
          const size = Number((await nsRead("size")) ?? NaN);
          const nuse = Number((await nsRead("nuse")) ?? NaN);
          const labels = { device, nsid };
          fs.gauge("node_nvme_namespace_info", "Information about NVMe namespaces. Value is always 1", 1, { ...labels, ana_state: (await nsRead("ana_state")) ?? "" });
          if (!Number.isNaN(lbs)) {
            fs.gauge("node_nvme_namespace_logical_block_size_bytes", "Logical block size of the NVMe namespace in bytes. Usually 4Kb. Available in /sys/class/nvme/<device>/<namespace>/queue/logical_block_size", lbs, labels);
            if (!Number.isNaN(size)) {
              fs.gauge("node_nvme_namespace_size_bytes", "Size of the NVMe namespace in bytes. Available in /sys/class/nvme/<device>/<namespace>/size", size * lbs, labels);
              fs.gauge("node_nvme_namespace_capacity_bytes", "Capacity of the NVMe namespace in bytes. Computed as namespace_size * namespace_logical_block_size", size * lbs, labels);
            }
            if (!Number.isNaN(nuse)) fs.gauge("node_nvme_namespace_used_bytes", "Used space of the NVMe namespace in bytes. Available in /sys/class/nvme/<device>/<namespace>/nuse", nuse * lbs, labels);
          }
        }
      }
      return fs.families();
    },
  };
}
