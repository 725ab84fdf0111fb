/**
 * @module core/tsdb/block/ulid
 * ULIDs for block directories (26 Crockford base32 characters: 48-bit ms time + 80 random bits), as
 * Prometheus names blocks. The generator is monotonic: ids made within the same millisecond increase,
 * so block ids sort in creation order.
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Whether `s` looks like a ULID. */
export function isULID(s: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(s);
}

/** Makes monotonic ULIDs from an injectable clock. */
export class UlidGenerator {
  #lastMs = -1;
  #rand = new Uint8Array(10);
  constructor(readonly now: () => number = Date.now) {}

  /** A new ULID, greater than every one this generator made before. */
  next(): string {
    let ms = this.now();
    if (ms <= this.#lastMs) {
      ms = this.#lastMs;
      // increment the random part
      for (let i = 9; i >= 0; i--) {
        this.#rand[i] = (this.#rand[i]! + 1) & 0xff;
        if (this.#rand[i] !== 0) break;
      }
    } else {
      this.#rand = new Uint8Array(randomBytes(10));
      this.#rand[0]! &= 0x7f; // headroom for increments
    }
    this.#lastMs = ms;
    let out = "";
    let t = ms;
    const tc: string[] = [];
    for (let i = 0; i < 10; i++) {
      tc.push(ALPHABET[t % 32]!);
      t = Math.floor(t / 32);
    }
    out = tc.reverse().join("");
    // 80 bits → 16 chars of 5 bits
    let bits = 0, acc = 0;
    for (const b of this.#rand) {
      acc = (acc << 8) | b;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(acc >>> (bits - 5)) & 31];
        bits -= 5;
      }
      acc &= (1 << bits) - 1;
    }
    return out;
  }
}
