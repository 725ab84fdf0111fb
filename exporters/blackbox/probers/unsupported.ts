/**
 * @module exporters/blackbox/probers/unsupported
 * Probers whose modules load (so blackbox.yml files stay valid) but that Quiver does not implement yet
 * (unix sockets, websocket): each probe fails with a clear logged reason and probe_success 0.
 */
import type { Prober } from "../prober.ts";

/** A prober that always fails with "prober X is not supported by Quiver". */
export function probeUnsupported(name: string): Prober {
  return async (ctx) => {
    ctx.logger.error(`prober ${JSON.stringify(name)} is not supported by Quiver's blackbox exporter`);
    return false;
  };
}
