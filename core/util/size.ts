/**
 * @module core/util/size
 * Byte sizes as Prometheus writes them (`512MB`, `1GB`; units B, KB, MB, GB, TB, PB, EB; base 1024).
 */

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6 };

/** Parses a size into bytes ("0" is 0). Throws Error with the offending text on bad input. */
export function parseSize(s: string): number {
  if (s.trim() === "0") return 0;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?B)$/i.exec(s.trim());
  if (!m) throw new Error(`not a valid size: ${JSON.stringify(s)} (want e.g. 512MB)`);
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
}
