import { describe, expect, test } from "bun:test";
import { parseScript } from "../../../../core/promql/promqltest/script.ts";
import { expandValues } from "../../../../core/promql/promqltest/values.ts";

describe("promqltest script format", () => {
  test("a line after a comment that ends a body is a new command", () => {
    expect(() => parseScript("eval instant at 0 1\n# c\n  1")).toThrow('line 3: unknown command "1"');
  });

  test("value expansion", () => {
    const vals = (s: string) => expandValues(s).map((v) => (v.kind === "float" ? v.v : v.kind));
    expect(vals("1 _ 3 stale")).toEqual([1, "none", 3, "stale"]);
    expect(vals("0+10x3")).toEqual([0, 10, 20, 30]);
    expect(vals("5-1x2")).toEqual([5, 4, 3]);
    expect(vals("_x3 7x1")).toEqual(["none", "none", "none", 7, 7]);
    expect(vals("-Inf NaN 1e3")).toEqual([-Infinity, NaN, 1000]);
    expect(vals("{{schema:1 sum:2 buckets:[1 2]}}x1")).toEqual(["histogram", "histogram"]);
  });

  test("commands, bodies and expectations", () => {
    const cmds = parseScript([
      "# comment",
      "load 5m",
      '  foo{a="b"} 1 2 3',
      "",
      "eval instant at 10m foo",
      "  expect warn msg: something",
      "  expect ordered",
      '  foo{a="b"} 3',
      "",
      "clear",
      "eval range from 0 to 10m step 5m foo",
      "  {} 1 _ 3",
      "# ends the body",
    ].join("\n"));
    expect(cmds.map((c) => c.type)).toEqual(["load", "eval", "clear", "eval"]);
    const ev = cmds[1]!;
    if (ev.type !== "eval") throw new Error("not an eval");
    expect(ev.atMs).toBe(600_000);
    expect(ev.expects).toEqual([{ kind: "warn", msg: "something" }, { kind: "ordered" }]);
    expect(ev.series).toEqual(['foo{a="b"} 3']);
    const rg = cmds[3]!;
    if (rg.type !== "eval") throw new Error("not an eval");
    expect(rg.instant).toBe(false);
    expect(rg.series).toEqual(["{} 1 _ 3"]);
  });
});
