/**
 * @module exporters/node/collectors/cpufreq
 * CPU frequency scaling from /sys/devices/system/cpu/cpu<N>/cpufreq (kHz in the files, Hz in the metrics).
 */
import { FamilySet, type NodeCollector, fields, listDirOptional, readOptional } from "../collector.ts";

/** The cpufreq collector. */
export function cpufreq(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      const base = ctx.sys("devices/system/cpu");
      for (const d of await listDirOptional(base, ctx.signal)) {
        if (!/^cpu\d+$/.test(d)) continue;
        const cpu = d.slice(3);
        const dir = `${base}/${d}/cpufreq`;
        const khz = async (name: string) => {
          const t = await readOptional(`${dir}/${name}`, ctx.signal);
          return t === null ? null : Number(t) * 1000;
        };
        const cur = await khz("cpuinfo_cur_freq");
        if (cur !== null) fs.gauge("node_cpu_frequency_hertz", "Current CPU thread frequency in hertz.", cur, { cpu });
        const max = await khz("cpuinfo_max_freq");
        if (max !== null) fs.gauge("node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz.", max, { cpu });
        const min = await khz("cpuinfo_min_freq");
        if (min !== null) fs.gauge("node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz.", min, { cpu });
        const scur = await khz("scaling_cur_freq");
        if (scur !== null) fs.gauge("node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.", scur, { cpu });
        const smax = await khz("scaling_max_freq");
        if (smax !== null) fs.gauge("node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.", smax, { cpu });
        const smin = await khz("scaling_min_freq");
        if (smin !== null) fs.gauge("node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.", smin, { cpu });
        const avail = await readOptional(`${dir}/scaling_available_governors`, ctx.signal);
        const gov = await readOptional(`${dir}/scaling_governor`, ctx.signal);
        if (avail !== null && gov !== null) {
          for (const g of fields(avail)) fs.gauge("node_cpu_scaling_governor", "Current enabled CPU frequency governor.", g === gov ? 1 : 0, { cpu, governor: g });
        }
      }
      return fs.families();
    },
  };
}
