import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { formatGoFloat } from "../../../core/exposition/float.ts";
import { writeOpenMetrics, writeText } from "../../../core/exposition/writer.ts";

const FAMILIES: MetricFamily[] = [
  {
    name: "http_requests", type: "counter", help: 'Requests "served"\\ \n total.', samples: [
      { name: "http_requests_total", labels: { code: "200", path: '/a"b\\c\nd' }, value: 1027, exemplar: { labels: { trace_id: "abc" }, value: 1, timestampMs: 1700000000123 } },
      { name: "http_requests_created", labels: { code: "200", path: '/a"b\\c\nd' }, value: 1.7e9 },
    ],
  },
  { name: "temp_celsius", type: "gauge", unit: "celsius", help: "t", samples: [{ name: "temp_celsius", labels: {}, value: -0.5e-7, timestampMs: 1700000000000 }] },
  {
    name: "lat_seconds", type: "histogram", help: "h", samples: [
      { name: "lat_seconds_bucket", labels: { le: "0.5" }, value: 1 }, { name: "lat_seconds_bucket", labels: { le: "+Inf" }, value: 2 },
      { name: "lat_seconds_sum", labels: {}, value: 1e6 }, { name: "lat_seconds_count", labels: {}, value: 2 },
    ],
  },
  {
    name: "queue", type: "gaugehistogram", help: "gh", samples: [
      { name: "queue_bucket", labels: { le: "+Inf" }, value: 2 }, { name: "queue_gsum", labels: {}, value: 3 }, { name: "queue_gcount", labels: {}, value: 2 },
    ],
  },
  { name: "build", type: "info", help: "b", samples: [{ name: "build_info", labels: { version: "1" }, value: 1 }] },
  { name: "state", type: "stateset", help: "s", samples: [{ name: "state", labels: { state: "a" }, value: 1 }, { name: "state", labels: { state: "b" }, value: 0 }] },
  {
    name: "rpc_seconds", type: "summary", help: "q", samples: [
      { name: "rpc_seconds", labels: { quantile: "0.5" }, value: NaN }, { name: "rpc_seconds_sum", labels: {}, value: Infinity },
      { name: "rpc_seconds_count", labels: {}, value: 3 },
    ],
  },
];

describe("formatGoFloat", () => {
  test.each([
    [0, "0"], [-0, "-0"], [1, "1"], [1.5, "1.5"], [123456, "123456"], [1e6, "1e+06"], [1757232, "1.757232e+06"],
    [8253509632, "8.253509632e+09"], [0.0001, "0.0001"], [0.00001, "1e-05"], [-5e-8, "-5e-08"], [1e21, "1e+21"],
    [1e100, "1e+100"], [NaN, "NaN"], [Infinity, "+Inf"], [-Infinity, "-Inf"], [0.1 + 0.2, "0.30000000000000004"],
  ])("%p → %s", (v, want) => {
    expect(formatGoFloat(v)).toBe(want);
  });
});

describe("writeText", () => {
  const out = writeText(FAMILIES);
  test("escapes HELP (backslash, newline only) and label values (backslash, quote, newline)", () => {
    expect(out).toContain('# HELP http_requests_total Requests "served"\\\\ \\n total.\n');
    expect(out).toContain('http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027\n');
  });
  test("uses the _total name for counters, drops _created and exemplars, writes ms timestamps", () => {
    expect(out).toContain("# TYPE http_requests_total counter\n");
    expect(out).not.toContain("_created");
    expect(out).not.toContain("trace_id");
    expect(out).toContain("temp_celsius -5e-08 1700000000000\n");
    expect(out).not.toContain("# UNIT");
  });
  test("maps OpenMetrics-only types", () => {
    expect(out).toContain("# TYPE build_info gauge\nbuild_info{version=\"1\"} 1\n");
    expect(out).toContain("# TYPE state gauge\n");
    expect(out).toContain("# TYPE queue histogram\nqueue_bucket{le=\"+Inf\"} 2\n# HELP queue_gsum gh\n# TYPE queue_gsum gauge\n");
    expect(out).toContain("rpc_seconds{quantile=\"0.5\"} NaN\nrpc_seconds_sum +Inf\n");
  });
  test("quotes UTF-8 names, or rewrites them with underscores on request", () => {
    const f: MetricFamily[] = [{ name: "my.metric", type: "gauge", samples: [{ name: "my.metric", labels: { "label.x": "v", ok: "1" }, value: 1 }] }];
    expect(writeText(f)).toBe('# TYPE "my.metric" gauge\n{"my.metric","label.x"="v",ok="1"} 1\n');
    expect(writeText(f, { escaping: "underscores" })).toBe('# TYPE my_metric gauge\nmy_metric{label_x="v",ok="1"} 1\n');
  });
  test("passes promtool check metrics", () => {
    if (!existsSync("/usr/bin/promtool")) {
      console.warn("promtool not found at /usr/bin/promtool: skipping the promtool check");
      return;
    }
    const r = spawnSync("/usr/bin/promtool", ["check", "metrics"], { input: out, encoding: "utf8" });
    expect(r.stderr + r.stdout).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("writeOpenMetrics", () => {
  const out = writeOpenMetrics(FAMILIES);
  test("ends with # EOF", () => {
    expect(out.endsWith("\n# EOF\n")).toBe(true);
  });
  test("names counters without _total, keeps _created, writes exemplars and second timestamps", () => {
    expect(out).toContain('# HELP http_requests Requests \\"served\\"\\\\ \\n total.\n# TYPE http_requests counter\n');
    expect(out).toContain('http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 # {trace_id="abc"} 1 1700000000.123\n');
    expect(out).toContain("http_requests_created{");
    expect(out).toContain("# UNIT temp_celsius celsius\ntemp_celsius -5e-08 1700000000\n");
    expect(out).toContain("# TYPE build info\nbuild_info{version=\"1\"} 1\n");
    expect(out).toContain("# TYPE queue gaugehistogram\n");
  });
  test("renames bare counter samples to _total", () => {
    const f: MetricFamily[] = [{ name: "jobs", type: "counter", samples: [{ name: "jobs", labels: {}, value: 3 }] }];
    expect(writeOpenMetrics(f)).toBe("# TYPE jobs counter\njobs_total 3\n# EOF\n");
    expect(writeText(f)).toBe("# TYPE jobs counter\njobs 3\n");
  });
});

describe("byte-exact output", () => {
  test("parse → writeText reproduces node_exporter 1.5.0's /metrics byte for byte", async () => {
    const { sharedPath } = await import("../../helpers/shared.ts");
    const { readFileSync } = await import("node:fs");
    const { parseToFamilies } = await import("../../../core/exposition/families.ts");
    const ref = sharedPath("reference-outputs", "node_exporter-1.5.0-metrics.txt");
    if (ref === null) return;
    const text = readFileSync(ref, "utf8");
    expect(writeText(parseToFamilies(text, "text", { normalizeFloatLabels: false }))).toBe(text);
  });
});
