/**
 * @module core/discovery
 * Service discovery: config sections (config.ts), built-in discoverers (static, file, http, dns), the
 * manager, and the contract plugins implement (types.ts). Import from here.
 */
export * from "./config.ts";
export { DiscoveryManager, DEFAULT_DISCOVERY_UPDATE_INTERVAL_MS, type DiscoveryManagerOptions, type TargetSets } from "./manager.ts";
export type { Discoverer, DiscovererContext, DiscovererFactory, EmitFn, TargetGroup } from "./types.ts";
export { staticGroups } from "./static.ts";
export { readTargetFile } from "./file.ts";
export { fetchHTTPTargetGroups } from "./http.ts";
export { resolveDNSGroup, joinHostPort, type DNSResolver } from "./dns.ts";
export {
  defaultHTTPClientConfig, HTTP_CLIENT_KEYS, httpRequestInit, parseHTTPClientConfig,
  type Authorization, type BasicAuth, type HTTPClientConfig, type TLSConfig,
} from "./http-client.ts";
