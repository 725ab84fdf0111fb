import { Buffer } from "node:buffer";
import { afterEach, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { nopLogger } from "../../core/log/logger.ts";
import type { NotificationMessage } from "../../core/model/alert.ts";
import plugin, { addresses, splitHostPort } from "./index.ts";
import { quotedPrintable } from "./mime.ts";

interface Mail { from: string; rcpt: string[]; data: string; auth: string[]; tls: boolean; hello: string[] }

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A local SMTP sink (node:net): EHLO, optional STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT. */
async function smtpSink(opts: { starttls?: { key: Buffer; cert: Buffer }; reject?: number } = {}) {
  const mails: Mail[] = [];
  const server = createServer((raw) => {
    let sock: Socket | TLSSocket = raw;
    const m: Mail = { from: "", rcpt: [], data: "", auth: [], tls: false, hello: [] };
    let buf = "";
    let inData = false;
    let loginStep = 0;
    const send = (s: string) => sock.write(s + "\r\n");
    const onLine = (line: string) => {
      if (inData) {
        if (line === ".") {
          inData = false;
          mails.push(m);
          send(opts.reject ? `${opts.reject} rejected` : "250 2.0.0 queued");
        } else m.data += (line.startsWith("..") ? line.slice(1) : line) + "\r\n";
        return;
      }
      if (loginStep === 1) { m.auth.push(Buffer.from(line, "base64").toString()); loginStep = 2; send("334 UGFzc3dvcmQ6"); return; }
      if (loginStep === 2) { m.auth.push(Buffer.from(line, "base64").toString()); loginStep = 0; send("235 ok"); return; }
      const [verb, ...rest] = line.split(" ");
      switch (verb!.toUpperCase()) {
        case "EHLO":
          m.hello.push(rest.join(" "));
          send(`250-sink greets ${rest.join(" ")}`);
          if (opts.starttls && !m.tls) send("250-STARTTLS");
          send("250 AUTH PLAIN LOGIN");
          break;
        case "STARTTLS": {
          send("220 go ahead");
          raw.removeAllListeners("data");
          const t = new TLSSocket(raw, { isServer: true, key: opts.starttls!.key, cert: opts.starttls!.cert });
          t.on("data", onData);
          sock = t;
          m.tls = true;
          break;
        }
        case "AUTH":
          if (rest[0] === "PLAIN") { m.auth.push(Buffer.from(rest[1]!, "base64").toString()); send("235 ok"); }
          else { loginStep = 1; send("334 VXNlcm5hbWU6"); }
          break;
        case "MAIL": m.from = line.slice(10); send("250 ok"); break;
        case "RCPT": m.rcpt.push(line.slice(8)); send("250 ok"); break;
        case "DATA": inData = true; send("354 end with ."); break;
        case "QUIT": send("221 bye"); sock.end(); break;
        default: send("502 unknown");
      }
    };
    const onData = (d: Buffer) => {
      buf += d.toString("utf8");
      for (let i = buf.indexOf("\r\n"); i >= 0; i = buf.indexOf("\r\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        onLine(line);
      }
    };
    raw.on("data", onData);
    raw.on("error", () => {});
    send("220 sink ESMTP");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => server.close());
  return { addr: `127.0.0.1:${(server.address() as AddressInfo).port}`, mails };
}

const T = Date.UTC(2026, 10, 24, 16, 53, 10);
const msg: NotificationMessage = {
  receiver: "team-mail", status: "firing", groupLabels: { alertname: "HighLoad" }, commonLabels: { alertname: "HighLoad" },
  commonAnnotations: {}, externalURL: "http://am:9093", groupKey: '{}:{alertname="HighLoad"}', truncatedAlerts: 0,
  alerts: [{ status: "firing", labels: { alertname: "HighLoad", instance: "<b>a</b>" }, annotations: { summary: "load é" }, startsAt: T, endsAt: 0, generatorURL: "http://prom/g", fingerprint: "1" }],
};
const ctx = (config: unknown) => ({ config, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" }) as never;
const decodeQP = (s: string) => Buffer.from(s.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");

describe("email", () => {
  test("plain SMTP with AUTH PLAIN: headers, HTML (escaped) and text parts", async () => {
    const s = await smtpSink();
    const inst = await plugin.create(ctx({
      to: "Team <team@example.org>, oncall@example.org", from: "am@example.org", smarthost: s.addr, hello: "quiver.local",
      require_tls: false, auth_username: "u", auth_password: "p", text: "{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}",
    }));
    expect(await inst.notify(msg, AbortSignal.timeout(3000))).toEqual({ retry: false });
    const m = s.mails[0]!;
    expect(m.hello).toEqual(["quiver.local"]);
    expect(m.auth).toEqual(["\0u\0p"]);
    expect(m.from).toBe("<am@example.org>");
    expect(m.rcpt).toEqual(["<team@example.org>", "<oncall@example.org>"]);
    expect(m.data).toContain("Subject: [FIRING:1] HighLoad \r\n");
    expect(m.data).toContain("To: Team <team@example.org>, oncall@example.org\r\n");
    expect(m.data).toContain("MIME-Version: 1.0\r\n");
    expect(m.data).toMatch(/Content-Type: multipart\/alternative;  boundary=[0-9a-f]{32}/);
    const decoded = decodeQP(m.data);
    expect(decoded).toContain("Content-Type: text/plain; charset=UTF-8\r\n\r\nload é");
    expect(decoded).toContain("instance = &lt;b&gt;a&lt;/b&gt;");
    expect(decoded).not.toContain("<b>a</b>");
  });

  const cert = (() => {
    if (!existsSync("/usr/bin/openssl")) return null;
    const dir = mkdtempSync(join(tmpdir(), "quiver-smtp-"));
    execFileSync("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")), file: join(dir, "c.pem") };
  })();

  test.skipIf(!cert)("STARTTLS is used when offered (AUTH LOGIN after the upgrade)", async () => {
    const s = await smtpSink({ starttls: cert! });
    const inst = await plugin.create(ctx({ to: "a@b.c", from: "am@b.c", smarthost: s.addr, auth_username: "u", auth_password: "p", tls_config: { insecure_skip_verify: true } }));
    // The sink offers PLAIN and LOGIN; PLAIN is preferred.
    expect(await inst.notify(msg, AbortSignal.timeout(5000))).toEqual({ retry: false });
    expect(s.mails[0]!.tls).toBe(true);
    expect(s.mails[0]!.hello.length).toBe(2);
    expect(s.mails[0]!.auth).toEqual(["\0u\0p"]);
  });

  test("require_tls without STARTTLS fails permanently; 4xx replies are temporary", async () => {
    const s = await smtpSink();
    const inst = await plugin.create(ctx({ to: "a@b.c", from: "am@b.c", smarthost: s.addr }));
    const r = await inst.notify(msg, AbortSignal.timeout(3000));
    expect(r.retry).toBe(false);
    expect(r.error).toContain("does not advertise the STARTTLS extension");
    const t = await smtpSink({ reject: 451 });
    const r2 = await (await plugin.create(ctx({ to: "a@b.c", from: "am@b.c", smarthost: t.addr, require_tls: false }))).notify(msg, AbortSignal.timeout(3000));
    expect(r2.retry).toBe(true);
    expect(r2.error).toContain("451");
  });

  test("helpers and config errors", () => {
    expect(splitHostPort("[::1]:25")).toEqual({ host: "::1", port: 25 });
    expect(() => splitHostPort("mail")).toThrow("missing port");
    expect(addresses("A <a@x>, b@y")).toEqual(["a@x", "b@y"]);
    expect(quotedPrintable("a=b é")).toBe("a=3Db =C3=A9");
    expect(() => plugin.create(ctx({ from: "x@y", smarthost: "h:25" }))).toThrow("missing to address");
  });
});
