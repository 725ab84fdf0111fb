/**
 * @module core/discovery/dns
 * dns_sd_configs: resolves each name every refresh_interval (SRV, A, AAAA, MX or NS) into one group per
 * name (source = the name), with Prometheus's meta labels: __meta_dns_name, __meta_dns_srv_record_target,
 * __meta_dns_srv_record_port, __meta_dns_mx_record_target, __meta_dns_ns_record_target. Record targets
 * keep the trailing dot of a fully qualified name, as Go's resolver reports them; addresses drop it.
 * A failed lookup keeps that name's previous group and is logged.
 */
import * as dnsPromises from "node:dns/promises";
import type { Logger } from "../log/logger.ts";
import type { DNSSDConfig } from "./config.ts";
import { sleep, type CountFn, type Discoverer, type TargetGroup } from "./types.ts";

/** The lookups DNS SD needs; node:dns/promises by default, injectable for tests. */
export interface DNSResolver {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  resolveNs(name: string): Promise<string[]>;
}

/** host:port, with IPv6 literals in brackets (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

const fqdn = (n: string) => (n.endsWith(".") ? n : n + ".");
const trimDot = (n: string) => n.replace(/\.+$/, "");

/** Resolves one name into its target group. Throws on lookup failure. */
export async function resolveDNSGroup(name: string, cfg: DNSSDConfig, r: DNSResolver): Promise<TargetGroup> {
  const targets: Array<Record<string, string>> = [];
  const add = (host: string, port: number, meta: Record<string, string>) => {
    targets.push({ __address__: joinHostPort(host, port), __meta_dns_name: name, ...meta });
  };
  switch (cfg.type) {
    case "SRV":
      for (const s of await r.resolveSrv(name)) {
        add(trimDot(s.name), s.port, { __meta_dns_srv_record_target: fqdn(s.name), __meta_dns_srv_record_port: String(s.port) });
      }
      break;
    case "A":
      for (const ip of await r.resolve4(name)) add(ip, cfg.port, {});
      break;
    case "AAAA":
      for (const ip of await r.resolve6(name)) add(ip, cfg.port, {});
      break;
    case "MX":
      for (const m of await r.resolveMx(name)) add(trimDot(m.exchange), cfg.port, { __meta_dns_mx_record_target: fqdn(m.exchange) });
      break;
    case "NS":
      for (const ns of await r.resolveNs(name)) add(trimDot(ns), cfg.port, { __meta_dns_ns_record_target: fqdn(ns) });
      break;
  }
  return { targets, labels: {}, source: name };
}

/** Creates a dns_sd discoverer. */
export function dnsDiscoverer(cfg: DNSSDConfig, opts: { logger: Logger; resolver?: DNSResolver; count?: CountFn }): Discoverer {
  const r: DNSResolver = opts.resolver ?? dnsPromises;
  return {
    async run(signal, emit) {
      while (!signal.aborted) {
        const results = await Promise.allSettled(cfg.names.map((n) => {
          opts.count?.("prometheus_sd_dns_lookups_total");
          return resolveDNSGroup(n, cfg, r);
        }));
        const groups: TargetGroup[] = [];
        results.forEach((res, i) => {
          if (res.status === "fulfilled") groups.push(res.value);
          else {
            opts.logger.error("Error refreshing DNS targets", { name: cfg.names[i], err: String((res.reason as Error)?.message ?? res.reason) });
            opts.count?.("prometheus_sd_dns_lookup_failures_total");
          }
        });
        if (groups.length > 0 && !signal.aborted) emit(groups);
        await sleep(cfg.refresh_interval, signal);
      }
    },
  };
}
