/**
 * @module core/api/bcrypt
 * bcrypt password verification in plain TypeScript (no runtime-specific API), for the
 * `basic_auth_users` of --web.config.file, whose values are bcrypt hashes as Prometheus's
 * exporter-toolkit expects (`$2a$`, `$2b$`, `$2y$`, cost 4–31).
 *
 * Blowfish's initial P-array and S-boxes are the hexadecimal digits of π; instead of a 1,042-word table
 * they are computed once, on first use, with Machin's formula in BigInt fixed point (a few ms).
 * Verification costs 2^cost key-schedule rounds (cost 10: roughly 0.1 s); callers should cache
 * successful checks (web-config does). The comparison of the final hash is constant-time.
 */

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HASH_RE = /^\$2[aby]?\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

let PI_WORDS: Uint32Array | null = null;

/** The first 1,042 32-bit words of π's fractional hex digits (Blowfish's P-array then S-boxes). */
function piWords(): Uint32Array {
  if (PI_WORDS) return PI_WORDS;
  const words = 18 + 1024;
  const bits = BigInt(words * 32 + 64);
  const one = 1n << bits;
  const arctanInv = (x: bigint): bigint => {
    // arctan(1/x) = Σ (-1)^k / ((2k+1) x^(2k+1)), in fixed point.
    let term = one / x;
    const x2 = x * x;
    let sum = term;
    for (let k = 1n; term !== 0n; k++) {
      term /= x2;
      const t = term / (2n * k + 1n);
      sum = k % 2n === 1n ? sum - t : sum + t;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  const frac = pi & (one - 1n);
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = Number((frac >> (bits - 32n * BigInt(i + 1))) & 0xffffffffn);
  PI_WORDS = out;
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const w = piWords();
    this.p = w.slice(0, 18);
    this.s = w.slice(18);
  }

  /** Encrypts the block (l, r) in place in `lr`. */
  encrypt(lr: Uint32Array): void {
    const p = this.p, s = this.s;
    let l = lr[0]!, r = lr[1]!;
    for (let i = 0; i < 16; i += 2) {
      l ^= p[i]!;
      r ^= (((s[l >>> 24]! + s[256 | ((l >>> 16) & 0xff)]!) ^ s[512 | ((l >>> 8) & 0xff)]!) + s[768 | (l & 0xff)]!);
      r ^= p[i + 1]!;
      l ^= (((s[r >>> 24]! + s[256 | ((r >>> 16) & 0xff)]!) ^ s[512 | ((r >>> 8) & 0xff)]!) + s[768 | (r & 0xff)]!);
    }
    lr[0] = r ^ p[17]!;
    lr[1] = l ^ p[16]!;
  }

  /** Blowfish's key expansion with an optional salt (bcrypt's ExpandKey). */
  expand(key: Uint8Array, salt: Uint8Array | null): void {
    let kp = 0;
    const next = (buf: Uint8Array, pos: { i: number }) => {
      let w = 0;
      for (let j = 0; j < 4; j++) {
        w = ((w << 8) | buf[pos.i]!) >>> 0;
        pos.i = (pos.i + 1) % buf.length;
      }
      return w;
    };
    const kpos = { i: kp };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ next(key, kpos)) >>> 0;
    kp = kpos.i;
    const spos = { i: 0 };
    const lr = new Uint32Array(2);
    const fill = (arr: Uint32Array) => {
      for (let i = 0; i < arr.length; i += 2) {
        if (salt) {
          lr[0] = lr[0]! ^ next(salt, spos);
          lr[1] = lr[1]! ^ next(salt, spos);
        }
        this.encrypt(lr);
        arr[i] = lr[0]!;
        arr[i + 1] = lr[1]!;
      }
    };
    fill(this.p);
    fill(this.s);
  }
}

function decodeBase64(s: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let bits = 0, acc = 0, o = 0;
  for (const ch of s) {
    acc = (acc << 6) | BCRYPT_ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o < n) out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

function encodeBase64(b: Uint8Array): string {
  let out = "", acc = 0, bits = 0;
  for (const x of b) {
    acc = ((acc << 8) | x) & 0xffffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BCRYPT_ALPHABET[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += BCRYPT_ALPHABET[(acc << (6 - bits)) & 63];
  return out;
}

/** Computes the 31-character bcrypt hash part for a password, cost and 16-byte salt. */
function bcryptRaw(password: string, cost: number, salt: Uint8Array): string {
  const pw = new TextEncoder().encode(password);
  const key = new Uint8Array(Math.min(pw.length + 1, 72));
  key.set(pw.subarray(0, key.length));
  const bf = new Blowfish();
  bf.expand(key, salt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    bf.expand(key, null);
    bf.expand(salt, null);
  }
  const text = new TextEncoder().encode("OrpheanBeholderScryDoubt");
  const words = new Uint32Array(6);
  for (let i = 0; i < 6; i++) words[i] = ((text[4 * i]! << 24) | (text[4 * i + 1]! << 16) | (text[4 * i + 2]! << 8) | text[4 * i + 3]!) >>> 0;
  const lr = new Uint32Array(2);
  for (let j = 0; j < 3; j++) {
    lr[0] = words[2 * j]!;
    lr[1] = words[2 * j + 1]!;
    for (let i = 0; i < 64; i++) bf.encrypt(lr);
    words[2 * j] = lr[0]!;
    words[2 * j + 1] = lr[1]!;
  }
  const bytes = new Uint8Array(24);
  for (let i = 0; i < 6; i++) {
    bytes[4 * i] = words[i]! >>> 24;
    bytes[4 * i + 1] = (words[i]! >>> 16) & 0xff;
    bytes[4 * i + 2] = (words[i]! >>> 8) & 0xff;
    bytes[4 * i + 3] = words[i]! & 0xff;
  }
  return encodeBase64(bytes.subarray(0, 23));
}

/** Whether `hash` looks like a bcrypt hash this module can verify. */
export function isBcryptHash(hash: string): boolean {
  const m = HASH_RE.exec(hash);
  return m !== null && Number(m[1]) >= 4 && Number(m[1]) <= 31;
}

/**
 * Verifies `password` against a bcrypt `hash`. Returns false for a wrong password or a malformed hash.
 * CPU-bound: blocks for 2^cost key-schedule rounds.
 */
export function verifyBcrypt(password: string, hash: string): boolean {
  const m = HASH_RE.exec(hash);
  if (!m) return false;
  const cost = Number(m[1]);
  if (cost < 4 || cost > 31) return false;
  const salt = decodeBase64(m[2]!, 16);
  const got = bcryptRaw(password, cost, salt);
  const want = m[3]!;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= got.charCodeAt(i) ^ want.charCodeAt(i);
  return diff === 0 && got.length === want.length;
}
