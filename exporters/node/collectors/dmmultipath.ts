/**
 * @module exporters/node/collectors/dmmultipath
 * Device-mapper multipath devices from /sys/block/dm-* (uuid starting with "mpath-"): activity, size
 * (512-byte sectors → bytes), path counts and each path's state from /sys/block/<path>/device/state
 * (active = SCSI "running" or NVMe "live").
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

/** The dmmultipath collector. */
export function dmmultipath(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("block");
      const fs = new FamilySet();
      for (const dm of await listDirOptional(base, ctx.signal)) {
        if (!dm.startsWith("dm-")) continue;
        const uuid = await readOptional(`${base}/${dm}/dm/uuid`, ctx.signal);
        if (!uuid || !uuid.startsWith("mpath-")) continue;
        const device = (await readOptional(`${base}/${dm}/dm/name`, ctx.signal)) ?? "";
        const labels = { device, sysfs_name: dm };
        const suspended = await readOptional(`${base}/${dm}/dm/suspended`, ctx.signal);
        fs.gauge("node_dmmultipath_device_info", "Non-numeric information about a DM-multipath device.", 1, { ...labels, uuid });
        fs.gauge("node_dmmultipath_device_active", "Whether the multipath device-mapper device is active (1) or suspended (0).", suspended === "1" ? 0 : 1, labels);
        const size = Number((await readOptional(`${base}/${dm}/size`, ctx.signal)) ?? NaN);
        if (!Number.isNaN(size)) fs.gauge("node_dmmultipath_device_size_bytes", "Size of the multipath device in bytes, read from /sys/block/<dm>/size.", size * 512, labels);
        const paths = await listDirOptional(`${base}/${dm}/slaves`, ctx.signal);
        let active = 0;
        for (const path of paths) {
          const state = (await readOptional(`${base}/${path}/device/state`, ctx.signal)) ?? "unknown";
          if (state === "running" || state === "live") active++;
          fs.gauge("node_dmmultipath_path_state", "Reports the underlying device state for a multipath path, as read from /sys/block/<dev>/device/state.", 1, { device, path, state });
        }
        fs.gauge("node_dmmultipath_device_paths", "Number of paths for a multipath device.", paths.length, labels);
        fs.gauge("node_dmmultipath_device_paths_active", "Number of paths in active state (SCSI running or NVMe live) for a multipath device.", active, labels);
        fs.gauge("node_dmmultipath_device_paths_failed", "Number of paths not in active state for a multipath device.", paths.length - active, labels);
      }
      return fs.families();
    },
  };
}
