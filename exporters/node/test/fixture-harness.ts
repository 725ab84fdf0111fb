/**
 * @module exporters/node/test/fixture-harness
 * Runs the node exporter against node_exporter's end-to-end fixtures the way upstream's
 * end-to-end-test.sh does (same flags), and compares the output with the expected scrape family by family
 * and sample by sample. Shared by the conformance test and `bun run exporters/node/test/conformance-report.ts`.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeText } from "../../../core/exposition/index.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { createNodeExporterHandler } from "../cli.ts";
import { NodeExporter } from "../exporter.ts";
import { parseNodeFlags } from "../flags.ts";
import { unpackTtar } from "./ttar.ts";

/** The filter upstream applies to both sides before diffing. */
export const E2E_FILTER = /^(go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)/;

/** The collectors upstream's end-to-end test enables explicitly. */
export const E2E_COLLECTORS = "arp bcache bcachefs bonding btrfs buddyinfo cgroups conntrack cpu cpufreq cpu_vulnerabilities diskstats dmi drbd edac entropy fibrechannel filefd hwmon infiniband interrupts ipvs kernel_hung ksmd lnstat loadavg mdadm meminfo meminfo_numa mountstats netdev netstat nfs nfsd pcidevice pressure processes qdisc rapl schedstat slabinfo sockstat softirqs stat sysctl textfile thermal_zone udp_queues vmstat watchdog wifi xfrm xfs zfs zoneinfo".split(" ");

/**
 * Expected families produced by the collectors Quiver implements (by node_exporter name prefix); the rest
 * of e2e-output.txt belongs to collectors Quiver does not have (zfs, bcachefs, xfs, infiniband, …).
 */
export const IN_SCOPE = /^(node_(cpu_(seconds|guest|info|flag_info|bug_info|frequency_hertz|isolated|core_throttles|package_throttles|scaling)|load|boot_time|context_switches|forks|intr_total|procs_|softirqs_total|entropy|filefd|memory_[A-Z]|nf_conntrack|pressure|schedstat|sockstat|softnet|time_|textfile|os_|thermal|cooling|vmstat|edac|nfs_|md_|hwmon|netstat|network_|disk_|zfs_|pcidevice_|dmmultipath_|drbd_|bcache_|mountstats_|bcachefs_|sysctl_|zoneinfo_|btrfs_|ipvs_|infiniband_|xfs_|nfsd_|dmi_|nvme_|power_supply_|fibrechannel_|tape_|rapl_|slabinfo_|processes_|ksmd_|watchdog_|arp_|bonding_|udp_queues|xfrm_|lnstat_|memory_numa_|interrupts_|softirqs_functions|buddyinfo_|cgroups_|kernel_hung|cpu_vulnerabilities|scrape_collector_success)|testmetric)/;

/** A family of an exposition: metadata and its sample lines. */
export interface TextFamily {
  help: string;
  type: string;
  samples: string[];
}

/** Splits text-format output into families keyed by name (samples attributed to the preceding TYPE). */
export function splitFamilies(text: string): Map<string, TextFamily> {
  const out = new Map<string, TextFamily>();
  let cur: TextFamily | null = null;
  const get = (n: string) => {
    let f = out.get(n);
    if (!f) out.set(n, (f = { help: "", type: "", samples: [] }));
    return f;
  };
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let m: RegExpExecArray | null;
    if ((m = /^# HELP (\S+) ?(.*)$/.exec(line))) (cur = get(m[1]!)).help = m[2]!;
    else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) (cur = get(m[1]!)).type = m[2]!;
    else if (!line.startsWith("#") && cur) cur.samples.push(line);
  }
  return out;
}

/** Comparison result. */
export interface Conformance {
  expectedFamilies: number;
  matchedFamilies: number;
  expectedSamples: number;
  matchedSamples: number;
  /** The same counts restricted to {@link IN_SCOPE} families. */
  scope: { expectedFamilies: number; matchedFamilies: number; expectedSamples: number; matchedSamples: number };
  /** Families we emit that also appear in the expected output, with any differing lines. */
  diffs: Map<string, { missing: string[]; extra: string[]; meta?: string }>;
  /** Expected families (with samples) we do not emit at all. */
  absent: string[];
  actualText: string;
}

/** Unpacked fixtures: `scrape(only?)` runs the exporter with upstream's e2e flags (optionally only some collectors). */
export interface FixtureRun {
  /** Text-format output with paths rewritten to `collector/fixtures/...`, as upstream's run prints them. */
  scrape(only?: readonly string[]): Promise<string>;
  /** The expected output for this architecture. */
  expected: string;
  /** Collectors enabled by the e2e flags that Quiver implements. */
  enabled: string[];
  cleanup(): void;
}

/** Unpacks the fixtures into a temp dir laid out as `collector/fixtures`. */
export function prepareFixtures(fixtures: string): FixtureRun {
  const tmp = mkdtempSync(join(tmpdir(), "quiver-node-e2e-"));
  const root = join(tmp, "collector", "fixtures");
  mkdirSync(root, { recursive: true });
  unpackTtar(join(fixtures, "sys.ttar"), root);
  unpackTtar(join(fixtures, "udev.ttar"), root);
  for (const d of ["proc", "usr", "textfile", "qdisc", "wifi"]) symlinkSync(join(fixtures, d), join(root, d));
  const argv = [
    `--path.rootfs=${root}`, `--path.procfs=${root}/proc`, `--path.sysfs=${root}/sys`, `--path.udev.data=${root}/udev/data`,
    ...E2E_COLLECTORS.map((c) => `--collector.${c}`),
    "--no-collector.selinux", "--no-collector.filesystem", "--no-collector.timex", "--no-collector.uname",
    "--collector.cpu.info", "--collector.cpu.info.bugs-include=^(cpu_meltdown|spectre_.*|mds)$",
    "--collector.cpu.info.flags-include=^(aes|avx.?|constant_tsc)$", "--collector.arp.device-exclude=nope",
    "--no-collector.arp.netlink", "--collector.bcache.priorityStats",
    "--collector.hwmon.chip-include=(applesmc|asus_nb_wmi|coretemp|hwmon4|ieee80211|nct6779)",
    "--collector.netclass.ignore-invalid-speed", "--collector.netclass.ignored-devices=(dmz|int)",
    "--collector.netdev.device-include=lo", "--collector.qdisc.device-include=(wlan0|eth0)",
    `--collector.qdisc.fixtures=${root}/qdisc/`, "--collector.stat.softirq",
    "--collector.sysctl.include-info=kernel.seccomp.actions_avail", "--collector.sysctl.include=fs.file-nr",
    "--collector.sysctl.include=fs.file-nr:total,current,max", "--collector.sysctl.include=kernel.threads-max",
    `--collector.textfile.directory=${root}/textfile/two_metric_files/`, `--collector.wifi.fixtures=${root}/wifi`,
  ];
  const flags = parseNodeFlags(argv);
  const expected = readFileSync(join(fixtures, process.arch === "x64" ? "e2e-output.txt" : "e2e-64k-page-output.txt"), "utf8");
  return {
    expected,
    enabled: flags.enabled,
    async scrape(only) {
      let text: string;
      if (only) {
        const exp = new NodeExporter({ procfs: flags.procfs, sysfs: flags.sysfs, rootfs: flags.rootfs, enabled: only, flags: flags.options, logger: nopLogger, timeoutMs: 10_000 });
        text = writeText(await exp.collect());
      } else {
        // The whole scrape goes through the standalone exporter's HTTP handler, as upstream's test fetches /metrics.
        const handler = createNodeExporterHandler({ ...flags, timeoutMs: 10_000 }, nopLogger);
        text = await (await handler(new Request("http://localhost/metrics"))).text();
      }
      // Upstream runs from the repository root, so paths in values read `collector/fixtures/...`.
      return text.split(tmp + "/").join("");
    },
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/** Unpacks the fixtures, runs one scrape with every collector and compares. */
export async function runConformance(fixtures: string): Promise<Conformance> {
  const run = prepareFixtures(fixtures);
  try {
    return compare(run.expected, await run.scrape());
  } finally {
    run.cleanup();
  }
}

/** Compares expected and actual text after upstream's filter. */
export function compare(expectedText: string, actualText: string): Conformance {
  const filter = (t: string) => t.split("\n").filter((l) => !E2E_FILTER.test(l)).join("\n");
  const exp = splitFamilies(filter(expectedText));
  const act = splitFamilies(filter(actualText));
  const r: Conformance = { expectedFamilies: 0, matchedFamilies: 0, expectedSamples: 0, matchedSamples: 0, diffs: new Map(), absent: [], actualText, scope: { expectedFamilies: 0, matchedFamilies: 0, expectedSamples: 0, matchedSamples: 0 } };
  for (const [name, e] of exp) {
    if (e.samples.length === 0) continue; // metadata-only (go_*, process_*): not comparable
    const inScope = IN_SCOPE.test(name);
    r.expectedFamilies++;
    r.expectedSamples += e.samples.length;
    if (inScope) {
      r.scope.expectedFamilies++;
      r.scope.expectedSamples += e.samples.length;
    }
    const a = act.get(name);
    if (!a) {
      r.absent.push(name);
      continue;
    }
    const have = new Set(a.samples);
    const want = new Set(e.samples);
    const missing = e.samples.filter((s) => !have.has(s));
    const extra = a.samples.filter((s) => !want.has(s));
    r.matchedSamples += e.samples.length - missing.length;
    if (inScope) r.scope.matchedSamples += e.samples.length - missing.length;
    const metaOk = a.help === e.help && a.type === e.type;
    if (metaOk && missing.length === 0 && extra.length === 0) {
      r.matchedFamilies++;
      if (inScope) r.scope.matchedFamilies++;
    }
    else r.diffs.set(name, { missing, extra, ...(metaOk ? {} : { meta: `want HELP ${JSON.stringify(e.help)} TYPE ${e.type}, got HELP ${JSON.stringify(a.help)} TYPE ${a.type}` }) });
  }
  return r;
}
