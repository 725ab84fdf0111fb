/**
 * @module exporters/service/default-metrics/process-memory
 * Resident and virtual memory of this process. RSS comes from process.memoryUsage(); virtual size and heap
 * come from /proc/self/stat and /proc/self/status on Linux (absent elsewhere, then only RSS is exported).
 */
import { readFileSync } from "node:fs";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { type DefaultMetric, single } from "./types.ts";

/** process_resident_memory_bytes, process_virtual_memory_bytes, process_heap_bytes. */
export const processMemory: DefaultMetric = {
  metricNames: ["process_resident_memory_bytes", "process_virtual_memory_bytes", "process_heap_bytes"],
  create(cfg) {
    return {
      collect() {
        const out: MetricFamily[] = [
          single(cfg, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.memoryUsage().rss),
        ];
        const st = readProcStatus();
        if (st.VmSize !== undefined) out.push(single(cfg, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", st.VmSize));
        if (st.VmData !== undefined) out.push(single(cfg, "process_heap_bytes", "gauge", "Process heap size in bytes.", st.VmData));
        return out;
      },
    };
  },
};

/** Parses the `kB` fields of /proc/self/status into bytes; empty when unavailable. */
function readProcStatus(): Record<string, number> {
  const out: Record<string, number> = {};
  let text: string;
  try {
    text = readFileSync("/proc/self/status", "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}
