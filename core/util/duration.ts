/**
 * @module core/util/duration
 * Prometheus durations: `1h30m`, `15s`, `500ms`, `2d`, `1w`, `1y` (units y, w, d, h, m, s, ms, each at
 * most once, in that order). Values are milliseconds.
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["y", 365 * 24 * 3600_000], ["w", 7 * 24 * 3600_000], ["d", 24 * 3600_000], ["h", 3600_000],
  ["m", 60_000], ["s", 1000], ["ms", 1],
];
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Raised for a malformed duration; message matches Prometheus's `not a valid duration string: "x"`. */
export class DurationError extends Error {
  constructor(readonly input: string) {
    super(`not a valid duration string: ${JSON.stringify(input)}`);
    this.name = "DurationError";
  }
}

/**
 * Parses a Prometheus duration into milliseconds. "0" is accepted. Throws {@link DurationError}.
 * @example parseDuration("1m30s") // 90000
 */
export function parseDuration(s: string): number {
  if (s === "0") return 0;
  if (s === "") throw new DurationError(s);
  const m = DURATION_RE.exec(s);
  if (!m) throw new DurationError(s);
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * UNITS[i]![1];
  }
  if (!Number.isSafeInteger(ms)) throw new DurationError(s);
  return ms;
}

/**
 * Formats milliseconds as Prometheus does (largest units first, zero parts omitted, "0s" for zero).
 * @example formatDuration(5400000) // "1h30m"
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let out = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
