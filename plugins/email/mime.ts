/**
 * @module plugins/email/mime
 * MIME assembly for notification mails: headers (non-ASCII values as RFC 2047 encoded words),
 * multipart/alternative with text/plain and text/html parts in quoted-printable, CRLF line endings.
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";

/** Quoted-printable encoding (RFC 2045), 76-character lines. */
export function quotedPrintable(s: string): string {
  const bytes = new TextEncoder().encode(s.replace(/\r?\n/g, "\n"));
  const out: string[] = [];
  let line = "";
  const push = (tok: string) => {
    if (line.length + tok.length > 75) {
      out.push(line + "=");
      line = "";
    }
    line += tok;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 10) {
      // Encode trailing whitespace before a line break.
      if (line.endsWith(" ") || line.endsWith("\t")) line = line.slice(0, -1) + (line.endsWith(" ") ? "=20" : "=09");
      out.push(line);
      line = "";
      continue;
    }
    const printable = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9;
    push(printable ? String.fromCharCode(b) : "=" + b.toString(16).toUpperCase().padStart(2, "0"));
  }
  out.push(line);
  return out.join("\r\n");
}

/** Encodes a header value as an RFC 2047 word when it is not plain ASCII. */
export function encodeHeader(v: string): string {
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  return `=?UTF-8?b?${Buffer.from(v, "utf8").toString("base64")}?=`;
}

/** RFC 5322 date (Go's time.RFC1123Z). */
export function mailDate(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Builds the message. `headers` are already rendered; html/text may be empty (that part is left out). */
export function buildMime(headers: Record<string, string>, text: string, html: string, now: number, hostname: string): string {
  const boundary = randomBytes(16).toString("hex");
  const h: string[] = [];
  for (const [k, v] of Object.entries(headers)) h.push(`${k}: ${encodeHeader(v)}`);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "date")) h.push(`Date: ${mailDate(now)}`);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "message-id")) h.push(`Message-Id: <${now}.${randomBytes(8).toString("hex")}@${hostname}>`);
  h.push("MIME-Version: 1.0", `Content-Type: multipart/alternative;  boundary=${boundary}`);
  const parts: string[] = [];
  if (text) parts.push(`--${boundary}\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${quotedPrintable(text)}`);
  if (html) parts.push(`--${boundary}\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n${quotedPrintable(html)}`);
  return `${h.join("\r\n")}\r\n\r\n${parts.join("\r\n")}\r\n--${boundary}--\r\n`;
}
