/**
 * @module exporters/blackbox/probers/tcp
 * The tcp prober, after blackbox_exporter's: connect (optionally over TLS), then run the query_response
 * dialogue — `expect` reads lines until one matches the regexp (failing with probe_failed_due_to_regex 1
 * when the connection ends first), `send` writes a line with `${1}`-style references to the last match,
 * `starttls` upgrades the connection, `expect_bytes` compares raw bytes, and `labels` on an expect export
 * probe_expect_info. TLS connections export the certificate and version metrics.
 */
import { type Socket, connect as netConnect } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import type { QueryResponse } from "../config.ts";
import type { Prober, ProbeContext } from "../prober.ts";
import { compileGoRegex } from "../regex.ts";
import { resolveTarget } from "../resolve.ts";
import { abortable, captureTLS, setTLSMetrics, tlsOptions } from "../util.ts";

/** Buffers a socket's input for line and byte reads. */
class Reader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(private sock: Socket) {
    this.attach(sock);
  }

  /** Switches to a new socket (after STARTTLS), keeping nothing buffered from the old one. */
  attach(sock: Socket): void {
    this.sock = sock;
    sock.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    sock.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    sock.on("close", () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** Detaches from the current socket (before STARTTLS hands it to TLS). */
  detach(): void {
    this.sock.removeAllListeners("data");
    this.sock.removeAllListeners("end");
    this.sock.removeAllListeners("close");
    this.ended = false;
  }

  private wait(signal: AbortSignal): Promise<void> {
    return abortable(new Promise<void>((r) => (this.wake = r)), signal).finally(() => (this.wake = null));
  }

  /** Reads one line without its newline (and trailing \r), or null at end of stream. */
  async line(signal: AbortSignal): Promise<string | null> {
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i >= 0) {
        const l = this.buf.subarray(0, i).toString("latin1").replace(/\r$/, "");
        this.buf = this.buf.subarray(i + 1);
        return l;
      }
      if (this.ended) {
        if (this.buf.length === 0) return null;
        const l = this.buf.toString("latin1");
        this.buf = Buffer.alloc(0);
        return l;
      }
      await this.wait(signal);
    }
  }

  /** Reads exactly `n` bytes, or fewer at end of stream. */
  async bytes(n: number, signal: AbortSignal): Promise<Buffer> {
    while (this.buf.length < n && !this.ended) await this.wait(signal);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
}

/** Expands `${1}`, `$1`, `${name}` references to the groups of `m` (Go's Regexp.Expand). */
export function expandMatch(template: string, m: RegExpExecArray | null): string {
  return template.replace(/\$(?:\{([A-Za-z0-9_]+)\}|([0-9]+))/g, (_x, a: string | undefined, b: string | undefined) => {
    const key = a ?? b!;
    if (!m) return "";
    if (/^\d+$/.test(key)) return m[Number(key)] ?? "";
    return m.groups?.[key] ?? "";
  });
}

function connectSocket(host: string, port: number, signal: AbortSignal, localAddress?: string): Promise<Socket> {
  return abortable(
    new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host, port, ...(localAddress ? { localAddress } : {}) });
      s.once("connect", () => resolve(s));
      s.once("error", reject);
      signal.addEventListener("abort", () => s.destroy(), { once: true });
    }),
    signal,
  );
}

function startTLS(sock: Socket, opts: ReturnType<typeof tlsOptions>, signal: AbortSignal): Promise<TLSSocket> {
  return abortable(
    new Promise<TLSSocket>((resolve, reject) => {
      const t = tlsConnect({ ...opts, socket: sock });
      t.once("secureConnect", () => resolve(t));
      t.once("error", reject);
      signal.addEventListener("abort", () => t.destroy(), { once: true });
    }),
    signal,
  );
}

/** Splits `host:port` (with `[v6]:port`). */
export function splitHostPort(target: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(target);
  if (!m) return null;
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

/** Settings of a query/response dialogue (tcp and unix probers). */
export interface DialogueSettings {
  query_response?: QueryResponse[];
  tls?: boolean;
  tlsOpts: ReturnType<typeof tlsOptions>;
}

/**
 * Runs the query_response dialogue on a connected socket (upgrading to TLS first when `tls`). `swap` is
 * told about the socket after each TLS upgrade so the caller closes the right one. Returns success.
 */
export async function runDialogue(ctx: ProbeContext, first: Socket, cfg: DialogueSettings, swap: (s: Socket) => void): Promise<boolean> {
  const m = ctx.metrics;
  let sock = first;
  if (cfg.tls) {
    sock = await startTLS(sock, cfg.tlsOpts, ctx.signal);
    swap(sock);
    setTLSMetrics(m, captureTLS(sock as TLSSocket));
  }
  const reader = new Reader(sock);
  let last: RegExpExecArray | null = null;
  for (const [i, qr] of (cfg.query_response ?? []).entries()) {
    if (qr.expect !== undefined) {
      const re = compileGoRegex(qr.expect);
      ctx.logger.info("Processing query response entry", { entry_number: i });
      let matched: RegExpExecArray | null = null;
      for (;;) {
        const line = await reader.line(ctx.signal);
        if (line === null) break;
        ctx.logger.debug("Read line", { line });
        matched = re.exec(line);
        if (matched) break;
      }
      if (!matched) {
        ctx.logger.error("Regexp did not match", { regexp: qr.expect });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        return false;
      }
      last = matched;
      if (qr.labels && qr.labels.length > 0) {
        const labels: Record<string, string> = {};
        for (const l of qr.labels) labels[l.name] = expandMatch(l.value, matched);
        m.set("probe_expect_info", "Explicit content matched", 1, labels);
      }
    }
    if (qr.expect_bytes !== undefined) {
      const want = Buffer.from(qr.expect_bytes, "latin1");
      const got = await reader.bytes(want.length, ctx.signal);
      if (!got.equals(want)) {
        ctx.logger.error("Expected bytes did not match", { want: want.toString("hex"), got: got.toString("hex") });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        return false;
      }
    }
    if (qr.send !== undefined) {
      const data = expandMatch(qr.send, last);
      ctx.logger.debug("Sending line", { line: data });
      sock.write(Buffer.from(data + "\n", "latin1"));
    }
    if (qr.starttls) {
      reader.detach();
      const t = await startTLS(sock, cfg.tlsOpts, ctx.signal);
      sock = t;
      swap(t);
      reader.attach(t);
      setTLSMetrics(m, captureTLS(t));
    }
  }
  return true;
}

/** The tcp prober. */
export const probeTCP: Prober = async (ctx) => {
  const cfg = ctx.module.tcp;
  const m = ctx.metrics;
  m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 0);
  const hp = splitHostPort(ctx.target);
  if (!hp) {
    ctx.logger.error("Error splitting target address and port", { err: `address ${ctx.target}: missing port in address` });
    return false;
  }
  const r = await resolveTarget(ctx, hp.host, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback);
  if (!r) return false;
  let sock: Socket;
  ctx.logger.info("Dialing TCP without TLS", { address: `${r.address}:${hp.port}` });
  try {
    sock = await connectSocket(r.address, hp.port, ctx.signal, cfg.source_ip_address);
  } catch (e) {
    ctx.logger.error("Error dialing TCP", { err: e });
    return false;
  }
  ctx.logger.info("Successfully dialed");
  try {
    return await runDialogue(ctx, sock, { query_response: cfg.query_response, tls: cfg.tls, tlsOpts: tlsOptions(cfg.tls_config, hp.host) }, (s) => (sock = s));
  } catch (e) {
    ctx.logger.error("Error during TCP probe", { err: e });
    return false;
  } finally {
    sock.destroy();
  }
};
