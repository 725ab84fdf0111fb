/**
 * @module exporters/service/default-metrics/heap
 * JavaScript heap sizes from process.memoryUsage() (prom-client's nodejs_heap_* names).
 */
import { type DefaultMetric, single } from "./types.ts";

/** nodejs_heap_size_total_bytes, nodejs_heap_size_used_bytes, nodejs_external_memory_bytes. */
export const heap: DefaultMetric = {
  metricNames: ["nodejs_heap_size_total_bytes", "nodejs_heap_size_used_bytes", "nodejs_external_memory_bytes"],
  create(cfg) {
    return {
      collect() {
        const m = process.memoryUsage();
        return [
          single(cfg, "nodejs_heap_size_total_bytes", "gauge", "Process heap size from Node.js in bytes.", m.heapTotal),
          single(cfg, "nodejs_heap_size_used_bytes", "gauge", "Process heap size used from Node.js in bytes.", m.heapUsed),
          single(cfg, "nodejs_external_memory_bytes", "gauge", "Node.js external memory size in bytes.", m.external),
        ];
      },
    };
  },
};
