/**
 * @module plugins/email/smtp
 * A small SMTP client (RFC 5321) over node:net / node:tls: EHLO, STARTTLS (required unless
 * `require_tls: false`), implicit TLS on port 465, AUTH CRAM-MD5 / PLAIN / LOGIN, MAIL FROM, RCPT TO,
 * DATA with dot-stuffing, QUIT. Replies are parsed with continuation lines. A 4xx reply or a network
 * error is temporary (worth retrying), a 5xx reply is permanent.
 */
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";

/** An SMTP failure; `temporary` says whether retrying may help. */
export class SmtpError extends Error {
  constructor(message: string, readonly temporary: boolean) {
    super(message);
  }
}

/** What to send and how. */
export interface SmtpSend {
  host: string;
  port: number;
  hello: string;
  from: string;
  to: string[];
  /** The full message (headers + body), CRLF line endings. */
  data: string;
  requireTLS: boolean;
  auth?: { username: string; password?: string; secret?: string; identity?: string };
  tls?: ConnectionOptions;
  signal: AbortSignal;
}

class Conn {
  private buf = "";
  private waiters: Array<() => void> = [];
  private err: Error | null = null;

  constructor(public sock: Socket | TLSSocket) {
    this.attach();
  }

  attach(): void {
    this.sock.setEncoding("utf8");
    this.sock.on("data", (d: string) => {
      this.buf += d;
      this.wake();
    });
    this.sock.on("error", (e) => {
      this.err = e;
      this.wake();
    });
    this.sock.on("close", () => {
      this.err ??= new Error("connection closed");
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Reads one (possibly multi-line) reply. */
  async reply(): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const i = this.buf.indexOf("\r\n");
      if (i < 0) {
        if (this.err) throw new SmtpError(`smtp: ${this.err.message}`, true);
        await new Promise<void>((r) => this.waiters.push(r));
        continue;
      }
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      lines.push(line.slice(4));
      if (line[3] !== "-") return { code: Number(line.slice(0, 3)), lines };
    }
  }

  async cmd(line: string, expect: number, what = line.split(" ")[0]!): Promise<string[]> {
    this.sock.write(line + "\r\n");
    return this.expect(expect, what);
  }

  async expect(code: number, what: string): Promise<string[]> {
    const r = await this.reply();
    if (Math.floor(r.code / 100) !== Math.floor(code / 100) || (code % 100 !== 0 && r.code !== code)) {
      throw new SmtpError(`smtp: ${what}: ${r.code} ${r.lines.join(" ")}`, r.code < 500);
    }
    return r.lines;
  }
}

function open(host: string, port: number, tls: ConnectionOptions | undefined, implicitTLS: boolean): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = implicitTLS
      ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...tls }, () => resolve(s))
      : netConnect({ host, port }, () => resolve(s));
    s.once("error", (e) => reject(new SmtpError(`smtp: dial ${host}:${port}: ${e.message}`, true)));
  });
}

function upgrade(sock: Socket, host: string, tls: ConnectionOptions | undefined): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    sock.removeAllListeners("data");
    sock.removeAllListeners("error");
    sock.removeAllListeners("close");
    const t = tlsConnect({ socket: sock, ...(isIP(host) ? {} : { servername: host }), ...tls }, () => resolve(t));
    t.once("error", (e) => reject(new SmtpError(`smtp: STARTTLS: ${e.message}`, true)));
  });
}

function parseCaps(lines: string[]): Map<string, string> {
  const caps = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const [k, ...rest] = l.split(" ");
    caps.set(k!.toUpperCase(), rest.join(" "));
  }
  return caps;
}

/** Sends one message. Throws SmtpError. */
export async function sendMail(o: SmtpSend): Promise<void> {
  const implicit = o.port === 465;
  const sock = await open(o.host, o.port, o.tls, implicit);
  const abort = () => sock.destroy(new Error("context deadline exceeded"));
  o.signal.addEventListener("abort", abort, { once: true });
  const c = new Conn(sock);
  try {
    await c.expect(220, "greeting");
    let caps = parseCaps(await c.cmd(`EHLO ${o.hello}`, 250));
    let secure = implicit;
    if (!secure && caps.has("STARTTLS")) {
      await c.cmd("STARTTLS", 220);
      c.sock = await upgrade(sock as Socket, o.host, o.tls);
      c.attach();
      secure = true;
      caps = parseCaps(await c.cmd(`EHLO ${o.hello}`, 250));
    } else if (!secure && o.requireTLS) {
      throw new SmtpError(`'require_tls' is true (default) but "${o.host}:${o.port}" does not advertise the STARTTLS extension`, false);
    }
    if (o.auth?.username) {
      const mechs = (caps.get("AUTH") ?? "").toUpperCase().split(/\s+/);
      const a = o.auth;
      if (a.secret && mechs.includes("CRAM-MD5")) {
        const ch = (await c.cmd("AUTH CRAM-MD5", 334))[0] ?? "";
        const digest = createHmac("md5", a.secret).update(Buffer.from(ch, "base64")).digest("hex");
        await c.cmd(Buffer.from(`${a.username} ${digest}`).toString("base64"), 235, "AUTH");
      } else if (a.password && mechs.includes("PLAIN")) {
        await c.cmd(`AUTH PLAIN ${Buffer.from(`${a.identity ?? ""}\0${a.username}\0${a.password}`).toString("base64")}`, 235, "AUTH");
      } else if (a.password && mechs.includes("LOGIN")) {
        await c.cmd("AUTH LOGIN", 334);
        await c.cmd(Buffer.from(a.username).toString("base64"), 334, "AUTH");
        await c.cmd(Buffer.from(a.password).toString("base64"), 235, "AUTH");
      } else if (mechs.join("") !== "") {
        throw new SmtpError(`smtp: none of the server's AUTH mechanisms (${mechs.join(" ")}) can be used with the configured credentials`, false);
      }
    }
    await c.cmd(`MAIL FROM:<${o.from}>`, 250, "MAIL");
    for (const r of o.to) await c.cmd(`RCPT TO:<${r}>`, 250, "RCPT");
    await c.cmd("DATA", 354);
    const body = o.data.split("\r\n").map((l) => (l.startsWith(".") ? "." + l : l)).join("\r\n");
    await c.cmd(`${body}\r\n.`, 250, "DATA");
    c.sock.write("QUIT\r\n");
  } finally {
    o.signal.removeEventListener("abort", abort);
    c.sock.end();
  }
}
