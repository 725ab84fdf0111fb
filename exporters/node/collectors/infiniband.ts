/**
 * @module exporters/node/collectors/infiniband
 * InfiniBand devices from /sys/class/infiniband/<device>: device info, and per port the state, physical
 * state, rate (Gb/s → bytes/s) and the counters/ and counters_ext/ (legacy_*) counters with
 * node_exporter's names. Data counters count 32-bit words and are exported in octets (×4); values such as
 * "N/A (no PMA)" are skipped.
 */
import { FamilySet, NoDataError, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

type C = [file: string, metric: string, help: string, mult?: number];
const COUNTERS: C[] = [
  ["excessive_buffer_overrun_errors", "excessive_buffer_overrun_errors_total", "Number of times that OverrunErrors consecutive flow control update periods occurred, each having at least one overrun error."],
  ["link_downed", "link_downed_total", "Number of times the link failed to recover from an error state and went down"],
  ["link_error_recovery", "link_error_recovery_total", "Number of times the link successfully recovered from an error state"],
  ["local_link_integrity_errors", "local_link_integrity_errors_total", "Number of times that the count of local physical errors exceeded the threshold specified by LocalPhyErrors."],
  ["multicast_rcv_packets", "multicast_packets_received_total", "Number of multicast packets received (including errors)"],
  ["multicast_xmit_packets", "multicast_packets_transmitted_total", "Number of multicast packets transmitted (including errors)"],
  ["port_rcv_constraint_errors", "port_constraint_errors_received_total", "Number of packets received on the switch physical port that are discarded"],
  ["port_xmit_constraint_errors", "port_constraint_errors_transmitted_total", "Number of packets not transmitted from the switch physical port"],
  ["port_rcv_data", "port_data_received_bytes_total", "Number of data octets received on all links", 4],
  ["port_xmit_data", "port_data_transmitted_bytes_total", "Number of data octets transmitted on all links", 4],
  ["port_rcv_discards", "port_discards_received_total", "Number of inbound packets discarded by the port because the port is down or congested"],
  ["port_xmit_discards", "port_discards_transmitted_total", "Number of outbound packets discarded by the port because the port is down or congested"],
  ["port_rcv_errors", "port_errors_received_total", "Number of packets containing an error that were received on this port"],
  ["port_rcv_packets", "port_packets_received_total", "Number of packets received on all VLs by this port (including errors)"],
  ["port_xmit_packets", "port_packets_transmitted_total", "Number of packets transmitted on all VLs from this port (including errors)"],
  ["port_xmit_wait", "port_transmit_wait_total", "Number of ticks during which the port had data to transmit but no data was sent during the entire tick"],
  ["port_rcv_remote_physical_errors", "port_receive_remote_physical_errors_total", "Number of packets marked with the EBP (End of Bad Packet) delimiter received on the port."],
  ["port_rcv_switch_relay_errors", "port_receive_switch_relay_errors_total", "Number of packets that could not be forwarded by the switch."],
  ["symbol_error", "symbol_error_total", "Number of minor link errors detected on one or more physical lanes."],
  ["unicast_rcv_packets", "unicast_packets_received_total", "Number of unicast packets received (including errors)"],
  ["unicast_xmit_packets", "unicast_packets_transmitted_total", "Number of unicast packets transmitted (including errors)"],
  ["VL15_dropped", "vl15_dropped_total", "Number of incoming VL15 packets dropped due to resource limitations."],
];
const LEGACY: C[] = [
  ["port_multicast_rcv_packets", "legacy_multicast_packets_received_total", "Number of multicast packets received"],
  ["port_multicast_xmit_packets", "legacy_multicast_packets_transmitted_total", "Number of multicast packets transmitted"],
  ["port_rcv_data_64", "legacy_data_received_bytes_total", "Number of data octets received on all links", 4],
  ["port_rcv_packets_64", "legacy_packets_received_total", "Number of data packets received on all links"],
  ["port_unicast_rcv_packets", "legacy_unicast_packets_received_total", "Number of unicast packets received"],
  ["port_unicast_xmit_packets", "legacy_unicast_packets_transmitted_total", "Number of unicast packets transmitted"],
  ["port_xmit_data_64", "legacy_data_transmitted_bytes_total", "Number of data octets transmitted on all links", 4],
  ["port_xmit_packets_64", "legacy_packets_transmitted_total", "Number of data packets received on all links"],
];

/** Parses a sysfs rate such as "40 Gb/sec (4X QDR)" into bytes per second. */
export function parseIBRate(s: string): number | null {
  const m = /^([\d.]+)\s+Gb\/sec/.exec(s);
  return m ? (Number(m[1]) * 1e9) / 8 : null;
}

/** The infiniband collector. */
export function infiniband(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/infiniband");
      const devices = await listDirOptional(base, ctx.signal);
      if (devices.length === 0) throw new NoDataError("infiniband statistics not found");
      const fs = new FamilySet();
      for (const device of devices) {
        const d = `${base}/${device}`;
        const read = (p: string) => readOptional(`${d}/${p}`, ctx.signal);
        fs.gauge("node_infiniband_info", "Non-numeric data from /sys/class/infiniband/<device>, value is always 1.", 1, {
          device, board_id: (await read("board_id")) ?? "", firmware_version: (await read("fw_ver")) ?? "", hca_type: (await read("hca_type")) ?? "",
        });
        for (const port of await listDirOptional(`${d}/ports`, ctx.signal)) {
          const p = `ports/${port}`;
          const labels = { device, port };
          const state = /^(\d+):/.exec((await read(`${p}/state`)) ?? "");
          if (state) fs.gauge("node_infiniband_state_id", "State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act defer)", Number(state[1]), labels);
          const phys = /^(\d+):/.exec((await read(`${p}/phys_state`)) ?? "");
          if (phys) fs.gauge("node_infiniband_physical_state_id", "Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: shift, 5: link up, 6: link error recover, 7: phytest)", Number(phys[1]), labels);
          const rate = parseIBRate((await read(`${p}/rate`)) ?? "");
          if (rate !== null) fs.gauge("node_infiniband_rate_bytes_per_second", "Maximum signal transfer rate", rate, labels);
          for (const [dir, table] of [["counters", COUNTERS], ["counters_ext", LEGACY]] as const) {
            for (const [file, metric, help, mult] of table) {
              const t = await read(`${p}/${dir}/${file}`);
              if (t === null || !/^\d+$/.test(t)) continue;
              fs.counter(`node_infiniband_${metric}`, help, Number(t) * (mult ?? 1), labels);
            }
          }
        }
      }
      return fs.families();
    },
  };
}
