/**
 * Tests of the browser modules' pure logic (run in Bun, no DOM): the PromQL tokenizer and completion
 * context, URL state of the query page (Prometheus's g0.* parameters), matrix-to-chart layout, the
 * legend template, number/duration formatting, and the node dashboard's queries.
 */
import { describe, expect, test } from "bun:test";
// @ts-ignore browser ES modules (JSDoc-typed .js)
import { completionContext, lex } from "../../../core/ui/static/js/lib/promql-lex.js";
// @ts-ignore
import { encodeState, parseState } from "../../../core/ui/static/js/pages/query.js";
// @ts-ignore
import { legendFormat, matrixToSeries } from "../../../core/ui/static/js/lib/chart.js";
// @ts-ignore
import { formatDurationSec, formatTicks, formatValue, parseDurationSec, parseUtc, formatUtc, formatSeries } from "../../../core/ui/static/js/lib/dom.js";
// @ts-ignore
import { nodePanels, nodeSelector, nodeStats, overviewColumns } from "../../../core/ui/static/js/lib/node-panels.js";
import { parseExpr } from "../../../core/promql/parser/index.ts";

describe("promql-lex", () => {
  const fns = new Set(["rate", "histogram_quantile"]);
  const src = 'sum by (job) (rate(http_requests_total{code=~"5..", job!="a"}[5m] offset 1h)) / 2e3 # note';

  test("tokens cover the input exactly", () => {
    const toks = lex(src, fns) as { text: string; start: number; end: number }[];
    expect(toks.map((t) => t.text).join("")).toBe(src);
    for (let i = 1; i < toks.length; i++) expect(toks[i]!.start).toBe(toks[i - 1]!.end);
  });

  test("token types", () => {
    const types = Object.fromEntries((lex(src, fns) as { type: string; text: string }[]).filter((t) => t.type !== "ws").map((t) => [t.text, t.type]));
    expect(types).toMatchObject({
      sum: "aggregation", by: "keyword", job: "label", rate: "function", http_requests_total: "ident", code: "label",
      "=~": "op", '"5.."': "string", "5m": "duration", offset: "keyword", "1h": "duration", "2e3": "number", "# note": "comment",
    });
  });

  test("never throws on junk", () => {
    for (const s of ['"unterminated', "{{{", "]]]", "sum(", "a{b=", "@@@", "\\", "`raw", "0x1f", ".5"]) {
      expect((lex(s) as { text: string }[]).map((t) => t.text).join("")).toBe(s);
    }
  });

  test.each([
    ["rat", { kind: "metricOrFunction", prefix: "rat", from: 0 }],
    ["sum(node_cp", { kind: "metricOrFunction", prefix: "node_cp", from: 4 }],
    ["up{", { kind: "labelName", metric: "up", prefix: "", from: 3 }],
    ["up{jo", { kind: "labelName", metric: "up", prefix: "jo", from: 3 }],
    ['up{job="a", ins', { kind: "labelName", metric: "up", prefix: "ins", from: 12 }],
    ["up{job=", { kind: "labelValue", metric: "up", label: "job", prefix: "", from: 7 }],
    ['up{job=~"no', { kind: "labelValue", metric: "up", label: "job", prefix: "no", quote: '"', from: 8 }],
    ['{job="a",instance!="b', { kind: "labelValue", metric: undefined, label: "instance", prefix: "b" }],
    ["sum by (", { kind: "labelName", prefix: "" }],
    ["sum without (ins", { kind: "labelName", prefix: "ins" }],
    ["a / on(jo", { kind: "labelName", prefix: "jo" }],
    ["rate(x[", { kind: "duration", prefix: "" }],
    ["rate(x[5", { kind: "none" }],
    ['"abc', { kind: "none" }],
    ["# comm", { kind: "none" }],
  ])("completionContext(%p)", (s, want) => {
    expect(completionContext(s, s.length)).toMatchObject(want);
  });
});

describe("query page URL state", () => {
  test("round trip with Prometheus's parameter names", () => {
    const panels = [
      { expr: 'rate(x{a="b"}[5m])', tab: "graph", stacked: true, range: "6h", end: "2026-11-24 12:00:00", moment: "", step: "30" },
      { expr: "up", tab: "table", stacked: false, range: "1h", end: "", moment: "2026-11-24 10:00:00", step: "" },
    ];
    const q = encodeState(panels);
    expect(q.get("g0.expr")).toBe('rate(x{a="b"}[5m])');
    expect(q.get("g0.tab")).toBe("0");
    expect(q.get("g0.stacked")).toBe("1");
    expect(q.get("g0.range_input")).toBe("6h");
    expect(q.get("g1.tab")).toBe("1");
    expect(q.get("g1.moment_input")).toBe("2026-11-24 10:00:00");
    expect(parseState(new URLSearchParams(q.toString()))).toEqual(panels);
  });

  test("reads a Prometheus link", () => {
    const st = parseState(new URLSearchParams("g0.expr=up&g0.tab=0&g0.stacked=0&g0.range_input=1h&g0.show_exemplars=0"));
    expect(st).toEqual([{ expr: "up", tab: "graph", stacked: false, range: "1h", end: "", moment: "", step: "" }]);
    expect(parseState(new URLSearchParams(""))).toEqual([]);
  });
});

describe("chart data", () => {
  test("matrix samples land on the step grid; gaps and non-finite values are null", () => {
    const { xs, series } = matrixToSeries([
      { metric: { __name__: "up", job: "a" }, values: [[100, "1"], [110, "NaN"], [130, "+Inf"], [140, "2.5"]] },
      { metric: { job: "b" }, values: [[120, "-3"]] },
    ], 100, 140, 10);
    expect(xs).toEqual([100, 110, 120, 130, 140]);
    expect(series).toEqual([
      { label: 'up{job="a"}', values: [1, null, null, null, 2.5] },
      { label: '{job="b"}', values: [null, null, -3, null, null] },
    ]);
  });

  test("legendFormat fills {{label}} placeholders", () => {
    expect(legendFormat("{{ device }} read {{missing}}", { device: "sda" })).toBe("sda read ");
  });
});

describe("formatting", () => {
  test.each([
    [1536, "bytes", "1.5 KiB"], [0, "bytes", "0 B"], [1048576 * 3.25, "Bps", "3.25 MiB/s"], [42.123, "percent", "42.1%"],
    [1234567, "", "1.23M"], [0.0001, "", "1.00e-4"], [-2500, "", "-2.5k"], [Infinity, "", "Inf"], [90061.4, "seconds", "1d1h1m1s"],
  ])("formatValue(%p, %p) = %p", (v, u, want) => {
    expect(formatValue(v, u)).toBe(want);
  });

  test("formatTicks adds digits until ticks differ", () => {
    expect(formatTicks([68.92, 68.94, 68.96], "percent")).toEqual(["68.92%", "68.94%", "68.96%"]);
    expect(formatTicks([0, 50, 100], "percent")).toEqual(["0%", "50%", "100%"]);
  });

  test("durations", () => {
    expect(parseDurationSec("1h30m")).toBe(5400);
    expect(parseDurationSec("500ms")).toBe(0.5);
    expect(parseDurationSec("15")).toBe(15);
    expect(parseDurationSec("1x")).toBeNull();
    expect(parseDurationSec("")).toBeNull();
    expect(formatDurationSec(5400)).toBe("1h30m");
    expect(formatDurationSec(0.25)).toBe("250ms");
  });

  test("UTC times round trip", () => {
    const ms = Date.UTC(2026, 10, 24, 19, 5, 7);
    expect(formatUtc(ms)).toBe("2026-11-24 19:05:07");
    expect(parseUtc("2026-11-24 19:05:07")).toBe(ms);
    expect(parseUtc("2026-11-24T19:05")).toBe(Date.UTC(2026, 10, 24, 19, 5));
    expect(parseUtc("yesterday")).toBeNull();
  });

  test("series names", () => {
    expect(formatSeries({ __name__: "up" })).toBe("up");
    expect(formatSeries({ __name__: "up", job: 'a"b' })).toBe('up{job="a\\"b"}');
  });
});

describe("node dashboard queries", () => {
  const sel = nodeSelector({ instance: 'h"1:9100', job: "node" });

  test("selector quotes label values", () => {
    expect(sel).toBe('instance="h\\"1:9100",job="node"');
  });

  test("every panel and stat query parses with the engine's parser and uses node_exporter names", () => {
    const panels = nodePanels(sel, "1m") as { title: string; queries: { expr: string }[] }[];
    const stats = nodeStats(sel) as { expr: string }[];
    const overview = overviewColumns("1m") as { expr: string }[];
    const exprs = [...panels.flatMap((p) => p.queries.map((q) => q.expr)), ...stats.map((s) => s.expr), ...overview.map((c) => c.expr)];
    for (const e of exprs) expect(() => parseExpr(e)).not.toThrow();
    const all = exprs.join("\n");
    for (const name of ["node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes", "node_load1", "node_load5",
      "node_load15", "node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_disk_read_bytes_total", "node_disk_written_bytes_total",
      "node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_boot_time_seconds"]) {
      expect(all).toContain(name);
    }
    expect(panels.map((p) => p.title).join(" ")).toMatch(/CPU.*Memory.*Load.*Filesystem.*Disk.*Network/);
  });
});

describe("parse error positions", () => {
  test.each([
    ["1:15: parse error: unclosed left parenthesis", "sum(node_load1", 14],
    ["2:3: parse error: unexpected character", "sum(\n  @x)", 7],
    ["parse error at char 5: unexpected end of input", "rate(", 4],
    ["invalid parameter \"query\": 1:38: parse error: unexpected <by> in aggregation", "sum(rate(node_cpu_seconds_total[1m]) by", 37],
    ["bad_data: something else", "up", null],
  ])("errorOffset(%p)", async (msg, src, want) => {
    // @ts-ignore browser module
    const { errorOffset } = await import("../../../core/ui/static/js/lib/editor.js");
    expect(errorOffset(msg, src)).toBe(want);
  });
});
