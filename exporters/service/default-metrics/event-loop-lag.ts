/**
 * @module exporters/service/default-metrics/event-loop-lag
 * Event loop lag measured at scrape time: how long a macrotask scheduled now waits before it runs
 * (prom-client's original measurement, which works on every runtime).
 */
import { type DefaultMetric, single } from "./types.ts";

/** nodejs_eventloop_lag_seconds. */
export const eventLoopLag: DefaultMetric = {
  metricNames: ["nodejs_eventloop_lag_seconds"],
  create(cfg) {
    return {
      collect() {
        const start = performance.now();
        return new Promise((resolve) => {
          setImmediate(() => {
            const lag = (performance.now() - start) / 1000;
            resolve([single(cfg, "nodejs_eventloop_lag_seconds", "gauge", "Lag of event loop in seconds.", lag)]);
          });
        });
      },
    };
  },
};
