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
  key: Uint8Array;
  labels: Labels;
  /** Next entry with the same hash (collision chain). */
  next: Entry | undefined;
}

/** Hashes `buf[start, end)` (FNV-1a, 32 bits). */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(key: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  const n = key.length;
  if (n !== end - start) return false;
  for (let i = 0; i < n; i++) if (key[i] !== buf[start + i]) return false;
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

  /** The label set cached for `buf[start, end)` (whose {@link hashBytes} is `hash`), if any. */
  get(buf: Uint8Array, start: number, end: number, hash: number): Labels | undefined {
    for (let e = this.#map.get(hash); e; e = e.next) if (sameBytes(e.key, buf, start, end)) return e.labels;
    return undefined;
  }

  /** Caches `labels` for a copy of `buf[start, end)`; call only after {@link get} missed. */
  set(buf: Uint8Array, start: number, end: number, hash: number, labels: Labels): void {
    if (this.#size >= this.max) this.clear();
    const key = buf.slice(start, end);
    this.#map.set(hash, { key, labels, next: this.#map.get(hash) });
    this.#size++;
  }

  /** Drops every entry. */
  clear(): void {
    this.#map.clear();
    this.#size = 0;
  }
}
