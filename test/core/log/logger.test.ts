import { describe, expect, test } from "bun:test";
import { createLogger, toLogfmt } from "../../../core/log/logger.ts";

describe("logger", () => {
  test("logfmt lines in slog shape, with levels filtered", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", write: (l) => lines.push(l), now: () => 0 });
    log.debug("hidden");
    log.child({ component: "tsdb" }).info("Head GC completed", { duration: "1.5ms", msg2: "a b" });
    expect(lines).toEqual(['time=1970-01-01T00:00:00.000Z level=INFO component=tsdb msg="Head GC completed" duration=1.5ms msg2="a b"']);
  });

  test("json format", () => {
    const lines: string[] = [];
    createLogger({ format: "json", write: (l) => lines.push(l), now: () => 0 }).error("boom", { err: new Error("x") });
    expect(JSON.parse(lines[0]!)).toEqual({ time: "1970-01-01T00:00:00.000Z", level: "ERROR", msg: "boom", err: "x" });
  });

  test("logfmt quoting", () => {
    expect(toLogfmt({ a: "", b: 'x"y', c: "k=v", d: 3 })).toBe('a="" b="x\\"y" c="k=v" d=3');
  });
});
