/**
 * @module plugins/redis_exporter/metrics
 * Turns `INFO ALL` output into redis_exporter-style families: mapped gauges and counters (names and the
 * "<name> metric" HELP texts of oliver006/redis_exporter), redis_instance_info, keyspace per database
 * (redis_db_keys, redis_db_keys_expiring, redis_db_avg_ttl_seconds), and per-command statistics
 * (redis_commands_total, redis_commands_duration_seconds_total).
 */
import type { MetricFamily, MetricType } from "../../core/model/metric-family.ts";

/** INFO field → [metric suffix, type, scale]. */
const MAPPED: Record<string, [string, MetricType, number?]> = {
  uptime_in_seconds: ["uptime_in_seconds", "gauge"],
  process_id: ["process_id", "gauge"],
  connected_clients: ["connected_clients", "gauge"],
  blocked_clients: ["blocked_clients", "gauge"],
  tracking_clients: ["tracking_clients", "gauge"],
  used_memory: ["memory_used_bytes", "gauge"],
  used_memory_rss: ["memory_used_rss_bytes", "gauge"],
  used_memory_peak: ["memory_used_peak_bytes", "gauge"],
  used_memory_lua: ["memory_used_lua_bytes", "gauge"],
  used_memory_startup: ["memory_used_startup_bytes", "gauge"],
  used_memory_dataset: ["memory_used_dataset_bytes", "gauge"],
  maxmemory: ["memory_max_bytes", "gauge"],
  total_system_memory: ["total_system_memory_bytes", "gauge"],
  mem_fragmentation_ratio: ["mem_fragmentation_ratio", "gauge"],
  loading: ["loading_dump_file", "gauge"],
  rdb_changes_since_last_save: ["rdb_changes_since_last_save", "gauge"],
  rdb_bgsave_in_progress: ["rdb_bgsave_in_progress", "gauge"],
  rdb_last_save_time: ["rdb_last_save_timestamp_seconds", "gauge"],
  rdb_last_bgsave_time_sec: ["rdb_last_bgsave_duration_sec", "gauge"],
  aof_enabled: ["aof_enabled", "gauge"],
  aof_rewrite_in_progress: ["aof_rewrite_in_progress", "gauge"],
  connected_slaves: ["connected_slaves", "gauge"],
  master_repl_offset: ["master_repl_offset", "gauge"],
  repl_backlog_size: ["replication_backlog_bytes", "gauge"],
  pubsub_channels: ["pubsub_channels", "gauge"],
  pubsub_patterns: ["pubsub_patterns", "gauge"],
  latest_fork_usec: ["latest_fork_seconds", "gauge", 1e-6],
  total_connections_received: ["connections_received_total", "counter"],
  total_commands_processed: ["commands_processed_total", "counter"],
  rejected_connections: ["rejected_connections_total", "counter"],
  total_net_input_bytes: ["net_input_bytes_total", "counter"],
  total_net_output_bytes: ["net_output_bytes_total", "counter"],
  expired_keys: ["expired_keys_total", "counter"],
  evicted_keys: ["evicted_keys_total", "counter"],
  keyspace_hits: ["keyspace_hits_total", "counter"],
  keyspace_misses: ["keyspace_misses_total", "counter"],
  used_cpu_sys: ["cpu_sys_seconds_total", "counter"],
  used_cpu_user: ["cpu_user_seconds_total", "counter"],
  used_cpu_sys_children: ["cpu_sys_children_seconds_total", "counter"],
  used_cpu_user_children: ["cpu_user_children_seconds_total", "counter"],
};

/** Parses INFO text into section-less field → value. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

function kv(s: string): Map<string, string> {
  return new Map(s.split(",").map((p) => p.split("=") as [string, string]));
}

/** Builds families from INFO fields; `ns` is the metric namespace (default "redis"). */
export function infoToFamilies(info: Map<string, string>, ns: string, labels: Record<string, string> = {}): MetricFamily[] {
  const fams = new Map<string, MetricFamily>();
  const add = (name: string, type: MetricType, help: string, value: number, l: Record<string, string> = {}) => {
    const full = `${ns}_${name}`;
    let f = fams.get(full);
    if (!f) fams.set(full, (f = { name: full, type, help, samples: [] }));
    f.samples.push({ name: full, labels: { ...l, ...labels }, value });
  };
  for (const [field, value] of info) {
    const m = MAPPED[field];
    if (m) {
      const v = Number(value);
      if (!Number.isNaN(v)) add(m[0], m[1], `${m[0]} metric`, v * (m[2] ?? 1));
      continue;
    }
    const db = /^db(\d+)$/.exec(field);
    if (db) {
      const p = kv(value);
      const l = { db: field };
      add("db_keys", "gauge", "Total number of keys by DB", Number(p.get("keys") ?? 0), l);
      add("db_keys_expiring", "gauge", "Total number of expiring keys by DB", Number(p.get("expires") ?? 0), l);
      add("db_avg_ttl_seconds", "gauge", "Avg TTL in seconds", Number(p.get("avg_ttl") ?? 0) / 1000, l);
      continue;
    }
    const cmd = /^cmdstat_(.+)$/.exec(field);
    if (cmd) {
      const p = kv(value);
      const l = { cmd: cmd[1]! };
      add("commands_total", "counter", "Total number of calls per command", Number(p.get("calls") ?? 0), l);
      add("commands_duration_seconds_total", "counter", "Total amount of time in seconds spent per command", Number(p.get("usec") ?? 0) / 1e6, l);
      if (p.has("rejected_calls")) add("commands_rejected_calls_total", "counter", "Total number of errors prior command execution per command", Number(p.get("rejected_calls")), l);
      if (p.has("failed_calls")) add("commands_failed_calls_total", "counter", "Total number of errors within command execution per command", Number(p.get("failed_calls")), l);
    }
  }
  add("instance_info", "gauge", "Information about the Redis instance", 1, {
    role: info.get("role") ?? "", redis_version: info.get("redis_version") ?? "", redis_build_id: info.get("redis_build_id") ?? "",
    redis_mode: info.get("redis_mode") ?? "", os: info.get("os") ?? "", maxmemory_policy: info.get("maxmemory_policy") ?? "",
    tcp_port: info.get("tcp_port") ?? "", run_id: info.get("run_id") ?? "", process_id: info.get("process_id") ?? "",
  });
  return [...fams.values()];
}
