/**
 * @module exporters/node/collectors/timex
 * Kernel clock discipline state (adjtimex). JavaScript runtimes cannot call adjtimex(2) without FFI, so
 * this collector derives what it can portably: node_timex_sync_status from `timedatectl`-free sources is
 * not available, hence it reports a clear failure (node_scrape_collector_success 0) instead of inventing
 * values. It stays registered so `--no-collector.timex` and dashboards' expectations behave as upstream.
 */
import type { NodeCollector } from "../collector.ts";

/** The timex collector: unsupported without adjtimex(2); fails clearly at every scrape. */
export function timex(): NodeCollector {
  return {
    async update() {
      throw new Error("timex: adjtimex(2) is not reachable from this runtime (needs FFI); no values exported");
    },
  };
}
