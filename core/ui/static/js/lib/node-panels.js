/**
 * @module static/js/lib/node-panels
 * The node dashboard's queries, written against node_exporter's metric names. Every query is scoped
 * by a selector string (`instance="…",job="…"`) and, for rates, a window that grows with the step so
 * long ranges still see at least two samples.
 */

/** Escapes a label value for a PromQL double-quoted string. @param {string} v */
export function quote(v) {
  return JSON.stringify(v);
}

/** The selector body for one node target. @param {{instance: string, job?: string}} t */
export function nodeSelector(t) {
  return t.job ? `instance=${quote(t.instance)},job=${quote(t.job)}` : `instance=${quote(t.instance)}`;
}

/** Filesystem types that are not disks (excluded from the filesystem panel). */
export const FS_EXCLUDE = "tmpfs|ramfs|devtmpfs|squashfs|nsfs|proc|sysfs|cgroup2?|autofs|fuse\\\\.lxcfs";

/**
 * @typedef {{ expr: string, legend: string }} PanelQuery
 * @typedef {{ id: string, title: string, unit: string, stacked?: boolean, queries: PanelQuery[] }} Panel
 */

/**
 * The dashboard's chart panels for a node selector `s` and a rate window `w` (e.g. "1m").
 * @param {string} s @param {string} w
 * @returns {Panel[]}
 */
export function nodePanels(s, w) {
  return [
    { id: "cpu", title: "CPU by mode (% of all CPUs, idle excluded)", unit: "percent", stacked: true, queries: [
      { expr: `sum by (mode) (rate(node_cpu_seconds_total{${s},mode!="idle"}[${w}])) * 100 / scalar(count(node_cpu_seconds_total{${s},mode="idle"}))`, legend: "{{mode}}" },
    ] },
    { id: "memory", title: "Memory", unit: "bytes", queries: [
      { expr: `node_memory_MemTotal_bytes{${s}}`, legend: "Total" },
      { expr: `node_memory_MemTotal_bytes{${s}} - node_memory_MemAvailable_bytes{${s}}`, legend: "Used" },
      { expr: `node_memory_MemAvailable_bytes{${s}}`, legend: "Available" },
    ] },
    { id: "load", title: "Load average", unit: "", queries: [
      { expr: `node_load1{${s}}`, legend: "1m" },
      { expr: `node_load5{${s}}`, legend: "5m" },
      { expr: `node_load15{${s}}`, legend: "15m" },
    ] },
    { id: "filesystem", title: "Filesystem use (%)", unit: "percent", queries: [
      { expr: `100 - 100 * node_filesystem_avail_bytes{${s},fstype!~"${FS_EXCLUDE}"} / node_filesystem_size_bytes{${s},fstype!~"${FS_EXCLUDE}"}`, legend: "{{mountpoint}} ({{device}})" },
    ] },
    { id: "disk", title: "Disk I/O", unit: "Bps", queries: [
      { expr: `rate(node_disk_read_bytes_total{${s}}[${w}])`, legend: "{{device}} read" },
      { expr: `rate(node_disk_written_bytes_total{${s}}[${w}])`, legend: "{{device}} written" },
    ] },
    { id: "network", title: "Network traffic", unit: "Bps", queries: [
      { expr: `rate(node_network_receive_bytes_total{${s},device!="lo"}[${w}])`, legend: "{{device}} receive" },
      { expr: `rate(node_network_transmit_bytes_total{${s},device!="lo"}[${w}])`, legend: "{{device}} transmit" },
    ] },
  ];
}

/**
 * Single-value stats shown above the charts (instant queries).
 * @param {string} s
 * @returns {Array<{ id: string, title: string, unit: string, expr: string }>}
 */
export function nodeStats(s) {
  return [
    { id: "up", title: "Scrape", unit: "up", expr: `up{${s}}` },
    { id: "uptime", title: "Uptime", unit: "seconds", expr: `time() - node_boot_time_seconds{${s}}` },
    { id: "cpus", title: "CPUs", unit: "", expr: `count(node_cpu_seconds_total{${s},mode="idle"})` },
    { id: "memory", title: "Memory", unit: "bytes", expr: `node_memory_MemTotal_bytes{${s}}` },
    { id: "memused", title: "Memory used", unit: "percent", expr: `100 * (1 - node_memory_MemAvailable_bytes{${s}} / node_memory_MemTotal_bytes{${s}})` },
    { id: "load1", title: "Load (1m)", unit: "", expr: `node_load1{${s}}` },
    { id: "rootfs", title: "Root filesystem used", unit: "percent", expr: `100 - 100 * node_filesystem_avail_bytes{${s},mountpoint="/"} / node_filesystem_size_bytes{${s},mountpoint="/"}` },
  ];
}

/**
 * Per-node summary queries for the overview table (one instant query each, grouped by job and
 * instance so each result row maps to a node target).
 * @param {string} w rate window
 * @returns {Array<{ id: string, title: string, unit: string, expr: string }>}
 */
export function overviewColumns(w) {
  return [
    { id: "up", title: "Scrape", unit: "up", expr: "up" },
    { id: "cpu", title: "CPU busy", unit: "percent", expr: `100 * sum by (job, instance) (rate(node_cpu_seconds_total{mode!="idle"}[${w}])) / count by (job, instance) (node_cpu_seconds_total{mode="idle"})` },
    { id: "mem", title: "Memory used", unit: "percent", expr: "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)" },
    { id: "load1", title: "Load (1m)", unit: "", expr: "node_load1" },
    { id: "rootfs", title: "Root filesystem used", unit: "percent", expr: '100 - 100 * node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}' },
    { id: "uptime", title: "Uptime", unit: "seconds", expr: "time() - node_boot_time_seconds" },
  ];
}
