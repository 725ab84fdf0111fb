/**
 * @module exporters/blackbox/config
 * blackbox_exporter's modules file (blackbox.yml): types, defaults and validation. Unknown keys are
 * rejected (strict), and each module is validated as blackbox_exporter validates it (regexes compile, DNS
 * query name/type/class, HTTP body vs body_file, one auth method, header matchers with a regexp,
 * compression vs Accept-Encoding, HTTP/3 version rules, ICMP TTL range, unknown probers).
 *
 * Defaults (blackbox_exporter's DefaultModule etc.): preferred_ip_protocol "ip6" with ip_protocol_fallback
 * true, HTTP GET following redirects with HTTP/2 enabled, ICMP TTL 64, DNS recursion_desired true, DNS
 * transport udp and query type ANY.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, type ParsedNode } from "yaml";
import { compileGoRegex } from "./regex.ts";
import { parseDuration } from "../../core/util/duration.ts";
import { BlackboxConfigError, checkKeys, eachSeq } from "./config-schema.ts";

export { BlackboxConfigError } from "./config-schema.ts";

/** TLS settings (Prometheus common tls_config). */
export interface TLSConfig {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  server_name?: string;
  insecure_skip_verify?: boolean;
  min_version?: string;
  max_version?: string;
}
/** A header matcher of fail_if_header_(not_)matches. */
export interface HeaderMatch {
  header: string;
  regexp: string;
  allow_missing?: boolean;
}
/** One step of a TCP query/response dialogue. */
export interface QueryResponse {
  expect?: string;
  expect_bytes?: string;
  send?: string;
  starttls?: boolean;
  labels?: { name: string; value: string }[];
}
/** DNS RR validation. */
export interface DNSRRValidator {
  fail_if_matches_regexp?: string[];
  fail_if_all_match_regexp?: string[];
  fail_if_not_matches_regexp?: string[];
  fail_if_none_matches_regexp?: string[];
}
/** The http prober's settings. */
export interface HTTPProbe {
  valid_status_codes?: number[];
  valid_http_versions?: string[];
  preferred_ip_protocol?: string;
  ip_protocol_fallback: boolean;
  skip_resolve_phase_with_proxy?: boolean;
  no_follow_redirects?: boolean;
  follow_redirects: boolean;
  fail_if_ssl?: boolean;
  fail_if_not_ssl?: boolean;
  method?: string;
  headers?: Record<string, string>;
  fail_if_body_matches_regexp?: string[];
  fail_if_body_not_matches_regexp?: string[];
  fail_if_header_matches?: HeaderMatch[];
  fail_if_header_not_matches?: HeaderMatch[];
  body?: string;
  body_file?: string;
  compression?: string;
  body_size_limit?: number;
  enable_http2: boolean;
  enable_http3?: boolean;
  tls_config?: TLSConfig;
  basic_auth?: { username: string; password?: string; password_file?: string };
  bearer_token?: string;
  bearer_token_file?: string;
  proxy_url?: string;
  [k: string]: unknown;
}
/** The tcp prober's settings. */
export interface TCPProbe {
  preferred_ip_protocol?: string;
  ip_protocol_fallback: boolean;
  source_ip_address?: string;
  query_response?: QueryResponse[];
  tls?: boolean;
  tls_config?: TLSConfig;
}
/** The icmp prober's settings. */
export interface ICMPProbe {
  preferred_ip_protocol?: string;
  ip_protocol_fallback: boolean;
  source_ip_address?: string;
  payload_size?: number;
  dont_fragment?: boolean;
  ttl: number;
}
/** The dns prober's settings. */
export interface DNSProbe {
  preferred_ip_protocol?: string;
  ip_protocol_fallback: boolean;
  dns_over_tls?: boolean;
  tls_config?: TLSConfig;
  source_ip_address?: string;
  transport_protocol?: string;
  query_class?: string;
  query_name?: string;
  query_type?: string;
  recursion_desired: boolean;
  valid_rcodes?: string[];
  validate_answer_rrs?: DNSRRValidator;
  validate_authority_rrs?: DNSRRValidator;
  validate_additional_rrs?: DNSRRValidator;
}
/** The grpc prober's settings. */
export interface GRPCProbe {
  service?: string;
  tls?: boolean;
  tls_config?: TLSConfig;
  ip_protocol_fallback: boolean;
  preferred_ip_protocol?: string;
  metadata?: Record<string, string[]>;
}
/** The unix prober's settings. */
export interface UnixProbe {
  query_response?: QueryResponse[];
  tls?: boolean;
  tls_config?: TLSConfig;
}
/** One module. `timeoutMs` 0 means "from the scrape timeout". */
export interface Module {
  prober: string;
  timeoutMs: number;
  http: HTTPProbe;
  tcp: TCPProbe;
  icmp: ICMPProbe;
  dns: DNSProbe;
  grpc: GRPCProbe;
  unix: UnixProbe;
}
/** A loaded modules file. */
export interface BlackboxConfig {
  modules: Map<string, Module>;
}

/** Probers a module may name (websocket loads but reports a clear error when probed). */
export const KNOWN_PROBERS = ["http", "tcp", "icmp", "dns", "grpc", "unix", "websocket"] as const;

const TLS_KEYS = ["ca", "ca_file", "ca_ref", "cert", "cert_file", "cert_ref", "key", "key_file", "key_ref", "server_name", "insecure_skip_verify", "min_version", "max_version"];
const HTTP_CLIENT_KEYS = ["basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2", "http_headers"];
const HTTP_KEYS = [
  "valid_status_codes", "valid_http_versions", "preferred_ip_protocol", "ip_protocol_fallback", "skip_resolve_phase_with_proxy", "no_follow_redirects",
  "fail_if_ssl", "fail_if_not_ssl", "method", "headers", "fail_if_body_matches_regexp", "fail_if_body_not_matches_regexp", "fail_if_body_json_matches_cel",
  "fail_if_body_json_not_matches_cel", "fail_if_header_matches", "fail_if_header_not_matches", "body", "body_file", "compression", "body_size_limit",
  "enable_http3", ...HTTP_CLIENT_KEYS,
];
const TCP_KEYS = ["preferred_ip_protocol", "ip_protocol_fallback", "source_ip_address", "query_response", "tls", "tls_config"];
const ICMP_KEYS = ["preferred_ip_protocol", "ip_protocol_fallback", "source_ip_address", "payload_size", "dont_fragment", "ttl"];
const DNS_KEYS = ["preferred_ip_protocol", "ip_protocol_fallback", "dns_over_tls", "tls_config", "source_ip_address", "transport_protocol", "query_class", "query_name", "query_type", "recursion_desired", "valid_rcodes", "validate_answer_rrs", "validate_authority_rrs", "validate_additional_rrs"];
const RR_KEYS = ["fail_if_matches_regexp", "fail_if_all_match_regexp", "fail_if_not_matches_regexp", "fail_if_none_matches_regexp"];
const GRPC_KEYS = ["service", "tls", "tls_config", "ip_protocol_fallback", "preferred_ip_protocol", "metadata"];
const QR_KEYS = ["expect", "expect_bytes", "send", "starttls", "labels"];
const UNIX_KEYS = ["query_response", "tls", "tls_config"];
const WS_KEYS = ["http_config", "headers", "query_response"];
/** DNS classes and types accepted in query_class / query_type. */
export const DNS_CLASSES: Record<string, number> = { IN: 1, CS: 2, CH: 3, HS: 4, NONE: 254, ANY: 255 };
export const DNS_TYPES: Record<string, number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, NAPTR: 35, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48,
  TLSA: 52, HTTPS: 65, SVCB: 64, CAA: 257, ANY: 255,
};

/** Parses a byte size such as `1MB`, `512KiB` or `1024` (Prometheus units.Base2Bytes accepts KB=KiB). */
export function parseByteSize(v: unknown): number {
  if (typeof v === "number") return v;
  const m = /^(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)?$/.exec(String(v).trim());
  if (!m) throw new BlackboxConfigError(`invalid byte size ${JSON.stringify(v)}`);
  const mult: Record<string, number> = { B: 1, KB: 1024, KiB: 1024, MB: 1024 ** 2, MiB: 1024 ** 2, GB: 1024 ** 3, GiB: 1024 ** 3, TB: 1024 ** 4, TiB: 1024 ** 4 };
  return Number(m[1]) * mult[m[2] ?? "B"]!;
}

function checkRegex(list: unknown, what: string): void {
  if (!Array.isArray(list)) return;
  for (const r of list) {
    try {
      compileGoRegex(String(r));
    } catch (e) {
      throw new BlackboxConfigError(`"Could not compile regular expression" regexp=${JSON.stringify(String(r))} ${what}: ${(e as Error).message}`);
    }
  }
}

function validateModule(name: string, m: Module, raw: Record<string, unknown>): void {
  const where = `module ${JSON.stringify(name)}`;
  if (!(KNOWN_PROBERS as readonly string[]).includes(m.prober)) throw new BlackboxConfigError(`${where}: unknown prober ${JSON.stringify(m.prober)}`);
  const h = m.http;
  if (h.body !== undefined && h.body_file !== undefined) throw new BlackboxConfigError(`${where}: setting body and body_file both are not allowed`);
  const auths = [h.basic_auth, h.bearer_token, h.bearer_token_file, h.oauth2, h.authorization].filter((x) => x !== undefined);
  if (auths.length > 1) throw new BlackboxConfigError(`${where}: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured`);
  checkRegex(h.fail_if_body_matches_regexp, "fail_if_body_matches_regexp");
  checkRegex(h.fail_if_body_not_matches_regexp, "fail_if_body_not_matches_regexp");
  for (const hm of [...(h.fail_if_header_matches ?? []), ...(h.fail_if_header_not_matches ?? [])]) {
    if (!hm.header) throw new BlackboxConfigError(`${where}: header name must be set for HTTP header matchers`);
    if (hm.regexp === undefined || hm.regexp === "") throw new BlackboxConfigError(`${where}: regexp must be set for HTTP header matchers`);
    checkRegex([hm.regexp], "fail_if_header_matches");
  }
  if (h.compression) {
    for (const [k, v] of Object.entries(h.headers ?? {})) {
      if (k.toLowerCase() !== "accept-encoding") continue;
      const accepted = v.split(",").map((p) => {
        const [enc, ...params] = p.trim().split(";");
        const q = params.map((x) => x.trim()).find((x) => x.startsWith("q="));
        return { enc: enc!.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
      });
      const ok = accepted.some((a) => (a.enc === h.compression || a.enc === "*") && a.q > 0);
      if (!ok) throw new BlackboxConfigError(`${where}: invalid configuration "Accept-Encoding: ${v}", "compression: ${h.compression}"`);
    }
  }
  if (h.enable_http3) {
    if (h.enable_http2) throw new BlackboxConfigError(`${where}: HTTP/3 and HTTP/2 cannot be enabled at the same time`);
    const vs = h.valid_http_versions ?? [];
    if (vs.length === 0 || vs.some((v) => v !== "HTTP/3.0")) throw new BlackboxConfigError(`${where}: when HTTP/3 is enabled, valid_http_versions must be set to only HTTP/3.0`);
  }
  if (m.icmp.ttl < 0) throw new BlackboxConfigError(`${where}: "ttl" cannot be negative`);
  if (m.icmp.ttl > 255) throw new BlackboxConfigError(`${where}: "ttl" cannot exceed 255`);
  const dnsRaw = raw.dns as Record<string, unknown> | undefined;
  if (m.prober === "dns" || dnsRaw !== undefined) {
    if (m.prober === "dns" && !m.dns.query_name) throw new BlackboxConfigError(`${where}: query name must be set for DNS module`);
    if (m.dns.query_class !== undefined && !(m.dns.query_class in DNS_CLASSES)) throw new BlackboxConfigError(`${where}: query class '${m.dns.query_class}' is not valid`);
    if (m.dns.query_type !== undefined && !(m.dns.query_type in DNS_TYPES)) throw new BlackboxConfigError(`${where}: query type '${m.dns.query_type}' is not valid`);
    for (const v of [m.dns.validate_answer_rrs, m.dns.validate_authority_rrs, m.dns.validate_additional_rrs]) {
      if (!v) continue;
      for (const k of RR_KEYS) checkRegex((v as Record<string, unknown>)[k], k);
    }
  }
  for (const qr of [...(m.tcp.query_response ?? []), ...(((raw.unix as { query_response?: QueryResponse[] }) ?? {}).query_response ?? []), ...(((raw.websocket as { query_response?: QueryResponse[] }) ?? {}).query_response ?? [])]) {
    if (qr.expect !== undefined) checkRegex([qr.expect], "query_response expect");
  }
}

function buildModule(raw: Record<string, unknown>): Module {
  const http = (raw.http ?? {}) as Record<string, unknown>;
  const tcp = (raw.tcp ?? {}) as Record<string, unknown>;
  const icmp = (raw.icmp ?? {}) as Record<string, unknown>;
  const dns = (raw.dns ?? {}) as Record<string, unknown>;
  const grpc = (raw.grpc ?? {}) as Record<string, unknown>;
  const timeout = raw.timeout === undefined ? 0 : parseDuration(String(raw.timeout));
  return {
    prober: String(raw.prober ?? ""),
    timeoutMs: timeout,
    http: {
      ...http,
      ip_protocol_fallback: http.ip_protocol_fallback !== false,
      follow_redirects: http.no_follow_redirects === true ? false : http.follow_redirects !== false,
      enable_http2: http.enable_http2 !== false,
      body_size_limit: http.body_size_limit === undefined ? undefined : parseByteSize(http.body_size_limit),
    } as HTTPProbe,
    tcp: { ...tcp, ip_protocol_fallback: tcp.ip_protocol_fallback !== false, query_response: normalizeQR(tcp.query_response) } as TCPProbe,
    icmp: { ...icmp, ip_protocol_fallback: icmp.ip_protocol_fallback !== false, ttl: icmp.ttl === undefined ? 64 : Number(icmp.ttl) } as ICMPProbe,
    dns: { ...dns, ip_protocol_fallback: dns.ip_protocol_fallback !== false, recursion_desired: dns.recursion_desired !== false } as DNSProbe,
    grpc: { ...grpc, ip_protocol_fallback: grpc.ip_protocol_fallback !== false } as GRPCProbe,
    unix: { ...((raw.unix ?? {}) as Record<string, unknown>), query_response: normalizeQR((raw.unix as { query_response?: unknown } | undefined)?.query_response) } as UnixProbe,
  };
}

/** `send` may be a YAML !!binary value (a Uint8Array); keep it as a latin1 string of bytes. */
function normalizeQR(v: unknown): QueryResponse[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((q: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...q };
    for (const k of ["send", "expect_bytes"]) if (out[k] instanceof Uint8Array) out[k] = Buffer.from(out[k] as Uint8Array).toString("latin1");
    return out as QueryResponse;
  });
}

/**
 * Parses blackbox.yml text. `file` is used in error messages only.
 * @throws BlackboxConfigError naming the file, line/module and reason.
 */
export function parseBlackboxConfig(text: string, file = "blackbox.yml"): BlackboxConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, customTags: ["binary"] });
  if (doc.errors.length > 0) throw new BlackboxConfigError(`error parsing config file ${file}: ${doc.errors[0]!.message}`);
  try {
    checkKeys(doc.contents, "Config", ["modules"], lc, (k, modules) => {
      if (k !== "modules" || !modules || !("items" in modules)) return;
      for (const item of (modules as unknown as { items: { value: ParsedNode | null }[] }).items) {
        checkKeys(item.value, "Module", ["prober", "timeout", "http", "tcp", "icmp", "dns", "grpc", "unix", "websocket"], lc, (mk, mv) => {
          const sub = (type: string, keys: string[], nested?: (k: string, v: ParsedNode | null) => void) => checkKeys(mv, type, keys, lc, nested);
          if (mk === "http") {
            sub("HTTPProbe", HTTP_KEYS, (hk, hv) => {
              if (hk === "tls_config") checkKeys(hv, "TLSConfig", TLS_KEYS, lc);
              if (hk === "fail_if_header_matches" || hk === "fail_if_header_not_matches") eachSeq(hv, (n) => checkKeys(n, "HeaderMatch", ["header", "regexp", "allow_missing"], lc));
            });
          } else if (mk === "tcp") {
            sub("TCPProbe", TCP_KEYS, (tk, tv) => {
              if (tk === "tls_config") checkKeys(tv, "TLSConfig", TLS_KEYS, lc);
              if (tk === "query_response") eachSeq(tv, (n) => checkKeys(n, "QueryResponse", QR_KEYS, lc));
            });
          } else if (mk === "icmp") sub("ICMPProbe", ICMP_KEYS);
          else if (mk === "dns") {
            sub("DNSProbe", DNS_KEYS, (dk, dv) => {
              if (dk.startsWith("validate_")) checkKeys(dv, "DNSRRValidator", RR_KEYS, lc);
              if (dk === "tls_config") checkKeys(dv, "TLSConfig", TLS_KEYS, lc);
            });
          } else if (mk === "grpc") sub("GRPCProbe", GRPC_KEYS);
          else if (mk === "unix") sub("UnixProbe", UNIX_KEYS);
          else if (mk === "websocket") sub("WebsocketProbe", WS_KEYS);
        });
      }
    });
  } catch (e) {
    if (e instanceof BlackboxConfigError) throw new BlackboxConfigError(`error parsing config file ${file}: ${e.message}`);
    throw e;
  }
  const js = (doc.toJS() ?? {}) as { modules?: Record<string, Record<string, unknown> | null> };
  const modules = new Map<string, Module>();
  for (const [name, raw0] of Object.entries(js.modules ?? {})) {
    const raw = raw0 ?? {};
    let m: Module;
    try {
      m = buildModule(raw);
      validateModule(name, m, raw);
    } catch (e) {
      throw new BlackboxConfigError(`error parsing config file ${file}: ${(e as Error).message}`);
    }
    modules.set(name, m);
  }
  return { modules };
}

/** Reads and parses a modules file. */
export function loadBlackboxConfig(path: string): BlackboxConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new BlackboxConfigError(`error reading config file ${path}: ${(e as Error).message}`);
  }
  return parseBlackboxConfig(text, path);
}
