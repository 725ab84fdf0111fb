/**
 * @module exporters/node/registry
 * The name → collector table (node_exporter's registerCollector): each entry has a factory and whether it
 * is enabled by default, matching node_exporter 1.x defaults. `--collector.<name>` / `--no-collector.<name>`
 * override the default. A test checks every file in collectors/ is listed here. Entries are sorted by name.
 */
import type { NodeCollector } from "./collector.ts";
import { arp } from "./collectors/arp.ts";
import { bcache } from "./collectors/bcache.ts";
import { bcachefs } from "./collectors/bcachefs.ts";
import { bonding } from "./collectors/bonding.ts";
import { btrfs } from "./collectors/btrfs.ts";
import { buddyinfo } from "./collectors/buddyinfo.ts";
import { cgroups } from "./collectors/cgroups.ts";
import { conntrack } from "./collectors/conntrack.ts";
import { cpu } from "./collectors/cpu.ts";
import { cpuVulnerabilities } from "./collectors/cpu-vulnerabilities.ts";
import { cpufreq } from "./collectors/cpufreq.ts";
import { diskstats } from "./collectors/diskstats.ts";
import { dmi } from "./collectors/dmi.ts";
import { dmmultipath } from "./collectors/dmmultipath.ts";
import { drbd } from "./collectors/drbd.ts";
import { edac } from "./collectors/edac.ts";
import { entropy } from "./collectors/entropy.ts";
import { fibrechannel } from "./collectors/fibrechannel.ts";
import { filefd } from "./collectors/filefd.ts";
import { filesystem } from "./collectors/filesystem.ts";
import { hwmon } from "./collectors/hwmon.ts";
import { infiniband } from "./collectors/infiniband.ts";
import { interrupts } from "./collectors/interrupts.ts";
import { ipvs } from "./collectors/ipvs.ts";
import { kernelHung } from "./collectors/kernel-hung.ts";
import { ksmd } from "./collectors/ksmd.ts";
import { lnstat } from "./collectors/lnstat.ts";
import { loadavg } from "./collectors/loadavg.ts";
import { mdadm } from "./collectors/mdadm.ts";
import { meminfo } from "./collectors/meminfo.ts";
import { meminfoNuma } from "./collectors/meminfo-numa.ts";
import { mountstats } from "./collectors/mountstats.ts";
import { netclass } from "./collectors/netclass.ts";
import { netdev } from "./collectors/netdev.ts";
import { netstat } from "./collectors/netstat.ts";
import { nfs } from "./collectors/nfs.ts";
import { nfsd } from "./collectors/nfsd.ts";
import { nvme } from "./collectors/nvme.ts";
import { os } from "./collectors/os.ts";
import { pcidevice } from "./collectors/pcidevice.ts";
import { powersupplyclass } from "./collectors/powersupplyclass.ts";
import { pressure } from "./collectors/pressure.ts";
import { processes } from "./collectors/processes.ts";
import { rapl } from "./collectors/rapl.ts";
import { schedstat } from "./collectors/schedstat.ts";
import { slabinfo } from "./collectors/slabinfo.ts";
import { sockstat } from "./collectors/sockstat.ts";
import { softirqs } from "./collectors/softirqs.ts";
import { softnet } from "./collectors/softnet.ts";
import { stat } from "./collectors/stat.ts";
import { sysctl } from "./collectors/sysctl.ts";
import { tapestats } from "./collectors/tapestats.ts";
import { textfile } from "./collectors/textfile.ts";
import { thermalZone } from "./collectors/thermal-zone.ts";
import { time } from "./collectors/time.ts";
import { timex } from "./collectors/timex.ts";
import { udpQueues } from "./collectors/udp-queues.ts";
import { uname } from "./collectors/uname.ts";
import { vmstat } from "./collectors/vmstat.ts";
import { watchdog } from "./collectors/watchdog.ts";
import { xfrm } from "./collectors/xfrm.ts";
import { xfs } from "./collectors/xfs.ts";
import { zfs } from "./collectors/zfs.ts";
import { zoneinfo } from "./collectors/zoneinfo.ts";

/** One registered collector. */
export interface CollectorEntry {
  factory: () => NodeCollector;
  /** Whether node_exporter enables it without a flag. */
  defaultEnabled: boolean;
}

/** Every collector Quiver's node exporter implements, by node_exporter name. */
export const COLLECTORS: ReadonlyMap<string, CollectorEntry> = new Map<string, CollectorEntry>([
  ["arp", { factory: arp, defaultEnabled: true }],
  ["bcache", { factory: bcache, defaultEnabled: true }],
  ["bcachefs", { factory: bcachefs, defaultEnabled: false }],
  ["bonding", { factory: bonding, defaultEnabled: true }],
  ["btrfs", { factory: btrfs, defaultEnabled: true }],
  ["buddyinfo", { factory: buddyinfo, defaultEnabled: false }],
  ["cgroups", { factory: cgroups, defaultEnabled: false }],
  ["conntrack", { factory: conntrack, defaultEnabled: true }],
  ["cpu", { factory: cpu, defaultEnabled: true }],
  ["cpu_vulnerabilities", { factory: cpuVulnerabilities, defaultEnabled: false }],
  ["cpufreq", { factory: cpufreq, defaultEnabled: true }],
  ["diskstats", { factory: diskstats, defaultEnabled: true }],
  ["dmi", { factory: dmi, defaultEnabled: true }],
  ["dmmultipath", { factory: dmmultipath, defaultEnabled: true }],
  ["drbd", { factory: drbd, defaultEnabled: false }],
  ["edac", { factory: edac, defaultEnabled: true }],
  ["entropy", { factory: entropy, defaultEnabled: true }],
  ["fibrechannel", { factory: fibrechannel, defaultEnabled: true }],
  ["filefd", { factory: filefd, defaultEnabled: true }],
  ["filesystem", { factory: filesystem, defaultEnabled: true }],
  ["hwmon", { factory: hwmon, defaultEnabled: true }],
  ["infiniband", { factory: infiniband, defaultEnabled: true }],
  ["interrupts", { factory: interrupts, defaultEnabled: false }],
  ["ipvs", { factory: ipvs, defaultEnabled: true }],
  ["kernel_hung", { factory: kernelHung, defaultEnabled: false }],
  ["ksmd", { factory: ksmd, defaultEnabled: false }],
  ["lnstat", { factory: lnstat, defaultEnabled: false }],
  ["loadavg", { factory: loadavg, defaultEnabled: true }],
  ["mdadm", { factory: mdadm, defaultEnabled: true }],
  ["meminfo", { factory: meminfo, defaultEnabled: true }],
  ["meminfo_numa", { factory: meminfoNuma, defaultEnabled: false }],
  ["mountstats", { factory: mountstats, defaultEnabled: false }],
  ["netclass", { factory: netclass, defaultEnabled: true }],
  ["netdev", { factory: netdev, defaultEnabled: true }],
  ["netstat", { factory: netstat, defaultEnabled: true }],
  ["nfs", { factory: nfs, defaultEnabled: true }],
  ["nfsd", { factory: nfsd, defaultEnabled: true }],
  ["nvme", { factory: nvme, defaultEnabled: true }],
  ["os", { factory: os, defaultEnabled: true }],
  ["pcidevice", { factory: pcidevice, defaultEnabled: false }],
  ["powersupplyclass", { factory: powersupplyclass, defaultEnabled: true }],
  ["pressure", { factory: pressure, defaultEnabled: true }],
  ["processes", { factory: processes, defaultEnabled: false }],
  ["rapl", { factory: rapl, defaultEnabled: true }],
  ["schedstat", { factory: schedstat, defaultEnabled: true }],
  ["slabinfo", { factory: slabinfo, defaultEnabled: false }],
  ["sockstat", { factory: sockstat, defaultEnabled: true }],
  ["softirqs", { factory: softirqs, defaultEnabled: false }],
  ["softnet", { factory: softnet, defaultEnabled: true }],
  ["stat", { factory: stat, defaultEnabled: true }],
  ["sysctl", { factory: sysctl, defaultEnabled: false }],
  ["tapestats", { factory: tapestats, defaultEnabled: true }],
  ["textfile", { factory: textfile, defaultEnabled: true }],
  ["thermal_zone", { factory: thermalZone, defaultEnabled: true }],
  ["time", { factory: time, defaultEnabled: true }],
  ["timex", { factory: timex, defaultEnabled: true }],
  ["udp_queues", { factory: udpQueues, defaultEnabled: true }],
  ["uname", { factory: uname, defaultEnabled: true }],
  ["vmstat", { factory: vmstat, defaultEnabled: true }],
  ["watchdog", { factory: watchdog, defaultEnabled: true }],
  ["xfrm", { factory: xfrm, defaultEnabled: false }],
  ["xfs", { factory: xfs, defaultEnabled: true }],
  ["zfs", { factory: zfs, defaultEnabled: true }],
  ["zoneinfo", { factory: zoneinfo, defaultEnabled: false }],
]);
