/**
 * @module exporters/service/default-metrics/process-start-time
 * When this process started, in seconds since the Unix epoch (performance.timeOrigin, which both Bun and
 * Deno set at process start).
 */
import { type DefaultMetric, single } from "./types.ts";

/** process_start_time_seconds. */
export const processStartTime: DefaultMetric = {
  metricNames: ["process_start_time_seconds"],
  create(cfg) {
    const start = Math.round(performance.timeOrigin) / 1000;
    return {
      collect: () => [single(cfg, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", start)],
    };
  },
};
