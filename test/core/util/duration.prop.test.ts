import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { DurationError, formatDuration, parseDuration } from "../../../core/util/duration.ts";

describe("duration", () => {
  test.each([
    ["15s", 15_000], ["1m30s", 90_000], ["1h", 3_600_000], ["500ms", 500], ["2d", 172_800_000], ["1w", 604_800_000],
    ["1y", 31_536_000_000], ["1h30m", 5_400_000], ["0", 0], ["0s", 0],
  ])("parses %s", (s, ms) => expect(parseDuration(s)).toBe(ms));

  test.each(["", "1", "1.5s", "s", "1m1h", "-1s", "1hh", " 1s", "1S"])("rejects %p", (s) => {
    expect(() => parseDuration(s)).toThrow(DurationError);
    expect(() => parseDuration(s)).toThrow(`not a valid duration string: ${JSON.stringify(s)}`);
  });

  test("format → parse round-trips any non-negative ms", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });

  test("format is canonical: parse → format → parse is stable", () => {
    const unit = fc.constantFrom("y", "w", "d", "h", "m", "s", "ms");
    const dur = fc.array(fc.tuple(fc.integer({ min: 1, max: 99 }), unit), { minLength: 1, maxLength: 3 }).map((parts) => {
      const order = ["y", "w", "d", "h", "m", "s", "ms"];
      const seen = new Map<string, number>();
      for (const [n, u] of parts) seen.set(u, n);
      return order.filter((u) => seen.has(u)).map((u) => `${seen.get(u)}${u}`).join("");
    });
    fc.assert(fc.property(dur, (s) => {
      const ms = parseDuration(s);
      return parseDuration(formatDuration(ms)) === ms;
    }));
  });
});
