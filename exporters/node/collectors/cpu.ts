/**
 * @module exporters/node/collectors/cpu
 * CPU time per mode from /proc/stat (USER_HZ = 100 ticks/s; guest time reported separately and subtracted
 * from user/nice as the kernel counts it in both), throttle counters and isolation from sysfs, and with
 * --collector.cpu.info the /proc/cpuinfo info, frequency, flag and bug families.
 */
import { FamilySet, type NodeCollector, fields, lines, listDirOptional, readOptional, readText } from "../collector.ts";

/** Clock ticks per second of /proc/stat (USER_HZ on every Linux platform Quiver runs on). */
export const USER_HZ = 100;
const MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"];

/** Expands a CPU list such as `1,3-5,9` into numbers. */
export function parseCpuList(s: string): number[] {
  const out: number[] = [];
  for (const part of s.trim().split(",")) {
    if (part === "") continue;
    const [a, b] = part.split("-");
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (Number.isNaN(lo) || Number.isNaN(hi)) throw new Error(`invalid cpu list ${JSON.stringify(s)}`);
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return out;
}

/** The cpu collector. */
export function cpu(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      if (ctx.opt("collector.cpu.info") === "true") await cpuInfo(ctx.proc("cpuinfo"), ctx, fs);
      await throttles(ctx, fs);
      const iso = await readOptional(ctx.sys("devices/system/cpu/isolated"), ctx.signal);
      if (iso) for (const c of parseCpuList(iso)) fs.gauge("node_cpu_isolated", "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.", 1, { cpu: String(c) });
      const guest = ctx.opt("collector.cpu.guest") !== "false";
      for (const l of lines(await readText(ctx.proc("stat"), ctx.signal))) {
        const f = fields(l);
        if (!/^cpu\d+$/.test(f[0] ?? "")) continue;
        const cpu = f[0]!.slice(3);
        const v = f.slice(1).map((x) => Number(x) / USER_HZ);
        MODES.forEach((mode, i) => fs.counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", v[i] ?? 0, { cpu, mode }));
        if (guest) {
          fs.counter("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.", v[8] ?? 0, { cpu, mode: "user" });
          fs.counter("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.", v[9] ?? 0, { cpu, mode: "nice" });
        }
      }
      return fs.families();
    },
  };
}

async function throttles(ctx: Parameters<NodeCollector["update"]>[0], fs: FamilySet): Promise<void> {
  const base = ctx.sys("devices/system/cpu");
  const seenPkg = new Set<string>();
  const seenCore = new Set<string>();
  for (const d of await listDirOptional(base, ctx.signal)) {
    if (!/^cpu\d+$/.test(d)) continue;
    const pkg = await readOptional(`${base}/${d}/topology/physical_package_id`, ctx.signal);
    const core = await readOptional(`${base}/${d}/topology/core_id`, ctx.signal);
    if (pkg === null || core === null) continue;
    if (!seenPkg.has(pkg)) {
      const n = await readOptional(`${base}/${d}/thermal_throttle/package_throttle_count`, ctx.signal);
      if (n !== null) {
        seenPkg.add(pkg);
        fs.counter("node_cpu_package_throttles_total", "Number of times this CPU package has been throttled.", Number(n), { package: pkg });
      }
    }
    const key = `${pkg}/${core}`;
    if (!seenCore.has(key)) {
      const n = await readOptional(`${base}/${d}/thermal_throttle/core_throttle_count`, ctx.signal);
      if (n !== null) {
        seenCore.add(key);
        fs.counter("node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.", Number(n), { package: pkg, core });
      }
    }
  }
}

async function cpuInfo(path: string, ctx: Parameters<NodeCollector["update"]>[0], fs: FamilySet): Promise<void> {
  const text = await readText(path, ctx.signal);
  const cpus: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const l of lines(text)) {
    const i = l.indexOf(":");
    if (i < 0) continue;
    const k = l.slice(0, i).trim();
    const v = l.slice(i + 1).trim();
    if (k === "processor") cpus.push((cur = {}));
    if (cur) cur[k] = v;
  }
  for (const c of cpus) {
    fs.gauge("node_cpu_info", "CPU information from /proc/cpuinfo.", 1, {
      package: c["physical id"] ?? "", core: c["core id"] ?? "", cpu: c.processor ?? "", vendor: c.vendor_id ?? "",
      family: c["cpu family"] ?? "", model: c.model ?? "", model_name: c["model name"] ?? "", microcode: c.microcode ?? "",
      stepping: c.stepping ?? "", cachesize: c["cache size"] ?? "",
    });
    if (c["cpu MHz"] !== undefined) {
      fs.gauge("node_cpu_frequency_hertz", "CPU frequency in hertz from /proc/cpuinfo.", Number(c["cpu MHz"]) * 1e6, { package: c["physical id"] ?? "", core: c["core id"] ?? "", cpu: c.processor ?? "" });
    }
  }
  const first = cpus[0];
  if (!first) return;
  const flagsRe = ctx.opt("collector.cpu.info.flags-include");
  const bugsRe = ctx.opt("collector.cpu.info.bugs-include");
  if (flagsRe) {
    const re = new RegExp(flagsRe);
    for (const f of fields(first.flags ?? "").sort()) if (re.test(f)) fs.gauge("node_cpu_flag_info", "The `flags` field of CPU information from /proc/cpuinfo taken from the first core.", 1, { flag: f });
  }
  if (bugsRe) {
    const re = new RegExp(bugsRe);
    for (const b of fields(first.bugs ?? "").sort()) if (re.test(b)) fs.gauge("node_cpu_bug_info", "The `bugs` field of CPU information from /proc/cpuinfo taken from the first core.", 1, { bug: b });
  }
}
