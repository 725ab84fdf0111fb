/**
 * @module exporters/node/collectors/thermal-zone
 * Thermal zone temperatures (m°C → °C) and cooling device states from /sys/class/thermal.
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

/** The thermal_zone collector. */
export function thermalZone(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const base = ctx.sys("class/thermal");
      for (const d of await listDirOptional(base, ctx.signal)) {
        let m = /^thermal_zone(\d+)$/.exec(d);
        if (m) {
          const type = await readOptional(`${base}/${d}/type`, ctx.signal);
          const temp = await readOptional(`${base}/${d}/temp`, ctx.signal);
          if (type === null || temp === null) continue;
          fs.gauge("node_thermal_zone_temp", "Zone temperature in Celsius", Number(temp) / 1000, { zone: m[1]!, type });
          continue;
        }
        m = /^cooling_device(\d+)$/.exec(d);
        if (m) {
          const type = await readOptional(`${base}/${d}/type`, ctx.signal);
          const cur = await readOptional(`${base}/${d}/cur_state`, ctx.signal);
          const max = await readOptional(`${base}/${d}/max_state`, ctx.signal);
          if (type === null) continue;
          if (cur !== null) fs.gauge("node_cooling_device_cur_state", "Current throttle state of the cooling device", Number(cur), { name: m[1]!, type });
          if (max !== null) fs.gauge("node_cooling_device_max_state", "Maximum throttle state of the cooling device", Number(max), { name: m[1]!, type });
        }
      }
      return fs.families();
    },
  };
}
