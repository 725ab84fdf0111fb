/**
 * @module exporters/service/default-metrics/process-fds
 * Open and maximum file descriptors, from /proc/self/fd and /proc/self/limits (Linux only; on other
 * systems the collector exports nothing).
 */
import { readdirSync, readFileSync } from "node:fs";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { type DefaultMetric, single } from "./types.ts";

/** process_open_fds, process_max_fds. */
export const processFds: DefaultMetric = {
  metricNames: ["process_open_fds", "process_max_fds"],
  create(cfg) {
    return {
      collect() {
        const out: MetricFamily[] = [];
        try {
          // The listing itself holds one descriptor open while it runs; subtract it like prom-client does.
          const n = readdirSync("/proc/self/fd").length - 1;
          out.push(single(cfg, "process_open_fds", "gauge", "Number of open file descriptors.", n));
        } catch {
          return out;
        }
        try {
          const m = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
          if (m) out.push(single(cfg, "process_max_fds", "gauge", "Maximum number of open file descriptors.", Number(m[1])));
        } catch {
          // limits unreadable: only the open count is exported
        }
        return out;
      },
    };
  },
};
