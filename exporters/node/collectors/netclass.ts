/**
 * @module exporters/node/collectors/netclass
 * Network device properties from /sys/class/net/<iface>: node_network_info, node_network_up and one gauge
 * or counter per readable attribute, as node_exporter's netclass collector (sysfs mode).
 * Devices matching --collector.netclass.ignored-devices are skipped; with
 * --collector.netclass.ignore-invalid-speed, a negative or unreadable speed is not exported.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";
import { stat } from "node:fs/promises";

type Prop = [file: string, metric: string, type: "gauge" | "counter"];
const PROPS: Prop[] = [
  ["addr_assign_type", "address_assign_type", "gauge"],
  ["carrier", "carrier", "gauge"],
  ["carrier_changes", "carrier_changes_total", "counter"],
  ["carrier_up_count", "carrier_up_changes_total", "counter"],
  ["carrier_down_count", "carrier_down_changes_total", "counter"],
  ["dev_id", "device_id", "gauge"],
  ["dormant", "dormant", "gauge"],
  ["flags", "flags", "gauge"],
  ["ifindex", "iface_id", "gauge"],
  ["iflink", "iface_link", "gauge"],
  ["link_mode", "iface_link_mode", "gauge"],
  ["mtu", "mtu_bytes", "gauge"],
  ["name_assign_type", "name_assign_type", "gauge"],
  ["netdev_group", "net_dev_group", "gauge"],
  ["tx_queue_len", "transmit_queue_length", "gauge"],
  ["type", "protocol_type", "gauge"],
];

/** Parses a sysfs integer (decimal or 0x-hex), or null. */
function parseSysInt(s: string | null): number | null {
  if (s === null || s === "") return null;
  const v = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : Number(s);
  return Number.isFinite(v) ? v : null;
}

/** The netclass collector. */
export function netclass(): NodeCollector {
  return {
    async update(ctx) {
      const ignored = new RegExp(ctx.opt("collector.netclass.ignored-devices") ?? "^$");
      const ignoreInvalidSpeed = ctx.opt("collector.netclass.ignore-invalid-speed") === "true";
      const fs = new FamilySet();
      const base = ctx.sys("class/net");
      for (const dev of await listDirOptional(base, ctx.signal)) {
        if (ignored.test(dev)) continue;
        const dir = `${base}/${dev}`;
        try {
          if (!(await stat(dir)).isDirectory()) continue;
        } catch {
          continue;
        }
        const read = (f: string) => readOptional(`${dir}/${f}`, ctx.signal);
        const operstate = (await read("operstate")) ?? "";
        const flags = parseSysInt(await read("flags"));
        fs.gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", operstate === "up" ? 1 : 0, { device: dev });
        fs.gauge("node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.", 1, {
          device: dev, address: (await read("address")) ?? "", broadcast: (await read("broadcast")) ?? "", duplex: (await read("duplex")) ?? "",
          operstate, adminstate: flags === null ? "" : flags & 1 ? "up" : "down", ifalias: (await read("ifalias")) ?? "",
        });
        for (const [file, metric, type] of PROPS) {
          const v = parseSysInt(await read(file));
          if (v !== null) fs.add(`node_network_${metric}`, type, `Network device property: ${metric}`, v, { device: dev });
        }
        const speed = parseSysInt(await read("speed"));
        if (speed !== null && (speed >= 0 || !ignoreInvalidSpeed)) {
          fs.gauge("node_network_speed_bytes", "Network device property: speed_bytes", (speed * 1000 * 1000) / 8, { device: dev });
        }
      }
      return fs.families();
    },
  };
}
