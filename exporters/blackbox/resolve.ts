/**
 * @module exporters/blackbox/resolve
 * Target resolution as blackbox_exporter's chooseProtocol: resolve with the preferred IP family
 * (default ip6), fall back to the other one when allowed, and record probe_dns_lookup_time_seconds,
 * probe_ip_protocol and probe_ip_addr_hash (FNV-1a 32 of the address bytes).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { ProbeContext } from "./prober.ts";
import { abortable } from "./util.ts";

/** A resolved address. */
export interface Resolved {
  address: string;
  family: 4 | 6;
  /** Seconds spent resolving. */
  lookupSeconds: number;
}

/** FNV-1a 32-bit hash of an IP address's bytes (4 for IPv4, 16 for IPv6), as blackbox_exporter exports it. */
export function ipAddrHash(ip: string): number {
  let bytes: number[];
  if (isIP(ip) === 4) bytes = ip.split(".").map(Number);
  else {
    const full = expandIPv6(ip);
    bytes = [];
    for (const g of full) bytes.push((g >> 8) & 0xff, g & 0xff);
  }
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function expandIPv6(ip: string): number[] {
  let s = ip.replace(/^\[|\]$/g, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const p = v4[1]!.split(".").map(Number);
    s = s.slice(0, -v4[1]!.length) + ((p[0]! << 8) | p[1]!).toString(16) + ":" + ((p[2]! << 8) | p[3]!).toString(16);
  }
  const [head, tail] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? 0 : 8 - h.length - t.length;
  return [...h, ...Array(zeros).fill("0"), ...t].map((x) => parseInt(x || "0", 16));
}

/** Resolves `host` preferring `preferred` ("ip4"/"ip6"), falling back to the other family when allowed. */
export async function lookupHost(host: string, preferred: string | undefined, fallback: boolean, signal: AbortSignal): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, "");
  const literal = isIP(bare);
  if (literal) return { address: bare, family: literal as 4 | 6 };
  const want: 4 | 6 = preferred === "ip4" || preferred === "tcp4" || preferred === "udp4" ? 4 : 6;
  try {
    const r = await abortable(lookup(bare, { family: want }), signal);
    return { address: r.address, family: r.family as 4 | 6 };
  } catch (e) {
    if (signal.aborted || !fallback) throw e;
  }
  const r = await abortable(lookup(bare, { family: want === 4 ? 6 : 4 }), signal);
  return { address: r.address, family: r.family as 4 | 6 };
}

/**
 * Resolves `host` for a probe and sets the resolution metrics. Returns null (after logging) on failure.
 * @param preferred "ip4" or "ip6" (blackbox's default is ip6).
 */
export async function resolveTarget(ctx: ProbeContext, host: string, preferred: string | undefined, fallback: boolean): Promise<Resolved | null> {
  const want: 4 | 6 = preferred === "ip4" || preferred === "tcp4" || preferred === "udp4" ? 4 : 6;
  const start = performance.now();
  ctx.logger.info("Resolving target address", { target: host, ip_protocol: `ip${want}` });
  const done = (address: string, family: 4 | 6): Resolved => {
    const lookupSeconds = (performance.now() - start) / 1000;
    ctx.metrics.set("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", lookupSeconds);
    ctx.metrics.set("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", family);
    ctx.metrics.set("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.", ipAddrHash(address));
    ctx.logger.info("Resolved target address", { target: host, ip: address });
    return { address, family, lookupSeconds };
  };
  const literal = isIP(host.replace(/^\[|\]$/g, ""));
  if (literal) return done(host.replace(/^\[|\]$/g, ""), literal as 4 | 6);
  try {
    const r = await abortable(lookup(host, { family: want }), ctx.signal);
    return done(r.address, r.family as 4 | 6);
  } catch (e) {
    if (ctx.signal.aborted || !fallback) {
      ctx.metrics.set("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", (performance.now() - start) / 1000);
      ctx.logger.error("Resolution with IP protocol failed", { target: host, ip_protocol: `ip${want}`, err: e });
      return null;
    }
  }
  const other: 4 | 6 = want === 4 ? 6 : 4;
  try {
    const r = await abortable(lookup(host, { family: other }), ctx.signal);
    return done(r.address, r.family as 4 | 6);
  } catch (e) {
    ctx.metrics.set("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", (performance.now() - start) / 1000);
    ctx.logger.error("Resolution with IP protocol failed", { target: host, err: e });
    return null;
  }
}
