/**
 * @module exporters/blackbox/probers/dns
 * The dns prober, after blackbox_exporter's: send one query (query_name, query_type default ANY,
 * query_class default IN, recursion_desired) over udp (default) or tcp to the target (port 53 when
 * omitted), then check valid_rcodes (default NOERROR) and the validate_{answer,authority,additional}_rrs
 * regexps against each record's miekg/dns text form. Exports probe_dns_* (counts, serial for SOA,
 * query_succeeded, duration by phase resolve/connect/request).
 */
import { createSocket } from "node:dgram";
import { connect as netConnect } from "node:net";
import { randomInt } from "node:crypto";
import { DNS_CLASSES, DNS_TYPES, type DNSRRValidator } from "../config.ts";
import { type DNSMessage, RCODES, type RR, buildQuery, parseMessage, rrString } from "../dns-message.ts";
import type { Prober, ProbeContext } from "../prober.ts";
import { compileGoRegex } from "../regex.ts";
import { resolveTarget } from "../resolve.ts";
import { abortable } from "../util.ts";
import { splitHostPort } from "./tcp.ts";

/** blackbox_exporter's validRRs. */
export function validRRs(rrs: RR[], v: DNSRRValidator | undefined, ctx: ProbeContext): boolean {
  if (!v) return true;
  const texts = rrs.map(rrString);
  if (texts.length === 0 && ((v.fail_if_not_matches_regexp?.length ?? 0) > 0 || (v.fail_if_none_matches_regexp?.length ?? 0) > 0)) {
    ctx.logger.error("fail_if_not_matches_regexp specified but no RRs returned");
    return false;
  }
  let anyMatch = false;
  let allMatch = true;
  for (const t of texts) {
    for (const r of v.fail_if_matches_regexp ?? []) {
      if (compileGoRegex(r).test(t)) {
        ctx.logger.error("At least one RR matched regexp", { regexp: r, rr: t });
        return false;
      }
    }
    for (const r of v.fail_if_all_match_regexp ?? []) if (!compileGoRegex(r).test(t)) allMatch = false;
    for (const r of v.fail_if_not_matches_regexp ?? []) {
      if (!compileGoRegex(r).test(t)) {
        ctx.logger.error("At least one RR did not match regexp", { regexp: r, rr: t });
        return false;
      }
    }
    for (const r of v.fail_if_none_matches_regexp ?? []) if (compileGoRegex(r).test(t)) anyMatch = true;
  }
  if ((v.fail_if_all_match_regexp?.length ?? 0) > 0 && allMatch && texts.length > 0) {
    ctx.logger.error("All RRs matched fail_if_all_match_regexp");
    return false;
  }
  if ((v.fail_if_none_matches_regexp?.length ?? 0) > 0 && !anyMatch) {
    ctx.logger.error("None of the RRs did matched any regexp in fail_if_none_matches_regexp");
    return false;
  }
  return true;
}

function exchangeUDP(addr: string, family: 4 | 6, port: number, query: Buffer, id: number, signal: AbortSignal, onConnect: () => void, source?: string): Promise<DNSMessage> {
  return abortable(
    new Promise<DNSMessage>((resolve, reject) => {
      const s = createSocket(family === 6 ? "udp6" : "udp4");
      const close = () => {
        try {
          s.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", close, { once: true });
      s.on("error", (e) => (close(), reject(e)));
      s.on("message", (msg) => {
        try {
          const m = parseMessage(msg);
          if (m.id !== id) return; // not ours
          close();
          resolve(m);
        } catch (e) {
          close();
          reject(e);
        }
      });
      const go = () =>
        s.connect(port, addr, () => {
          onConnect();
          s.send(query);
        });
      if (source) s.bind(0, source, go);
      else go();
    }),
    signal,
  );
}

function exchangeTCP(addr: string, port: number, query: Buffer, signal: AbortSignal, onConnect: () => void, source?: string): Promise<DNSMessage> {
  return abortable(
    new Promise<DNSMessage>((resolve, reject) => {
      const s = netConnect({ host: addr, port, ...(source ? { localAddress: source } : {}) });
      signal.addEventListener("abort", () => s.destroy(), { once: true });
      let buf = Buffer.alloc(0);
      s.on("error", reject);
      s.once("connect", () => {
        onConnect();
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length, 0);
        s.write(Buffer.concat([len, query]));
      });
      s.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          s.destroy();
          try {
            resolve(parseMessage(buf.subarray(2, 2 + buf.readUInt16BE(0))));
          } catch (e) {
            reject(e);
          }
        }
      });
      s.on("close", () => reject(new Error("connection closed before a complete DNS response")));
    }),
    signal,
  );
}

/** The dns prober. */
export const probeDNS: Prober = async (ctx) => {
  const cfg = ctx.module.dns;
  const m = ctx.metrics;
  const durHelp = "Duration of DNS request by phase";
  for (const p of ["resolve", "connect", "request"]) m.set("probe_dns_duration_seconds", durHelp, 0, { phase: p });
  m.set("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list", 0);
  m.set("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list", 0);
  m.set("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list", 0);
  m.set("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully", 0);
  const hp = splitHostPort(ctx.target) ?? { host: ctx.target.replace(/^\[|\]$/g, ""), port: 53 };
  const r = await resolveTarget(ctx, hp.host, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback);
  if (!r) return false;
  m.set("probe_dns_duration_seconds", durHelp, r.lookupSeconds, { phase: "resolve" });
  const qtype = DNS_TYPES[cfg.query_type ?? "ANY"]!;
  const qclass = DNS_CLASSES[cfg.query_class ?? "IN"]!;
  const id = randomInt(0, 65536);
  const query = buildQuery(id, cfg.query_name ?? "", qtype, qclass, cfg.recursion_desired);
  if (cfg.dns_over_tls) {
    ctx.logger.error("dns_over_tls is not supported by Quiver's blackbox exporter");
    return false;
  }
  const transport = cfg.transport_protocol ?? "udp";
  if (transport !== "udp" && transport !== "tcp") {
    ctx.logger.error("Configuration error: Expected transport protocol udp or tcp", { protocol: transport });
    return false;
  }
  ctx.logger.info("Making DNS query", { target: `${r.address}:${hp.port}`, dial_protocol: transport + r.family, query: cfg.query_name, type: qtype, class: qclass });
  const t0 = performance.now();
  let tConn = t0;
  let resp: DNSMessage;
  try {
    resp = transport === "udp"
      ? await exchangeUDP(r.address, r.family, hp.port, query, id, ctx.signal, () => (tConn = performance.now()), cfg.source_ip_address)
      : await exchangeTCP(r.address, hp.port, query, ctx.signal, () => (tConn = performance.now()), cfg.source_ip_address);
  } catch (e) {
    ctx.logger.error("Error while sending a DNS query", { err: e });
    return false;
  }
  const tEnd = performance.now();
  m.set("probe_dns_duration_seconds", durHelp, (tConn - t0) / 1000, { phase: "connect" });
  m.set("probe_dns_duration_seconds", durHelp, (tEnd - tConn) / 1000, { phase: "request" });
  ctx.logger.info("Got response", { rcode: resp.rcode, answers: resp.answer.length });
  m.set("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list", resp.answer.length);
  m.set("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list", resp.authority.length);
  m.set("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list", resp.additional.length);
  m.set("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully", 1);
  if (qtype === DNS_TYPES.SOA) {
    for (const a of resp.answer) if (a.serial !== undefined) m.set("probe_dns_serial", "Returns the serial number of the zone", a.serial);
  }
  const valid = (cfg.valid_rcodes && cfg.valid_rcodes.length > 0 ? cfg.valid_rcodes : ["NOERROR"]).map((c) => RCODES[c] ?? -1);
  if (!valid.includes(resp.rcode)) {
    ctx.logger.error("Rcode is not one of the valid rcodes", { string_rcode: Object.keys(RCODES).find((k) => RCODES[k] === resp.rcode) ?? String(resp.rcode), rcode: resp.rcode });
    return false;
  }
  ctx.logger.info("Validating Answer RRs");
  if (!validRRs(resp.answer, cfg.validate_answer_rrs, ctx)) return false;
  ctx.logger.info("Validating Authority RRs");
  if (!validRRs(resp.authority, cfg.validate_authority_rrs, ctx)) return false;
  ctx.logger.info("Validating Additional RRs");
  if (!validRRs(resp.additional, cfg.validate_additional_rrs, ctx)) return false;
  return true;
};
