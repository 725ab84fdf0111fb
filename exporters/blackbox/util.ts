/**
 * @module exporters/blackbox/util
 * Small helpers shared by the probers: racing promises against the probe's abort signal, and TLS
 * details (certificate expiry, TLS version names, chain info) in blackbox_exporter's metric shapes.
 */
import { X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { PeerCertificate, TLSSocket, ConnectionOptions } from "node:tls";
import type { TLSConfig } from "./config.ts";
import type { ProbeMetrics } from "./prober.ts";

/** Races `p` against `signal` (the operation is abandoned, and the caller closes sockets). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

/** Node TLS options from a Prometheus tls_config (files read now; relative paths from the cwd). */
export function tlsOptions(cfg: TLSConfig | undefined, servername: string): ConnectionOptions {
  const o: ConnectionOptions = { servername: cfg?.server_name || servername, rejectUnauthorized: !(cfg?.insecure_skip_verify ?? false) };
  if (cfg?.ca_file) o.ca = readFileSync(cfg.ca_file);
  if (cfg?.cert_file) o.cert = readFileSync(cfg.cert_file);
  if (cfg?.key_file) o.key = readFileSync(cfg.key_file);
  const ver: Record<string, "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3"> = { TLS10: "TLSv1", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3" };
  if (cfg?.min_version && ver[cfg.min_version]) o.minVersion = ver[cfg.min_version];
  if (cfg?.max_version && ver[cfg.max_version]) o.maxVersion = ver[cfg.max_version];
  if (servername === "" || /^[\d.]+$/.test(servername) || servername.includes(":")) delete o.servername;
  if (cfg?.server_name) o.servername = cfg.server_name;
  return o;
}

/** Go's tls version names ("TLS 1.3") from node's ("TLSv1.3"). */
export function tlsVersionName(v: string | null): string {
  if (!v) return "unknown";
  const m = /^TLSv(1(?:\.\d)?)$/.exec(v);
  if (!m) return v;
  return `TLS ${m[1]!.includes(".") ? m[1] : m[1] + ".0"}`;
}

/** The peer's certificate chain, leaf first (stops at a self-signed root or a repeated certificate). */
export function peerChain(sock: TLSSocket): PeerCertificate[] {
  const out: PeerCertificate[] = [];
  let c = sock.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  const seen = new Set<string>();
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    out.push(c);
    seen.add(c.fingerprint256);
    c = (c as { issuerCertificate?: PeerCertificate }).issuerCertificate as PeerCertificate & { issuerCertificate?: PeerCertificate };
  }
  return out;
}

/** What a probe keeps of a TLS handshake (captured before the socket closes). */
export interface TLSInfo {
  chain: PeerCertificate[];
  protocol: string | null;
  /** IANA cipher suite name (Go's tls.CipherSuiteName), or "" when unknown. */
  cipher: string;
}

/** Captures the chain and protocol of a connected TLS socket. */
export function captureTLS(sock: TLSSocket): TLSInfo {
  const c = sock.getCipher() as { name?: string; standardName?: string } | undefined;
  return { chain: peerChain(sock), protocol: sock.getProtocol(), cipher: c?.standardName ?? c?.name ?? "" };
}

/** Sets the TLS metrics of blackbox_exporter from a captured handshake. */
export function setTLSMetrics(m: ProbeMetrics, info: TLSInfo): void {
  const chain = info.chain;
  if (chain.length > 0) {
    const expiries = chain.map((c) => Date.parse(c.valid_to) / 1000);
    m.set("probe_ssl_earliest_cert_expiry", "Returns earliest SSL cert expiry date", Math.min(...expiries));
    m.set("probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL chain expiry timestamp", Math.min(...expiries));
    const leaf = chain[0]!;
    let san = "";
    try {
      san = (new X509Certificate(leaf.raw).subjectAltName ?? "").split(", ").map((s) => s.replace(/^DNS:|^IP Address:/, "")).join(",");
    } catch {
      san = "";
    }
    // Go's pkix.Name.String(): RDNs in reverse certificate order, "CN=x,O=y,C=z".
    const dn = (o: Record<string, string | string[]> | undefined) =>
      Object.entries(o ?? {}).reverse().map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`).join(",");
    m.set("probe_ssl_last_chain_info", "Contains SSL leaf certificate information", 1, {
      fingerprint_sha256: createHash("sha256").update(leaf.raw).digest("hex"),
      subject: dn(leaf.subject as unknown as Record<string, string>),
      issuer: dn(leaf.issuer as unknown as Record<string, string>),
      subjectalternative: san,
      serialnumber: (leaf.serialNumber ?? "").toLowerCase().replace(/^0+(?=.)/, ""),
    });
  }
  m.set("probe_tls_version_info", "Contains TLS version information", 1, { version: tlsVersionName(info.protocol) });
  if (info.cipher) m.set("probe_tls_cipher_info", "Contains TLS cipher information", 1, { cipher: info.cipher });
}
