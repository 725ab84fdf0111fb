/**
 * @module plugins/redis_exporter/resp
 * A minimal Redis client speaking RESP2 over node:net (no dependency): connect, send commands as arrays
 * of bulk strings, parse replies (simple strings, errors, integers, bulk strings, arrays). One command at
 * a time; aborting the signal destroys the connection.
 */
import { type Socket, connect } from "node:net";

/** A RESP reply. Errors are returned as {@link RedisError} values inside arrays and thrown at top level. */
export type Reply = string | number | null | Reply[] | RedisError;

/** An error reply from the server (`-ERR ...`). */
export class RedisError extends Error {}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(a, "utf8");
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Parses one reply from `buf` at `off`; returns [reply, next offset] or null when incomplete. */
export function parseReply(buf: Buffer, off = 0): [Reply, number] | null {
  if (off >= buf.length) return null;
  const nl = buf.indexOf("\r\n", off);
  if (nl < 0) return null;
  const type = String.fromCharCode(buf[off]!);
  const line = buf.subarray(off + 1, nl).toString("utf8");
  const next = nl + 2;
  switch (type) {
    case "+":
      return [line, next];
    case "-":
      return [new RedisError(line), next];
    case ":":
      return [Number(line), next];
    case "$": {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return null;
      return [buf.subarray(next, next + n).toString("utf8"), next + n + 2];
    }
    case "*": {
      const n = Number(line);
      if (n < 0) return [null, next];
      const items: Reply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (!r) return null;
        items.push(r[0]);
        p = r[1];
      }
      return [items, p];
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** A connection to one Redis server. */
export class RedisConnection {
  private buf = Buffer.alloc(0);
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private closedError: Error | null = null;

  private constructor(private readonly sock: Socket) {
    sock.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.drain();
    });
    const fail = (e: Error) => {
      this.closedError = e;
      this.pending?.reject(e);
      this.pending = null;
    };
    sock.on("error", fail);
    sock.on("close", () => fail(this.closedError ?? new Error("connection closed by the server")));
  }

  /** Opens a TCP connection to host:port. */
  static open(host: string, port: number, signal: AbortSignal): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const s = connect({ host, port });
      const onAbort = () => {
        s.destroy();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      s.once("connect", () => resolve(new RedisConnection(s)));
      s.once("error", (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      });
    });
  }

  private drain(): void {
    if (!this.pending) return;
    const r = parseReply(this.buf);
    if (!r) return;
    this.buf = this.buf.subarray(r[1]);
    const p = this.pending;
    this.pending = null;
    if (r[0] instanceof RedisError) p.reject(r[0]);
    else p.resolve(r[0]);
  }

  /** Sends one command and waits for its reply. @throws RedisError for error replies. */
  command(args: readonly string[], signal: AbortSignal): Promise<Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.pending) return Promise.reject(new Error("BUG: RedisConnection used concurrently"));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.sock.destroy();
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending = {
        resolve: (r) => (signal.removeEventListener("abort", onAbort), resolve(r)),
        reject: (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
      };
      this.sock.write(encodeCommand(args));
      this.drain();
    });
  }

  /** Closes the connection. */
  close(): void {
    this.sock.destroy();
  }
}
