/**
 * @module core/model/fingerprint
 * Alertmanager's alert fingerprint (prometheus/common model.LabelSet.Fingerprint): 64-bit FNV-1a over the
 * label pairs sorted by name, each name and value followed by the 0xff separator byte, printed as 16
 * lowercase hex digits. Identical label sets from two HA Prometheus replicas get the same fingerprint,
 * which is what deduplicates them.
 */

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const enc = new TextEncoder();

/** FNV-1a 64 of the label set; returns the numeric fingerprint. */
export function fingerprintBigInt(labels: Readonly<Record<string, string>>): bigint {
  let h = OFFSET;
  const names = Object.keys(labels).filter((n) => labels[n] !== "").sort();
  const step = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  };
  const sep = new Uint8Array([0xff]);
  for (const n of names) {
    step(enc.encode(n));
    step(sep);
    step(enc.encode(labels[n]!));
    step(sep);
  }
  return h;
}

/**
 * The fingerprint as Alertmanager prints it (16 lowercase hex digits).
 * @example fingerprint({ alertname: "X" })
 */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  return fingerprintBigInt(labels).toString(16).padStart(16, "0");
}
