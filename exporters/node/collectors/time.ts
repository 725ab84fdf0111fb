/**
 * @module exporters/node/collectors/time
 * System time, time zone offset, and clock sources from /sys/devices/system/clocksource.
 */
import { FamilySet, type NodeCollector, fields, listDirOptional, readOptional } from "../collector.ts";

/** The time collector. */
export function time(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const now = ctx.now();
      fs.gauge("node_time_seconds", "System time in seconds since epoch (1970).", now / 1000);
      const d = new Date(now);
      const zone = Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "UTC";
      fs.gauge("node_time_zone_offset_seconds", "System time zone offset in seconds.", -d.getTimezoneOffset() * 60, { time_zone: zone });
      const base = ctx.sys("devices/system/clocksource");
      for (const dev of await listDirOptional(base, ctx.signal)) {
        const m = /^clocksource(\d+)$/.exec(dev);
        if (!m) continue;
        const avail = await readOptional(`${base}/${dev}/available_clocksource`, ctx.signal);
        const cur = await readOptional(`${base}/${dev}/current_clocksource`, ctx.signal);
        for (const c of fields(avail ?? "")) fs.gauge("node_time_clocksource_available_info", "Available clocksources read from '/sys/devices/system/clocksource'.", 1, { device: m[1]!, clocksource: c });
        if (cur) fs.gauge("node_time_clocksource_current_info", "Current clocksource read from '/sys/devices/system/clocksource'.", 1, { device: m[1]!, clocksource: cur });
      }
      return fs.families();
    },
  };
}
