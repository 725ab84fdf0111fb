/**
 * @module core/remote/proto/label-cache
 * A bounded cache of decoded label sets keyed by the raw protobuf bytes of a series' label fields.
 * Remote-write senders repeat the same series in every request; a hit skips decoding, sorting and
 * validating the labels, and costs one hash and one byte comparison over the label bytes (no string
 * is built).
 *
 * Invariants: an entry owns a private copy of its key bytes (the request buffer may be reused); a hit
 * requires byte equality, never only an equal hash; the cache holds at most `max` entries and is
 * cleared when full (bounds memory under series churn).
 */
import type { Labels } from "../../model/labels.ts";

/** Entries of a label cache before it is cleared (bounds memory on series churn). */
export const MAX_LABEL_CACHE = 1 << 20;

interface Entry {
  /** A private copy of the key bytes. */
  key: DataView;
  labels: Labels;
  /** Next entry with the same hash (collision chain). */
  next: Entry | undefined;
}

/** Hashes bytes [start, end) of `v` (32-bit words mixed as in MurmurHash3, then the tail bytes). */
export function hashBytes(v: DataView, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = Math.imul(v.getUint32(i, true), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  for (; i < end; i++) h = Math.imul(h ^ v.getUint8(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function sameBytes(key: DataView, v: DataView, start: number, end: number): boolean {
  const n = key.byteLength;
  if (n !== end - start) return false;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (key.getUint32(i) !== v.getUint32(start + i)) return false;
  for (; i < n; i++) if (key.getUint8(i) !== v.getUint8(start + i)) return false;
  return true;
}

/** Label sets by the raw bytes of their (contiguous) Label fields. */
export class RawLabelCache {
  #map = new Map<number, Entry>();
  #size = 0;

  /** @param max entries before the cache is cleared. */
  constructor(readonly max: number = MAX_LABEL_CACHE) {}

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  /** The label set cached for bytes [start, end) of `v` (whose {@link hashBytes} is `hash`), if any. */
  get(v: DataView, start: number, end: number, hash: number): Labels | undefined {
    for (let e = this.#map.get(hash); e; e = e.next) if (sameBytes(e.key, v, start, end)) return e.labels;
    return undefined;
  }

  /** Caches `labels` for a copy of bytes [start, end) of `v`; call only after {@link get} missed. */
  set(v: DataView, start: number, end: number, hash: number, labels: Labels): void {
    if (this.#size >= this.max) this.clear();
    const copy = new Uint8Array(v.buffer, v.byteOffset + start, end - start).slice();
    this.#map.set(hash, { key: new DataView(copy.buffer), labels, next: this.#map.get(hash) });
    this.#size++;
  }

  /** Drops every entry. */
  clear(): void {
    this.#map.clear();
    this.#size = 0;
  }
}
