/**
 * @module exporters/service/default-metrics/process-cpu
 * CPU time used by this process (user, system and total), from process.cpuUsage() (µs → s).
 */
import { type DefaultMetric, single } from "./types.ts";

/** process_cpu_user_seconds_total, process_cpu_system_seconds_total, process_cpu_seconds_total. */
export const processCpu: DefaultMetric = {
  metricNames: ["process_cpu_user_seconds_total", "process_cpu_system_seconds_total", "process_cpu_seconds_total"],
  create(cfg) {
    return {
      collect() {
        const u = process.cpuUsage();
        const user = u.user / 1e6;
        const sys = u.system / 1e6;
        return [
          single(cfg, "process_cpu_user_seconds_total", "counter", "Total user CPU time spent in seconds.", user),
          single(cfg, "process_cpu_system_seconds_total", "counter", "Total system CPU time spent in seconds.", sys),
          single(cfg, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", user + sys),
        ];
      },
    };
  },
};
