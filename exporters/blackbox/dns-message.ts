/**
 * @module exporters/blackbox/dns-message
 * DNS wire format (RFC 1035): building a query, parsing a response (with name compression), and rendering
 * resource records exactly as Go's miekg/dns `RR.String()` does (`www.example.org.\t300\tIN\tA\t1.2.3.4`),
 * because blackbox.yml's validate_*_rrs regexps are written against that text. Also used by tests to
 * build answers for a loopback DNS responder.
 */
import { DNS_CLASSES, DNS_TYPES } from "./config.ts";

/** A resource record. `data` is the raw RDATA; `text` the rendered RDATA. */
export interface RR {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: Buffer;
  text: string;
  /** SOA serial, when type is SOA. */
  serial?: number;
}

/** A parsed message. */
export interface DNSMessage {
  id: number;
  flags: number;
  rcode: number;
  questions: { name: string; type: number; class: number }[];
  answer: RR[];
  authority: RR[];
  additional: RR[];
}

/** rcode names (miekg/dns RcodeToString). */
export const RCODES: Record<string, number> = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADSIG: 16, BADKEY: 17, BADTIME: 18,
};

const TYPE_NAMES = Object.fromEntries(Object.entries(DNS_TYPES).map(([k, v]) => [v, k])) as Record<number, string>;
const CLASS_NAMES = Object.fromEntries(Object.entries(DNS_CLASSES).map(([k, v]) => [v, k])) as Record<number, string>;

/** Encodes a domain name (absolute or relative, treated as absolute). */
export function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, "").split(".").filter((p) => p !== "");
  const out: number[] = [];
  for (const p of parts) {
    const b = Buffer.from(p, "utf8");
    if (b.length > 63) throw new Error(`DNS label too long in ${name}`);
    out.push(b.length, ...b);
  }
  out.push(0);
  return Buffer.from(out);
}

/** Builds a query message. */
export function buildQuery(id: number, name: string, type: number, klass: number, recursionDesired: boolean): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(recursionDesired ? 0x0100 : 0, 2);
  h.writeUInt16BE(1, 4);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(type, 0);
  q.writeUInt16BE(klass, 2);
  return Buffer.concat([h, encodeName(name), q]);
}

/** Reads a (possibly compressed) name at `off`; returns it with a trailing dot and the offset after it. */
export function readName(buf: Buffer, off: number): [string, number] {
  const labels: string[] = [];
  let end = -1;
  let jumps = 0;
  for (;;) {
    if (off >= buf.length) throw new Error("DNS name runs past the message");
    const len = buf[off]!;
    if (len === 0) {
      off++;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > 64) throw new Error("DNS name compression loop");
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | buf[off + 1]!;
      continue;
    }
    labels.push(buf.subarray(off + 1, off + 1 + len).toString("latin1").replace(/[. \\()";@$]/g, (c) => "\\" + c));
    off += 1 + len;
  }
  return [labels.length === 0 ? "." : labels.join(".") + ".", end >= 0 ? end : off];
}

function ip6(b: Buffer): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i).toString(16));
  // Compress the longest run of zero groups (RFC 5952), as Go's net.IP.String does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === "0") j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(":");
  return g.slice(0, best).join(":") + "::" + g.slice(best + bestLen).join(":");
}

function txtStrings(data: Buffer): string {
  const out: string[] = [];
  for (let p = 0; p < data.length; ) {
    const n = data[p]!;
    out.push('"' + data.subarray(p + 1, p + 1 + n).toString("latin1").replace(/["\\]/g, (c) => "\\" + c) + '"');
    p += 1 + n;
  }
  return out.join(" ");
}

/** Renders RDATA as miekg/dns does for common types; others as RFC 3597 `\# len hex`. */
function rdataText(msg: Buffer, off: number, len: number, type: number): { text: string; serial?: number } {
  const d = msg.subarray(off, off + len);
  switch (type) {
    case 1:
      return { text: [...d].join(".") };
    case 28:
      return { text: ip6(d) };
    case 2:
    case 5:
    case 12:
      return { text: readName(msg, off)[0] };
    case 15: {
      const pref = d.readUInt16BE(0);
      return { text: `${pref} ${readName(msg, off + 2)[0]}` };
    }
    case 16:
      return { text: txtStrings(d) };
    case 6: {
      const [mname, o1] = readName(msg, off);
      const [rname, o2] = readName(msg, o1);
      const n = [0, 4, 8, 12, 16].map((i) => msg.readUInt32BE(o2 + i));
      return { text: `${mname} ${rname} ${n.join(" ")}`, serial: n[0] };
    }
    case 33: {
      const [target] = readName(msg, off + 6);
      return { text: `${d.readUInt16BE(0)} ${d.readUInt16BE(2)} ${d.readUInt16BE(4)} ${target}` };
    }
    default:
      return { text: `\\# ${len} ${d.toString("hex")}` };
  }
}

/** miekg/dns RR.String(): `name\tttl\tCLASS\tTYPE\trdata`. */
export function rrString(rr: Omit<RR, "data">): string {
  const t = TYPE_NAMES[rr.type] ?? `TYPE${rr.type}`;
  const c = CLASS_NAMES[rr.class] ?? `CLASS${rr.class}`;
  return `${rr.name}\t${rr.ttl}\t${c}\t${t}\t${rr.text}`;
}

/** Parses a DNS message. @throws Error on truncated or malformed input. */
export function parseMessage(buf: Buffer): DNSMessage {
  if (buf.length < 12) throw new Error("DNS message shorter than its header");
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o)) as [number, number, number, number];
  let off = 12;
  const questions: DNSMessage["questions"] = [];
  for (let i = 0; i < counts[0]; i++) {
    const [name, o] = readName(buf, off);
    questions.push({ name, type: buf.readUInt16BE(o), class: buf.readUInt16BE(o + 2) });
    off = o + 4;
  }
  const section = (n: number): RR[] => {
    const out: RR[] = [];
    for (let i = 0; i < n; i++) {
      const [name, o] = readName(buf, off);
      const type = buf.readUInt16BE(o);
      const klass = buf.readUInt16BE(o + 2);
      const ttl = buf.readUInt32BE(o + 4);
      const len = buf.readUInt16BE(o + 8);
      if (o + 10 + len > buf.length) throw new Error("DNS record runs past the message");
      const { text, serial } = rdataText(buf, o + 10, len, type);
      out.push({ name, type, class: klass, ttl, data: buf.subarray(o + 10, o + 10 + len), text, ...(serial !== undefined ? { serial } : {}) });
      off = o + 10 + len;
    }
    return out;
  };
  const answer = section(counts[1]);
  const authority = section(counts[2]);
  const additional = section(counts[3]);
  return { id, flags, rcode: flags & 0xf, questions, answer, authority, additional };
}

/** Encodes one RR for building test responses (rdata given as raw bytes). */
export function encodeRR(name: string, type: number, klass: number, ttl: number, rdata: Buffer): Buffer {
  const h = Buffer.alloc(10);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(klass, 2);
  h.writeUInt32BE(ttl, 4);
  h.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), h, rdata]);
}
