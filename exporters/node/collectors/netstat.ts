/**
 * @module exporters/node/collectors/netstat
 * Network statistics from /proc/net/netstat, /proc/net/snmp (header/value line pairs) and /proc/net/snmp6
 * (name/value lines), filtered by --collector.netstat.fields, exported untyped as node_netstat_<Proto>_<Name>.
 */
import { FamilySet, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

/** node_exporter's default --collector.netstat.fields. */
export const DEFAULT_NETSTAT_FIELDS =
  "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

/** Parses the paired-line format of /proc/net/netstat and /proc/net/snmp into proto → name → value. */
function parsePaired(text: string, out: Map<string, Map<string, string>>): void {
  const ls = lines(text);
  for (let i = 0; i + 1 < ls.length; i += 2) {
    const names = fields(ls[i]!);
    const values = fields(ls[i + 1]!);
    const proto = (names[0] ?? "").replace(/:$/, "");
    let m = out.get(proto);
    if (!m) out.set(proto, (m = new Map()));
    for (let k = 1; k < names.length; k++) m.set(names[k]!, values[k] ?? "0");
  }
}

/** Parses /proc/net/snmp6 (`Ip6InReceives  7`) into proto → name → value. */
function parseSnmp6(text: string, out: Map<string, Map<string, string>>): void {
  for (const l of lines(text)) {
    const [k, v] = fields(l);
    if (!k || v === undefined) continue;
    const m = /^(Ip6|Icmp6|Udp6|UdpLite6)(.+)$/.exec(k);
    if (!m) continue;
    let mm = out.get(m[1]!);
    if (!mm) out.set(m[1]!, (mm = new Map()));
    mm.set(m[2]!, v);
  }
}

/** The netstat collector. */
export function netstat(): NodeCollector {
  return {
    async update(ctx) {
      const re = new RegExp(ctx.opt("collector.netstat.fields") ?? DEFAULT_NETSTAT_FIELDS);
      const stats = new Map<string, Map<string, string>>();
      const netstatText = await readOptional(ctx.proc("net/netstat"), ctx.signal);
      const snmp = await readOptional(ctx.proc("net/snmp"), ctx.signal);
      if (netstatText === null || snmp === null) throw new Error(`couldn't get netstats: ${ctx.proc("net/netstat")} or ${ctx.proc("net/snmp")} missing`);
      parsePaired(netstatText, stats);
      parsePaired(snmp, stats);
      const snmp6 = await readOptional(ctx.proc("net/snmp6"), ctx.signal);
      if (snmp6 !== null) parseSnmp6(snmp6, stats);
      const fs = new FamilySet();
      for (const [proto, m] of stats) {
        for (const [name, v] of m) {
          const key = `${proto}_${name}`;
          if (!re.test(key)) continue;
          const n = Number(v);
          if (Number.isNaN(n)) throw new Error(`invalid value in netstats: ${v}`);
          fs.untyped(`node_netstat_${key}`, `Statistic ${proto}${name}.`, n);
        }
      }
      return fs.families();
    },
  };
}
