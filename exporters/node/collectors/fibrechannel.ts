/**
 * @module exporters/node/collectors/fibrechannel
 * Fibre Channel host statistics from /sys/class/fc_host/<host>: hexadecimal counters from statistics/
 * (an all-ones value means "not supported" and is skipped) and the text attributes in
 * node_fibrechannel_info (0x prefixes removed).
 */
import { FamilySet, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

const COUNTERS: [file: string, metric: string, help: string][] = [
  ["dumped_frames", "dumped_frames_total", "Number of dumped frames"],
  ["error_frames", "error_frames_total", "Number of errors in frames"],
  ["fcp_packet_aborts", "fcp_packet_aborts_total", "Number of aborted packets"],
  ["invalid_crc_count", "invalid_crc_total", "Invalid Cyclic Redundancy Check count"],
  ["invalid_tx_word_count", "invalid_tx_words_total", "Number of invalid words transmitted by host port"],
  ["link_failure_count", "link_failure_total", "Number of times the host port link has failed"],
  ["loss_of_signal_count", "loss_of_signal_total", "Number of times signal has been lost"],
  ["loss_of_sync_count", "loss_of_sync_total", "Number of failures on either bit or transmission word boundaries"],
  ["nos_count", "nos_total", "Number Not_Operational Primitive Sequence received by host port"],
  ["rx_frames", "rx_frames_total", "Number of frames received"],
  ["rx_words", "rx_words_total", "Number of words received by host port"],
  ["seconds_since_last_reset", "seconds_since_last_reset_total", "Number of seconds since last host port reset"],
  ["tx_frames", "tx_frames_total", "Number of frames transmitted by host port"],
  ["tx_words", "tx_words_total", "Number of words transmitted by host port"],
];
const INFO = ["speed", "port_state", "port_type", "symbolic_name", "port_name", "port_id", "fabric_name", "dev_loss_tmo", "supported_classes", "supported_speeds"];

/** The fibrechannel collector. */
export function fibrechannel(): NodeCollector {
  return {
    async update(ctx) {
      const base = ctx.sys("class/fc_host");
      const fs = new FamilySet();
      for (const host of await listDirOptional(base, ctx.signal)) {
        for (const [file, metric, help] of COUNTERS) {
          const t = await readOptional(`${base}/${host}/statistics/${file}`, ctx.signal);
          if (t === null || t === "" || /^0xf{16}$/i.test(t)) continue;
          const v = t.startsWith("0x") ? Number(BigInt(t)) : Number(t);
          fs.counter(`node_fibrechannel_${metric}`, help, v, { fc_host: host });
        }
        const labels: Record<string, string> = { fc_host: host };
        for (const f of INFO) {
          const t = (await readOptional(`${base}/${host}/${f}`, ctx.signal)) ?? "";
          labels[f] = /^(port_name|port_id|fabric_name)$/.test(f) ? t.replace(/^0x/, "") : t;
        }
        fs.gauge("node_fibrechannel_info", "Non-numeric data from /sys/class/fc_host/<host>, value is always 1.", 1, labels);
      }
      return fs.families();
    },
  };
}
