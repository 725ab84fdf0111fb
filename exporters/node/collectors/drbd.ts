/**
 * @module exporters/node/collectors/drbd
 * DRBD (8.x) device statistics from /proc/drbd: for each `N: cs:… ro:… ds:…` device, the connection
 * state, roles and disk states of both nodes, and the counters of the following line (KiB counters
 * exported in bytes, except nr, which node_exporter exports unscaled).
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

type F = [key: string, metric: string, type: "gauge" | "counter", mult: number, help: string];
const COUNTERS: F[] = [
  ["ns", "network_sent_bytes_total", "counter", 1024, "Total number of bytes sent via the network."],
  ["nr", "network_received_bytes_total", "counter", 1, "Total number of bytes received via the network."],
  ["dw", "disk_written_bytes_total", "counter", 1024, "Net data written on local hard disk; in bytes."],
  ["dr", "disk_read_bytes_total", "counter", 1024, "Net data read from local hard disk; in bytes."],
  ["al", "activitylog_writes_total", "counter", 1, "Number of updates of the activity log area of the meta data."],
  ["bm", "bitmap_writes_total", "counter", 1, "Number of updates of the bitmap area of the meta data."],
  ["lo", "local_pending", "gauge", 1, "Number of open requests to the local I/O sub-system."],
  ["pe", "remote_pending", "gauge", 1, "Number of requests sent to the peer, but that have not yet been answered by the latter."],
  ["ua", "remote_unacknowledged", "gauge", 1, "Number of requests received by the peer via the network connection, but that have not yet been answered."],
  ["ap", "application_pending", "gauge", 1, "Number of block I/O requests forwarded to DRBD, but not yet answered by DRBD."],
  ["ep", "epochs", "gauge", 1, "Number of Epochs currently on the fly."],
  ["oos", "out_of_sync_bytes", "gauge", 1024, "Amount of data known to be out of sync; in bytes."],
];

/** The drbd collector. */
export function drbd(): NodeCollector {
  return {
    async update(ctx) {
      const text = await readOptional(ctx.proc("drbd"), ctx.signal);
      if (text === null) throw new NoDataError(`${ctx.proc("drbd")} not found: DRBD not loaded`);
      const fs = new FamilySet();
      let device = "";
      for (const l of lines(text)) {
        const head = /^\s*(\d+): (.*)$/.exec(l);
        const kv = new Map<string, string>();
        for (const f of fields(head ? head[2]! : l)) {
          const i = f.indexOf(":");
          if (i > 0) kv.set(f.slice(0, i), f.slice(i + 1));
        }
        if (head) {
          device = `drbd${head[1]}`;
          const cs = kv.get("cs");
          if (cs !== undefined) fs.gauge("node_drbd_connected", "Whether DRBD is connected to the peer.", cs === "Connected" ? 1 : 0, { device });
          const [rl, rr] = (kv.get("ro") ?? "").split("/");
          if (rl !== undefined && rr !== undefined) {
            fs.gauge("node_drbd_node_role_is_primary", "Whether the role of the node is in the primary state.", rl === "Primary" ? 1 : 0, { device, node: "local" });
            fs.gauge("node_drbd_node_role_is_primary", "Whether the role of the node is in the primary state.", rr === "Primary" ? 1 : 0, { device, node: "remote" });
          }
          const [dl, dr] = (kv.get("ds") ?? "").split("/");
          if (dl !== undefined && dr !== undefined) {
            fs.gauge("node_drbd_disk_state_is_up_to_date", "Whether the disk of the node is up to date.", dl === "UpToDate" ? 1 : 0, { device, node: "local" });
            fs.gauge("node_drbd_disk_state_is_up_to_date", "Whether the disk of the node is up to date.", dr === "UpToDate" ? 1 : 0, { device, node: "remote" });
          }
          continue;
        }
        if (!device) continue;
        for (const [key, metric, type, mult, help] of COUNTERS) {
          const v = kv.get(key);
          if (v !== undefined && /^\d+$/.test(v)) fs.add(`node_drbd_${metric}`, type, help, Number(v) * mult, { device });
        }
      }
      return fs.families();
    },
  };
}
