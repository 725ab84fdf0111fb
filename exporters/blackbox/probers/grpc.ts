/**
 * @module exporters/blackbox/probers/grpc
 * The grpc prober: one call of the standard health service (`/grpc.health.v1.Health/Check`, request
 * `{service}`) over HTTP/2 (node:http2), optionally over TLS, as blackbox_exporter's grpc prober.
 * Success needs grpc-status 0 and serving status SERVING. Exports probe_grpc_duration_seconds{phase},
 * probe_grpc_healthcheck_response{serving_status}, probe_grpc_ssl, probe_grpc_status_code and, over TLS,
 * the certificate metrics. The protobuf messages are encoded by hand (two fields), no dependency.
 */
import { connect, type ClientHttp2Session } from "node:http2";
import type { TLSSocket } from "node:tls";
import type { Prober } from "../prober.ts";
import { resolveTarget } from "../resolve.ts";
import { abortable, captureTLS, setTLSMetrics, tlsOptions } from "../util.ts";
import { splitHostPort } from "./tcp.ts";

const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** Encodes HealthCheckRequest{service} in a gRPC length-prefixed frame. */
export function encodeHealthRequest(service: string): Buffer {
  const s = Buffer.from(service, "utf8");
  const msg = s.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]);
  const h = Buffer.alloc(5);
  h.writeUInt32BE(msg.length, 1);
  return Buffer.concat([h, msg]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** Decodes HealthCheckResponse.status from a gRPC frame (0 = UNKNOWN when absent). */
export function decodeHealthResponse(frame: Buffer): number {
  if (frame.length < 5) throw new Error("short gRPC frame");
  const len = frame.readUInt32BE(1);
  const msg = frame.subarray(5, 5 + len);
  for (let p = 0; p < msg.length; ) {
    const tag = msg[p++]!;
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = msg[p++]!;
      v |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (tag === 0x08) return v;
    if ((tag & 7) === 2) p += v;
  }
  return 0;
}

/** The grpc prober. */
export const probeGRPC: Prober = async (ctx) => {
  const cfg = ctx.module.grpc;
  const m = ctx.metrics;
  const durHelp = "Duration of gRPC request by phase";
  for (const p of ["resolve", "check"]) m.set("probe_grpc_duration_seconds", durHelp, 0, { phase: p });
  for (const s of SERVING_STATUS) m.set("probe_grpc_healthcheck_response", "Response HealthCheck response", 0, { serving_status: s });
  m.set("probe_grpc_ssl", "Indicates if SSL was used for the connection", 0);
  m.set("probe_grpc_status_code", "Response gRPC status code", 0);
  const stripped = ctx.target.replace(/^[a-z]+:\/\//, "");
  const hp = splitHostPort(stripped);
  if (!hp) {
    ctx.logger.error("Could not parse target as host:port", { target: ctx.target });
    return false;
  }
  const r = await resolveTarget(ctx, hp.host, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback);
  if (!r) return false;
  m.set("probe_grpc_duration_seconds", durHelp, r.lookupSeconds, { phase: "resolve" });
  const tls = cfg.tls === true;
  const authority = `${r.family === 6 ? `[${r.address}]` : r.address}:${hp.port}`;
  const start = performance.now();
  let session: ClientHttp2Session | null = null;
  try {
    session = connect(`${tls ? "https" : "http"}://${authority}`, tls ? tlsOptions(cfg.tls_config, hp.host) : {});
    const s = session;
    const result = await abortable(
      new Promise<{ grpcStatus: number; status: number; message: string }>((resolve, reject) => {
        s.on("error", reject);
        const headers: Record<string, string> = {
          ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers",
        };
        for (const [k, vs] of Object.entries(cfg.metadata ?? {})) headers[k.toLowerCase()] = vs.join(",");
        const req = s.request(headers);
        const chunks: Buffer[] = [];
        let grpcStatus = -1;
        let message = "";
        const take = (h: Record<string, unknown>) => {
          if (h["grpc-status"] !== undefined) grpcStatus = Number(h["grpc-status"]);
          if (h["grpc-message"] !== undefined) message = decodeURIComponent(String(h["grpc-message"]));
        };
        req.on("response", take);
        req.on("trailers", take);
        req.on("data", (d: Buffer) => chunks.push(d));
        req.on("error", reject);
        req.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ grpcStatus: grpcStatus < 0 ? 2 : grpcStatus, status: body.length >= 5 ? decodeHealthResponse(body) : 0, message });
        });
        req.end(encodeHealthRequest(cfg.service ?? ""));
      }),
      ctx.signal,
    );
    m.set("probe_grpc_duration_seconds", durHelp, (performance.now() - start) / 1000, { phase: "check" });
    m.set("probe_grpc_status_code", "Response gRPC status code", result.grpcStatus);
    if (tls) {
      m.set("probe_grpc_ssl", "Indicates if SSL was used for the connection", 1);
      const sock = (s as unknown as { socket: TLSSocket }).socket;
      if (sock && typeof sock.getPeerCertificate === "function") setTLSMetrics(m, captureTLS(sock));
    }
    if (result.grpcStatus !== 0) {
      ctx.logger.error("can't connect grpc server:", { code: result.grpcStatus, message: result.message });
      return false;
    }
    const name = SERVING_STATUS[result.status] ?? "UNKNOWN";
    m.set("probe_grpc_healthcheck_response", "Response HealthCheck response", 1, { serving_status: name });
    if (name !== "SERVING") {
      ctx.logger.error("Service is not serving", { serving_status: name });
      return false;
    }
    return true;
  } catch (e) {
    m.set("probe_grpc_duration_seconds", durHelp, (performance.now() - start) / 1000, { phase: "check" });
    ctx.logger.error("can't connect grpc server:", { err: e });
    return false;
  } finally {
    session?.destroy();
  }
};
