/**
 * @module exporters/blackbox/probers
 * The name → prober table (blackbox_exporter's Probers map). Names match the `prober:` key of a module.
 */
import type { Prober } from "../prober.ts";
import { probeDNS } from "./dns.ts";
import { probeGRPC } from "./grpc.ts";
import { probeHTTP } from "./http.ts";
import { probeICMP } from "./icmp.ts";
import { probeTCP } from "./tcp.ts";
import { probeUnix } from "./unix.ts";
import { probeUnsupported } from "./unsupported.ts";

/** Every prober by module `prober:` name. */
export const PROBERS: ReadonlyMap<string, Prober> = new Map<string, Prober>([
  ["http", probeHTTP],
  ["tcp", probeTCP],
  ["dns", probeDNS],
  ["icmp", probeICMP],
  ["grpc", probeGRPC],
  ["unix", probeUnix],
  ["websocket", probeUnsupported("websocket")],
]);
