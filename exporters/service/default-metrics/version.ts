/**
 * @module exporters/service/default-metrics/version
 * Runtime identity: `nodejs_version_info` (the Node.js API level the runtime implements, as prom-client
 * exports it) and `process_runtime_info{runtime, version}` naming the actual runtime (bun, deno or node).
 */
import { type DefaultMetric, single } from "./types.ts";

/** nodejs_version_info, process_runtime_info. */
export const version: DefaultMetric = {
  metricNames: ["nodejs_version_info", "process_runtime_info"],
  create(cfg) {
    const v = process.versions;
    const node = v.node ?? "0.0.0";
    const [major = "0", minor = "0", patch = "0"] = node.split(".");
    const runtime = v.bun ? "bun" : v.deno ? "deno" : "node";
    const rv = v.bun ?? v.deno ?? node;
    return {
      collect: () => [
        single(cfg, "nodejs_version_info", "gauge", "Node.js version info.", 1, { version: "v" + node, major, minor, patch }),
        single(cfg, "process_runtime_info", "gauge", "JavaScript runtime running this process.", 1, { runtime, version: rv }),
      ],
    };
  },
};
