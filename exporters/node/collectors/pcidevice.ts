/**
 * @module exporters/node/collectors/pcidevice
 * PCI devices from /sys/bus/pci/devices/<segment:bus:device.function>: identity (node_pcidevice_info with
 * the parent device from the sysfs path, "*" for a root port), PCIe link speed ("8.0 GT/s PCIe" → T/s)
 * and width, D3cold support, power state (one-hot), NUMA node (when known) and SR-IOV counts.
 */
import { FamilySet, NoDataError, type NodeCollector, listDirOptional, readLinkOptional, readOptional } from "../collector.ts";

const LOCATION = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-9a-f])$/;
const POWER_STATES = ["D0", "D1", "D2", "D3hot", "D3cold", "unknown", "error"];

/** "8.0 GT/s PCIe" → 8e9 transfers per second; null when unparsable. */
export function parseLinkSpeed(s: string): number | null {
  const m = /^([\d.]+)\s*GT\/s/.exec(s);
  return m ? Number(m[1]) * 1e9 : null;
}

/** The pcidevice collector. */
export function pcidevice(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("bus/pci/devices");
      const devices = (await listDirOptional(base, ctx.signal)).filter((d) => LOCATION.test(d));
      if (devices.length === 0) throw new NoDataError("no PCI devices");
      const fs = new FamilySet();
      for (const loc of devices) {
        const m = LOCATION.exec(loc)!;
        const labels = { segment: m[1]!, bus: m[2]!, device: m[3]!, function: m[4]! };
        const read = (f: string) => readOptional(`${base}/${loc}/${f}`, ctx.signal);
        const link = (await readLinkOptional(`${base}/${loc}`)) ?? "";
        const parts = link.split("/");
        const parent = LOCATION.exec(parts[parts.length - 2] ?? "");
        fs.gauge("node_pcidevice_info", "Non-numeric data from /sys/bus/pci/devices/<location>, value is always 1.", 1, {
          ...labels,
          parent_segment: parent ? parent[1]! : "*", parent_bus: parent ? parent[2]! : "*", parent_device: parent ? parent[3]! : "*", parent_function: parent ? parent[4]! : "*",
          class_id: (await read("class")) ?? "", vendor_id: (await read("vendor")) ?? "", device_id: (await read("device")) ?? "",
          subsystem_vendor_id: (await read("subsystem_vendor")) ?? "", subsystem_device_id: (await read("subsystem_device")) ?? "", revision: (await read("revision")) ?? "",
        });
        const cur = parseLinkSpeed((await read("current_link_speed")) ?? "");
        if (cur !== null) fs.gauge("node_pcidevice_current_link_transfers_per_second", "Value of current link's transfers per second (T/s)", cur, labels);
        const max = parseLinkSpeed((await read("max_link_speed")) ?? "");
        if (max !== null) fs.gauge("node_pcidevice_max_link_transfers_per_second", "Value of maximum link's transfers per second (T/s)", max, labels);
        const numeric: [string, string, string][] = [
          ["current_link_width", "current_link_width", "Value of current link's width (number of lanes)"],
          ["max_link_width", "max_link_width", "Value of maximum link's width (number of lanes)"],
          ["d3cold_allowed", "d3cold_allowed", "Whether the PCIe device supports D3cold power state (0/1)."],
          ["sriov_drivers_autoprobe", "sriov_drivers_autoprobe", "Whether SR-IOV drivers autoprobe is enabled for the device (0/1)."],
          ["sriov_numvfs", "sriov_numvfs", "Number of Virtual Functions (VFs) currently enabled for SR-IOV."],
          ["sriov_totalvfs", "sriov_totalvfs", "Total number of Virtual Functions (VFs) supported by the device."],
          ["sriov_vf_total_msix", "sriov_vf_total_msix", "Total number of MSI-X vectors for Virtual Functions."],
        ];
        for (const [file, metric, help] of numeric) {
          const t = await read(file);
          if (t !== null && /^-?\d+$/.test(t)) fs.gauge(`node_pcidevice_${metric}`, help, Number(t), labels);
        }
        const numa = await read("numa_node");
        if (numa !== null && /^\d+$/.test(numa)) fs.gauge("node_pcidevice_numa_node", "NUMA node number for the PCI device. -1 indicates unknown or not available.", Number(numa), labels);
        const power = await read("power_state");
        if (power !== null) {
          for (const s of POWER_STATES) fs.gauge("node_pcidevice_power_state", "PCIe device power state, one of: D0, D1, D2, D3hot, D3cold, unknown or error.", power === s ? 1 : 0, { ...labels, state: s });
        }
      }
      return fs.families();
    },
  };
}
