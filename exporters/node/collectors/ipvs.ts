/**
 * @module exporters/node/collectors/ipvs
 * IPVS (Linux virtual server) statistics: totals from /proc/net/ip_vs_stats (hexadecimal) and per-backend
 * weight and connections from /proc/net/ip_vs (hexadecimal addresses and ports; `FWM` services are keyed
 * by firewall mark). Backends with the same label set are summed, as node_exporter does.
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

/** Decodes a hexadecimal IPv4 (8 digits) or IPv6 (32 digits) address as /proc/net/ip_vs prints it. */
export function hexAddress(h: string): string {
  if (h.length === 8) return [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16)).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(parseInt(h.slice(i, i + 4), 16).toString(16));
  return groups.join(":");
}

/** The ipvs collector. */
export function ipvs(): NodeCollector {
  return {
    async update(ctx) {
      const stats = await readOptional(ctx.proc("net/ip_vs_stats"), ctx.signal);
      if (stats === null) throw new NoDataError("ipvs statistics not found: IPVS not in use");
      const fs = new FamilySet();
      const tot = fields(lines(stats)[2] ?? "").map((x) => parseInt(x, 16));
      fs.counter("node_ipvs_connections_total", "The total number of connections made.", tot[0] ?? 0);
      fs.counter("node_ipvs_incoming_packets_total", "The total number of incoming packets.", tot[1] ?? 0);
      fs.counter("node_ipvs_outgoing_packets_total", "The total number of outgoing packets.", tot[2] ?? 0);
      fs.counter("node_ipvs_incoming_bytes_total", "The total amount of incoming data.", tot[3] ?? 0);
      fs.counter("node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.", tot[4] ?? 0);
      const table = (await readOptional(ctx.proc("net/ip_vs"), ctx.signal)) ?? "";
      const sums = new Map<string, { labels: Record<string, string>; active: number; inactive: number; weight: number }>();
      let svc: { proto: string; local_address: string; local_port: string; local_mark: string } | null = null;
      for (const l of lines(table).slice(3)) {
        const f = fields(l);
        if (f[0] === "->" && svc && f.length >= 6) {
          const [addr, port] = f[1]!.split(":") as [string, string];
          const labels = { ...svc, remote_address: hexAddress(addr), remote_port: String(parseInt(port, 16)) };
          const key = JSON.stringify(labels);
          const s = sums.get(key) ?? { labels, active: 0, inactive: 0, weight: 0 };
          s.weight += Number(f[3]);
          s.active += Number(f[4]);
          s.inactive += Number(f[5]);
          sums.set(key, s);
        } else if (f[0] === "TCP" || f[0] === "UDP" || f[0] === "SCTP") {
          const [addr, port] = f[1]!.split(":") as [string, string];
          svc = { proto: f[0], local_address: hexAddress(addr), local_port: String(parseInt(port, 16)), local_mark: "" };
        } else if (f[0] === "FWM") {
          svc = { proto: "FWM", local_address: "", local_port: "0", local_mark: f[1]! };
        }
      }
      for (const s of sums.values()) {
        fs.gauge("node_ipvs_backend_connections_active", "The current active connections by local and remote address.", s.active, s.labels);
        fs.gauge("node_ipvs_backend_connections_inactive", "The current inactive connections by local and remote address.", s.inactive, s.labels);
        fs.gauge("node_ipvs_backend_weight", "The current backend weight by local and remote address.", s.weight, s.labels);
      }
      return fs.families();
    },
  };
}
