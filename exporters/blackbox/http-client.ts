/**
 * @module exporters/blackbox/http-client
 * A minimal HTTP/1.1 client over node:net / node:tls that reports the phases blackbox_exporter measures
 * (connect, tls, processing, transfer) — fetch() hides them. One request per connection
 * (`Connection: close`); bodies are read by Content-Length, chunked encoding or until close, and are
 * capped at `maxBody` bytes. Aborting the signal destroys the socket.
 *
 * Over TLS with `http2: true`, ALPN offers h2 first (as Go's client does when enable_http2 is on); when the
 * server picks h2 the request goes over node:http2 on the same TLS socket and the version is HTTP/2.0.
 * Plain-text HTTP is always HTTP/1.1 (Go does not use h2c either).
 */
import { type Socket, connect as netConnect } from "node:net";
import { connect as http2Connect } from "node:http2";
import { type TLSSocket, connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { type TLSInfo, captureTLS } from "./util.ts";

/** A request to send. */
export interface RawRequest {
  /** IP address to connect to. */
  address: string;
  port: number;
  tls: ConnectionOptions | null;
  method: string;
  /** Path with query, e.g. `/x?y=1`. */
  path: string;
  /** Header lines in order (Host first). */
  headers: [string, string][];
  body?: Uint8Array;
  /** Maximum body bytes to read; more is an error. */
  maxBody: number;
  signal: AbortSignal;
  /** Offer HTTP/2 through ALPN on TLS connections. */
  http2?: boolean;
}

/** A received response with phase timings (seconds). */
export interface RawResponse {
  status: number;
  /** "HTTP/1.1" or "HTTP/1.0". */
  version: string;
  headers: [string, string][];
  body: Buffer;
  /** Content-Length header value, or -1 when absent. */
  contentLength: number;
  /** The TLS handshake details, for HTTPS. */
  tls: TLSInfo | null;
  timings: { connect: number; tls: number; processing: number; transfer: number };
}

/** Error raised when the body exceeds the limit. */
export class BodyTooLargeError extends Error {}

/** Sends one request and reads the whole response. */
export function rawRequest(req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let tConnect = 0;
    let tTls = 0;
    let tWritten = 0;
    let tFirst = 0;
    let sock: Socket;
    let tlsInfo: TLSInfo | null = null;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      sock?.destroy();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const onAbort = () => fail(req.signal.reason ?? new Error("probe timed out"));
    if (req.signal.aborted) return onAbort();
    req.signal.addEventListener("abort", onAbort, { once: true });

    const send = () => {
      const lines = [`${req.method} ${req.path} HTTP/1.1`, ...req.headers.map(([k, v]) => `${k}: ${v}`)];
      sock.write(lines.join("\r\n") + "\r\n\r\n");
      if (req.body && req.body.length > 0) sock.write(req.body);
      tWritten = performance.now();
    };
    if (req.tls) {
      const raw = netConnect({ host: req.address, port: req.port });
      sock = raw;
      raw.once("connect", () => {
        tConnect = performance.now();
        const ts = tlsConnect({ ...req.tls!, socket: raw, ...(req.http2 ? { ALPNProtocols: ["h2", "http/1.1"] } : {}) });
        sock = ts;
        ts.once("secureConnect", () => {
          tTls = performance.now();
          tlsInfo = captureTLS(ts);
          if (ts.alpnProtocol === "h2") return viaHttp2(ts);
          attach(ts);
          send();
        });
        ts.on("error", fail);
      });
      raw.on("error", fail);
    } else {
      sock = netConnect({ host: req.address, port: req.port });
      sock.once("connect", () => {
        tConnect = performance.now();
        tTls = tConnect;
        send();
      });
      sock.on("error", fail);
      attach(sock);
    }

    function viaHttp2(ts: TLSSocket) {
      const session = http2Connect(`https://${req.address}:${req.port}`, { createConnection: () => ts });
      session.on("error", fail);
      const headers: Record<string, string | string[]> = { ":method": req.method, ":path": req.path };
      for (const [k, v] of req.headers) {
        const lk = k.toLowerCase();
        if (lk === "host") headers[":authority"] = v;
        else if (lk === "connection") continue;
        else headers[lk] = headers[lk] === undefined ? v : ([] as string[]).concat(headers[lk]!, v);
      }
      const stream = session.request(headers, { endStream: !(req.body && req.body.length > 0) });
      if (req.body && req.body.length > 0) stream.end(req.body);
      tWritten = performance.now();
      let status = 0;
      const respHeaders: [string, string][] = [];
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("response", (h) => {
        tFirst = performance.now();
        status = Number(h[":status"]);
        for (const [k, v] of Object.entries(h)) if (!k.startsWith(":") && v !== undefined) for (const x of Array.isArray(v) ? v : [String(v)]) respHeaders.push([k, x]);
      });
      stream.on("data", (d: Buffer) => {
        size += d.length;
        if (size > req.maxBody) return fail(new BodyTooLargeError(`response body exceeds the limit of ${req.maxBody} bytes`));
        chunks.push(d);
      });
      stream.on("error", fail);
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        req.signal.removeEventListener("abort", onAbort);
        const tEnd = performance.now();
        const cl = respHeaders.find(([k]) => k === "content-length");
        resolve({
          status, version: "HTTP/2.0", headers: respHeaders, body: Buffer.concat(chunks), contentLength: cl ? Number(cl[1]) : -1, tls: tlsInfo,
          timings: { connect: (tConnect - t0) / 1000, tls: (tTls - tConnect) / 1000, processing: (tFirst - tWritten) / 1000, transfer: (tEnd - tFirst) / 1000 },
        });
        session.destroy();
      });
    }

    function attach(s: Socket) {
      let buf = Buffer.alloc(0);
      let head: { status: number; version: string; headers: [string, string][]; bodyStart: number } | null = null;
      const finish = (body: Buffer) => {
        if (settled || !head) return;
        settled = true;
        req.signal.removeEventListener("abort", onAbort);
        const tEnd = performance.now();
        const cl = head.headers.find(([k]) => k.toLowerCase() === "content-length");
        resolve({
          status: head.status, version: head.version, headers: head.headers, body,
          contentLength: cl ? Number(cl[1]) : -1,
          tls: tlsInfo,
          timings: { connect: (tConnect - t0) / 1000, tls: req.tls ? (tTls - tConnect) / 1000 : 0, processing: (tFirst - tWritten) / 1000, transfer: (tEnd - tFirst) / 1000 },
        });
        s.destroy();
      };
      const tryParse = (ended: boolean) => {
        if (!head) {
          const i = buf.indexOf("\r\n\r\n");
          if (i < 0) {
            if (ended) fail(new Error("connection closed before the response header was complete"));
            return;
          }
          const lines = buf.subarray(0, i).toString("latin1").split("\r\n");
          const m = /^(HTTP\/\d\.\d) (\d{3})/.exec(lines[0] ?? "");
          if (!m) return fail(new Error(`malformed HTTP response status line ${JSON.stringify(lines[0])}`));
          const headers: [string, string][] = [];
          for (const l of lines.slice(1)) {
            const c = l.indexOf(":");
            if (c > 0) headers.push([l.slice(0, c).trim(), l.slice(c + 1).trim()]);
          }
          head = { status: Number(m[2]), version: m[1]!, headers, bodyStart: i + 4 };
          if (req.method === "HEAD" || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) return finish(Buffer.alloc(0));
        }
        const h = head;
        const body = buf.subarray(h.bodyStart);
        const te = h.headers.find(([k]) => k.toLowerCase() === "transfer-encoding")?.[1].toLowerCase();
        const cl = h.headers.find(([k]) => k.toLowerCase() === "content-length")?.[1];
        if (te && te.includes("chunked")) {
          const out: Buffer[] = [];
          let p = 0;
          let size = 0;
          for (;;) {
            const nl = body.indexOf("\r\n", p);
            if (nl < 0) break;
            const n = parseInt(body.subarray(p, nl).toString("latin1"), 16);
            if (Number.isNaN(n)) return fail(new Error("malformed chunked encoding"));
            if (n === 0) return finish(Buffer.concat(out));
            if (body.length < nl + 2 + n + 2) break;
            out.push(body.subarray(nl + 2, nl + 2 + n));
            size += n;
            if (size > req.maxBody) return fail(new BodyTooLargeError(`response body exceeds the limit of ${req.maxBody} bytes`));
            p = nl + 2 + n + 2;
          }
          if (ended) fail(new Error("unexpected EOF in chunked body"));
        } else if (cl !== undefined) {
          const n = Number(cl);
          if (n > req.maxBody) return fail(new BodyTooLargeError(`response body exceeds the limit of ${req.maxBody} bytes`));
          if (body.length >= n) return finish(Buffer.from(body.subarray(0, n)));
          if (ended) fail(new Error("unexpected EOF: body shorter than Content-Length"));
        } else {
          if (body.length > req.maxBody) return fail(new BodyTooLargeError(`response body exceeds the limit of ${req.maxBody} bytes`));
          if (ended) finish(Buffer.from(body));
        }
      };
      s.on("data", (d: Buffer) => {
        if (tFirst === 0) tFirst = performance.now();
        buf = Buffer.concat([buf, d]);
        tryParse(false);
      });
      s.on("end", () => tryParse(true));
      s.on("close", () => tryParse(true));
    }
  });
}
