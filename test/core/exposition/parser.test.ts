import { describe, expect, test } from "bun:test";
import {
  canonicalFloatLabel,
  createParser,
  createParserForContentType,
  ExpositionParseError,
  parseFloatToken,
  parseToFamilies,
  type ExpositionParser,
} from "../../../core/exposition/index.ts";

function entries(p: ExpositionParser): unknown[] {
  const out: unknown[] = [];
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e === "series") out.push({ key: p.seriesKey(), name: p.metricName(), labels: p.labels(), v: p.value, t: p.timestampMs, type: p.sampleType() });
    else if (e === "help") out.push({ help: p.metaName(), text: p.helpText() });
    else if (e === "type") out.push({ type: p.metaName(), is: p.metricType() });
    else out.push({ unit: p.metaName(), is: p.unit() });
  }
  return out;
}

function errorOf(fn: () => unknown): ExpositionParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExpositionParseError) return e;
    throw e;
  }
  throw new Error("expected an ExpositionParseError");
}

describe("pull API", () => {
  test("series key is the raw name{labels} text; labels come out in exposition order", () => {
    const p = createParser('# TYPE x_total counter\nx_total{b="2",a="1"} 5 1700000000000\nx_total 6\n', "text");
    expect(entries(p)).toEqual([
      { type: "x_total", is: "counter" },
      { key: 'x_total{b="2",a="1"}', name: "x_total", labels: { b: "2", a: "1" }, v: 5, t: 1700000000000, type: "counter" },
      { key: "x_total", name: "x_total", labels: {}, v: 6, t: undefined, type: "counter" },
    ]);
  });

  test("forEachLabel and labelCount avoid building objects", () => {
    const p = createParser('m{a="x\\"y",b="z"} 1\n', "text");
    expect(p.next()).toBe("series");
    const seen: string[] = [];
    p.forEachLabel((n, v) => seen.push(`${n}=${v}`));
    expect(seen).toEqual(['a=x"y', "b=z"]);
    expect(p.labelCount()).toBe(2);
    expect(p.next()).toBeNull();
  });

  test("UTF-8 quoted names (Prometheus 3) in both formats", () => {
    const text = '# HELP "my.metric" Dotted.\n# TYPE "my.metric" gauge\n{"my.metric", "label.x"="v", plain="p"} 1\n';
    expect(entries(createParser(text, "text"))).toEqual([
      { help: "my.metric", text: "Dotted." },
      { type: "my.metric", is: "gauge" },
      { key: '{"my.metric", "label.x"="v", plain="p"}', name: "my.metric", labels: { "label.x": "v", plain: "p" }, v: 1, t: undefined, type: "gauge" },
    ]);
    const om = '# TYPE "my.metric" gauge\n{"my.metric","label.x"="v"} 1\n# EOF\n';
    expect(parseToFamilies(om, "openmetrics", { strict: true })).toEqual([
      { name: "my.metric", type: "gauge", samples: [{ name: "my.metric", labels: { "label.x": "v" }, value: 1 }] },
    ]);
  });

  test("le and quantile are canonicalised only inside typed histogram/summary families", () => {
    const text = [
      "# TYPE h histogram", 'h_bucket{le="1"} 0', 'h_bucket{le="1e3"} 1', 'h_bucket{le="1000000"} 1', 'h_bucket{le="+Inf"} 2',
      "# TYPE s summary", 's{quantile=".5"} 3', "# TYPE u untyped", 'u_bucket{le="1"} 4', "",
    ].join("\n");
    const fams = parseToFamilies(text, "text");
    expect(fams[0]!.samples.map((s) => s.labels.le)).toEqual(["1.0", "1000.0", "1e+06", "+Inf"]);
    expect(fams[1]!.samples[0]!.labels.quantile).toBe("0.5");
    expect(fams[2]!.samples[0]!.labels.le).toBe("1");
    expect(parseToFamilies(text, "text", { normalizeFloatLabels: false })[0]!.samples[0]!.labels.le).toBe("1");
  });

  test("OpenMetrics: timestamps in seconds become ms, exemplars are read lazily", () => {
    const p = createParser('# TYPE c counter\nc_total 1 1.5 # {trace_id="x"} 0.25 2.001\nc_created 10\n# EOF', "openmetrics");
    expect(p.next()).toBe("type");
    expect(p.next()).toBe("series");
    expect(p.timestampMs).toBe(1500);
    expect(p.exemplar()).toEqual({ labels: { trace_id: "x" }, value: 0.25, timestampMs: 2001 });
    expect(p.sampleType()).toBe("counter");
    expect(p.next()).toBe("series");
    expect(p.exemplar()).toBeUndefined();
    expect(p.next()).toBeNull();
    expect(p.next()).toBeNull();
  });

  test("createParserForContentType picks by Content-Type and falls back to text", () => {
    const om = "a 1\n# EOF\n";
    expect(entries(createParserForContentType(om, "application/openmetrics-text; version=1.0.0"))).toHaveLength(1);
    expect(() => entries(createParserForContentType("a 1\n", "application/openmetrics-text"))).toThrow('must end with "# EOF"');
    expect(entries(createParserForContentType("a 1\n", ""))).toHaveLength(1);
    expect(() => createParserForContentType("a 1\n", "", { fallback: null })).toThrow("blank Content-Type");
  });
});

describe("scraper vs strict behaviour", () => {
  test("text: the scraper keeps unknown escapes and accepts a missing final newline; strict does not", () => {
    const text = 'm{a="x\\ty"} 1';
    expect(parseToFamilies(text, "text")[0]!.samples[0]!.labels.a).toBe("x\\ty");
    const e = errorOf(() => parseToFamilies(text, "text", { strict: true }));
    expect([e.line, e.column]).toEqual([1, 7]);
    expect(e.message).toContain("invalid escape sequence");
  });

  test("text: repeated TYPE is fine for the scraper, an error for strict", () => {
    const text = "# TYPE m gauge\n# TYPE m gauge\nm 1\n";
    expect(parseToFamilies(text, "text")).toHaveLength(1);
    expect(errorOf(() => parseToFamilies(text, "text", { strict: true })).message).toBe('line 2, column 1: second TYPE line for metric name "m", or TYPE reported after samples');
  });

  test("OpenMetrics: semantic rules only in strict mode", () => {
    const text = "# TYPE c counter\nc_total -1\n# EOF\n";
    expect(parseToFamilies(text, "openmetrics")[0]!.samples[0]!.value).toBe(-1);
    expect(errorOf(() => parseToFamilies(text, "openmetrics", { strict: true })).message).toBe("line 2, column 1: c_total value -1 is negative");
  });

  test("errors name the line and column of the problem", () => {
    const e = errorOf(() => parseToFamilies('ok 1\nbad{x="1" y="2"} 1\n', "text"));
    expect(e.message).toBe('line 2, column 11: expected "," or "}" after label value, found "y=\\"2\\"} 1"');
    expect(errorOf(() => parseToFamilies("a 1\n\n# EOF\n", "openmetrics")).message).toBe("line 2, column 1: blank lines are not allowed in OpenMetrics");
    expect(errorOf(() => parseToFamilies("a 1 2 3\n", "text")).column).toBe(7);
  });

  test("duplicate label names and __name__ are rejected", () => {
    expect(errorOf(() => parseToFamilies('m{a="1",a="2"} 1\n', "text")).message).toContain('duplicate label name "a"');
    expect(errorOf(() => parseToFamilies('m{__name__="x"} 1\n', "text")).message).toContain("__name__");
  });
});

describe("numbers", () => {
  test.each([
    ["1", 1], ["-1.5", -1.5], ["08", 8], [".5", 0.5], ["5.", 5], ["1e3", 1000], ["1.7560473e+06", 1756047.3], ["+Inf", Infinity],
    ["-inf", -Infinity], ["Infinity", Infinity], ["NaN", NaN], ["nan", NaN], ["12345678901234567890", 12345678901234567890],
    ["0.1", 0.1], ["-0", -0],
  ] as const)("%s parses", (s, v) => {
    expect(parseFloatToken(s, 0, s.length)).toBe(v);
  });
  test.each(["", "-", "0x10", "1_000", "1e", "e3", "1.2.3", "+NaN", "abc", "1e+", ".", "0x1p-3"])("%p is rejected", (s) => {
    expect(parseFloatToken(s, 0, s.length)).toBeUndefined();
  });
  test.each([["1", "1.0"], ["0", "0.0"], [".5", "0.5"], ["1e3", "1000.0"], ["1000000", "1e+06"], ["+Inf", "+Inf"], ["0.25", "0.25"], ["bla", "bla"]])(
    "canonical %s → %s",
    (a, b) => {
      expect(canonicalFloatLabel(a)).toBe(b);
    },
  );
});

test("a label named __proto__ is kept as an ordinary label", () => {
  const [f] = parseToFamilies('m{__proto__="x",a="1"} 1\n', "text");
  expect(Object.keys(f!.samples[0]!.labels)).toEqual(["__proto__", "a"]);
  expect(Object.getPrototypeOf(f!.samples[0]!.labels)).toBe(Object.prototype);
});
