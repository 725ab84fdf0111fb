/**
 * @module exporters/blackbox/test/servers
 * Loopback servers for the prober tests: HTTP(S) with fixed routes, a self-signed certificate made with
 * openssl, a line-based TCP server, a tiny UDP/TCP DNS responder (node:dgram / node:net) and a gRPC
 * health server (node:http2). Everything listens on 127.0.0.1, port 0.
 */
import { execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createSecureServer, createServer as createH2Server } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { gzipSync } from "node:zlib";
import { encodeName, encodeRR, parseMessage } from "../dns-message.ts";

/** A self-signed certificate for localhost/127.0.0.1 (PEM strings and file paths). */
export interface TestCert {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** notAfter in seconds since the epoch. */
  notAfter: number;
}

/** Makes a self-signed certificate with openssl, or returns null when openssl is unavailable. */
export function makeCert(): TestCert | null {
  const dir = mkdtempSync(join(tmpdir(), "quiver-bb-cert-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
    const end = execFileSync("openssl", ["x509", "-enddate", "-noout", "-in", certFile], { encoding: "utf8" }).trim().replace(/^notAfter=/, "");
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile, keyFile, notAfter: Date.parse(end) / 1000 };
  } catch {
    return null;
  }
}

/** Routes of the test HTTP server. */
function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/ok":
      res.writeHead(200, { "content-type": "text/plain", "content-length": "29", "last-modified": "Wed, 21 Oct 2015 07:28:00 GMT", "set-cookie": "a=b", "access-control-allow-origin": "*" });
      return void res.end("hello world, database is fine");
    case "/redirect":
      res.writeHead(302, { location: "/ok" });
      return void res.end();
    case "/redirect-loop":
      res.writeHead(302, { location: "/redirect-loop" });
      return void res.end();
    case "/notfound":
      res.writeHead(404);
      return void res.end("nope");
    case "/gzip":
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" });
      return void res.end(gzipSync(Buffer.from("compressed hello")));
    case "/chunked":
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("part one ");
      return void setTimeout(() => res.end("part two"), 5);
    case "/echo":
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end(`${req.method} auth=${req.headers.authorization ?? ""} ua=${req.headers["user-agent"] ?? ""} x=${req.headers["x-test"] ?? ""} ae=${req.headers["accept-encoding"] ?? ""} body=${body}`);
    case "/hang":
      return; // never answers
    default:
      res.writeHead(500);
      res.end();
  }
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => route(req, res, body));
}

/** Starts the HTTP (and, given a cert, HTTPS) test servers; returns base URLs and a close function. */
export async function startHttp(cert: TestCert | null): Promise<{ http: string; https: string | null; h2: string | null; close: () => void }> {
  const h = createHttpServer(handler);
  await new Promise<void>((r) => h.listen(0, "127.0.0.1", r));
  let s: ReturnType<typeof createHttpsServer> | null = null;
  if (cert) {
    s = createHttpsServer({ cert: cert.cert, key: cert.key }, handler);
    await new Promise<void>((r) => s!.listen(0, "127.0.0.1", r));
  }
  let h2: ReturnType<typeof createSecureServer> | null = null;
  if (cert) {
    h2 = createSecureServer({ cert: cert.cert, key: cert.key, allowHTTP1: true }, handler as never);
    await new Promise<void>((r) => h2!.listen(0, "127.0.0.1", r));
  }
  return {
    http: `http://127.0.0.1:${(h.address() as AddressInfo).port}`,
    https: s ? `https://localhost:${(s.address() as AddressInfo).port}` : null,
    h2: h2 ? `https://localhost:${(h2.address() as AddressInfo).port}` : null,
    close: () => {
      h2?.close();
      h.closeAllConnections?.();
      h.close();
      s?.closeAllConnections?.();
      s?.close();
    },
  };
}

/** A line server: sends a banner, answers "PING x" with "PONG x", and upgrades to TLS on "STARTTLS". */
export async function startLineServer(cert: TestCert | null): Promise<{ addr: string; close: () => void }> {
  const sockets = new Set<Socket>();
  const srv: Server = createNetServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString("latin1");
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, "");
        buf = buf.slice(i + 1);
        if (line.startsWith("PING ")) sock.write(`PONG ${line.slice(5)}\n`);
        else if (line === "STARTTLS" && cert) {
          sock.write("220 go ahead\n");
          sock.removeListener("data", onData);
          const t = new TLSSocket(sock, { isServer: true, cert: cert.cert, key: cert.key });
          t.on("error", () => {});
          t.on("data", (x: Buffer) => {
            if (x.toString().startsWith("HELLO")) t.write("250 secure hello\n");
          });
        }
      }
    };
    sock.on("data", onData);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return {
    addr: `127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  };
}

function a(ip: string): Buffer {
  return Buffer.from(ip.split(".").map(Number));
}

/** Builds a response to `query` for the test zone (www.example.org A, example.org SOA, anything else NXDOMAIN). */
export function dnsAnswer(query: Buffer): Buffer {
  const q = parseMessage(query);
  const qq = q.questions[0]!;
  const name = qq.name.toLowerCase();
  const answers: Buffer[] = [];
  const authority: Buffer[] = [];
  const additional: Buffer[] = [];
  let rcode = 0;
  if (name === "www.example.org." && (qq.type === 1 || qq.type === 255)) {
    answers.push(encodeRR("www.example.org.", 1, 1, 300, a("192.0.2.10")), encodeRR("www.example.org.", 1, 1, 300, a("192.0.2.11")));
    authority.push(encodeRR("example.org.", 2, 1, 3600, encodeName("ns1.example.org.")));
    additional.push(encodeRR("ns1.example.org.", 1, 1, 3600, a("192.0.2.1")));
  } else if (name === "example.org." && qq.type === 6) {
    const nums = Buffer.alloc(20);
    [2024010101, 7200, 3600, 1209600, 300].forEach((n, i) => nums.writeUInt32BE(n, i * 4));
    answers.push(encodeRR("example.org.", 6, 1, 3600, Buffer.concat([encodeName("ns1.example.org."), encodeName("hostmaster.example.org."), nums])));
  } else rcode = 3;
  const h = Buffer.alloc(12);
  h.writeUInt16BE(q.id, 0);
  h.writeUInt16BE(0x8000 | (q.flags & 0x0100) | 0x0080 | rcode, 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers.length, 6);
  h.writeUInt16BE(authority.length, 8);
  h.writeUInt16BE(additional.length, 10);
  const qs = Buffer.alloc(4);
  qs.writeUInt16BE(qq.type, 0);
  qs.writeUInt16BE(qq.class, 2);
  return Buffer.concat([h, encodeName(qq.name), qs, ...answers, ...authority, ...additional]);
}

/** Starts the DNS responder on one UDP and one TCP port (same number when free). */
export async function startDNS(): Promise<{ udp: string; tcp: string; close: () => void }> {
  const u = createSocket("udp4");
  u.on("message", (msg, rinfo) => u.send(dnsAnswer(msg), rinfo.port, rinfo.address));
  await new Promise<void>((r) => u.bind(0, "127.0.0.1", r));
  const t = createNetServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on("error", () => {});
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const resp = dnsAnswer(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        const len = Buffer.alloc(2);
        len.writeUInt16BE(resp.length, 0);
        sock.end(Buffer.concat([len, resp]));
      }
    });
  });
  await new Promise<void>((r) => t.listen(0, "127.0.0.1", r));
  return {
    udp: `127.0.0.1:${u.address().port}`,
    tcp: `127.0.0.1:${(t.address() as AddressInfo).port}`,
    close: () => {
      u.close();
      t.close();
    },
  };
}

/** Starts a gRPC health server: service "" and "up" are SERVING, "down" NOT_SERVING, others NOT_FOUND (grpc-status 5). */
export async function startGRPC(cert: TestCert | null): Promise<{ addr: string; close: () => void }> {
  const onStream = (stream: import("node:http2").ServerHttp2Stream, headers: import("node:http2").IncomingHttpHeaders) => {
    const chunks: Buffer[] = [];
    stream.on("data", (d: Buffer) => chunks.push(d));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      const len = body.readUInt32BE(1);
      const msg = body.subarray(5, 5 + len);
      const service = msg.length > 2 ? msg.subarray(2, 2 + msg[1]!).toString() : "";
      if (headers[":path"] !== "/grpc.health.v1.Health/Check") {
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12" }, { endStream: true });
        return;
      }
      if (service !== "" && service !== "up" && service !== "down") {
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "5", "grpc-message": "unknown service" }, { endStream: true });
        return;
      }
      const status = service === "down" ? 2 : 1;
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  };
  const srv = cert ? createSecureServer({ cert: cert.cert, key: cert.key }) : createH2Server();
  srv.on("stream", onStream);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { addr: `127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => srv.close() };
}
