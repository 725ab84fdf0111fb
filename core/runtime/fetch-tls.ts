/**
 * @module core/runtime/fetch-tls
 * Client TLS settings for `fetch`, which each runtime takes differently: Bun reads a non-standard `tls`
 * member of RequestInit; Deno takes a `client` made by `Deno.createHttpClient`. Callers spread the
 * returned object into their RequestInit and stay runtime-neutral.
 *
 * Deno limitation: its HTTP client cannot skip certificate verification per request, so
 * `insecureSkipVerify` is ignored there; server_name is honoured only on Bun.
 */
import { checkServerIdentity } from "node:tls";

/** Client TLS options in PEM form. */
export interface TLSClientOptions {
  /** PEM CA bundle to trust instead of the system roots. */
  ca?: string;
  /** PEM client certificate. */
  cert?: string;
  /** PEM client key. */
  key?: string;
  /** Name to verify the server certificate against (and send as SNI) instead of the URL host. */
  serverName?: string;
  /** Skip server certificate verification. */
  insecureSkipVerify?: boolean;
}

declare const Deno: any;

/** Returns the extra RequestInit members that apply `opts` on the current runtime ({} when none). */
export function tlsFetchOptions(opts: TLSClientOptions): Record<string, unknown> {
  const any = opts.ca || opts.cert || opts.key || opts.serverName || opts.insecureSkipVerify;
  if (!any) return {};
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Bun !== "undefined") {
    const tls: Record<string, unknown> = {};
    if (opts.ca) tls.ca = opts.ca;
    if (opts.cert) tls.cert = opts.cert;
    if (opts.key) tls.key = opts.key;
    if (opts.insecureSkipVerify) tls.rejectUnauthorized = false;
    if (opts.serverName) {
      const name = opts.serverName;
      tls.serverName = name;
      tls.checkServerIdentity = (_host: string, cert: any) => checkServerIdentity(name, cert);
    }
    return { tls };
  }
  if (typeof g.Deno !== "undefined") {
    const o: Record<string, unknown> = {};
    if (opts.ca) o.caCerts = [opts.ca];
    if (opts.cert) o.cert = opts.cert;
    if (opts.key) o.key = opts.key;
    return { client: Deno.createHttpClient(o) };
  }
  return {};
}
