/**
 * Data-driven conformance over /work/shared/conformance/exposition/MANIFEST.tsv.
 *
 * Each row is run in two modes: `strict` (our expfmt-like text linter / OpenMetrics validator) against the
 * `strict` column, and the default scraper mode against `prometheus_scrape` (rows marked `-` or `…?` are
 * not assessed there). Every rejection must carry a line, a column and a reason. Every accepted file must
 * yield exactly one sample per sample line (counted independently of the parser), and must survive a
 * write → parse round trip with identical samples.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createParser, ExpositionParseError, parseToFamilies, writeOpenMetrics, writeText } from "../../../core/exposition/index.ts";
import type { ExposedSample } from "../../../core/model/metric-family.ts";
import { sharedPath } from "../../helpers/shared.ts";

const dir = sharedPath("conformance", "exposition");

/**
 * Rows whose `strict` verdict our validator does not share, with the reason. The OpenMetrics spec suite's
 * reference parser rejects negative `_sum` values and a `_sum` on histograms with negative buckets
 * (see parsers/bad_counter_values_5 and bad_histograms_3); this Prometheus test file has both. The
 * scraper mode (what Prometheus does) parses it.
 */
const KNOWN_STRICT_DEVIATIONS: Record<string, RegExp> = {
  "openmetrics/good/alltypes.5mfs.om.txt": /rpc_durations_histogram_seconds_sum value -8\.452185437166741e-05 is negative/,
};

interface Row {
  path: string;
  format: "text" | "openmetrics";
  strict: string;
  scrape: string;
  note: string;
}

function rows(): Row[] {
  if (dir === null) return [];
  return readFileSync(join(dir, "MANIFEST.tsv"), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [path = "", format = "", strict = "", scrape = "", note = ""] = l.split("\t");
      return { path, format: format === "openmetrics" ? "openmetrics" : "text", strict, scrape, note };
    });
}

function read(path: string): string {
  return new TextDecoder().decode(readFileSync(join(dir!, path)));
}

/** Parses fully with the pull API; returns the samples or the error. */
function run(text: string, format: Row["format"], strict: boolean): { samples: ExposedSample[] } | { error: unknown } {
  try {
    const p = createParser(text, format, { strict });
    const samples: ExposedSample[] = [];
    for (let e = p.next(); e !== null; e = p.next()) {
      if (e !== "series") continue;
      const s: ExposedSample = { name: p.metricName(), labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      samples.push(s);
      expect(p.seriesKey().length).toBeGreaterThan(0);
    }
    return { samples };
  } catch (error) {
    return { error };
  }
}

/**
 * Sample lines counted without the parser: non-blank lines that are not `#` lines, where a raw newline
 * inside a quoted label value (accepted by the scraper) continues the line.
 */
function countSampleLines(text: string): number {
  let n = 0;
  let open = false;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!open && (t === "" || t.startsWith("#"))) continue;
    if (!open) n++;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === "\\") i++;
      else if (line[i] === '"') open = !open;
    }
  }
  return n;
}

const counts = { parsedOk: 0, rejectedOk: 0, knownDeviations: 0, total: 0 };

describe.skipIf(dir === null)("exposition conformance (MANIFEST.tsv)", () => {
  for (const row of rows()) {
    for (const mode of ["strict", "scrape"] as const) {
      const want = mode === "strict" ? row.strict : row.scrape;
      if (want !== "parse" && want !== "reject") continue;
      test(`${mode}: ${row.path} → ${want}`, () => {
        counts.total++;
        const text = read(row.path);
        const r = run(text, row.format, mode === "strict");
        const deviation = mode === "strict" ? KNOWN_STRICT_DEVIATIONS[row.path] : undefined;
        if (deviation !== undefined) {
          expect("error" in r).toBe(true);
          expect(String((r as { error: unknown }).error)).toMatch(deviation);
          counts.knownDeviations++;
          return;
        }
        if (want === "reject") {
          expect("error" in r).toBe(true);
          const err = (r as { error: unknown }).error;
          expect(err).toBeInstanceOf(ExpositionParseError);
          const pe = err as ExpositionParseError;
          expect(pe.line).toBeGreaterThanOrEqual(1);
          expect(pe.column).toBeGreaterThanOrEqual(1);
          expect(pe.message).toMatch(/^line \d+, column \d+: .{8,}/);
          counts.rejectedOk++;
          return;
        }
        if ("error" in r) throw r.error;
        expect(r.samples.length).toBe(countSampleLines(text));
        counts.parsedOk++;
      });
    }
  }

  test("report", () => {
    console.log(`exposition conformance: parsed ok ${counts.parsedOk}, rejected ok ${counts.rejectedOk}, known strict deviations ${counts.knownDeviations}, total ${counts.total}`);
    expect(counts.parsedOk + counts.rejectedOk + counts.knownDeviations).toBe(counts.total);
  });
});

describe.skipIf(dir === null)("expected samples", () => {
  test("alltypes with and without HELP/TYPE give the same samples (untyped: no le/quantile rewriting)", () => {
    const samples = (path: string) => {
      const p = createParser(read(path), "text", { normalizeFloatLabels: false });
      const out: [string, Record<string, string>, number][] = [];
      for (let e = p.next(); e !== null; e = p.next()) if (e === "series") out.push([p.metricName(), p.labels(), p.value]);
      return out;
    };
    const withMeta = samples("prometheus-text/good/alltypes.237mfs.prom.txt");
    expect(withMeta.length).toBeGreaterThan(1000);
    expect(samples("prometheus-text/good/alltypes.237mfs.nometa.prom.txt")).toEqual(withMeta);
    expect(parseToFamilies(read("prometheus-text/good/alltypes.237mfs.prom.txt"), "text").length).toBe(237);
  });

  test("from_test_parse_2: escapes, whitespace, NaN/±Inf, trailing comma, no space before the value", () => {
    const fams = parseToFamilies(read("prometheus-text/good/from_test_parse_2"), "text", { strict: true });
    expect(fams).toEqual([
      {
        name: "name", type: "counter", help: "two-line\n doc  str\\ing", samples: [
          { name: "name", labels: { labelname: "val1", basename: "basevalue" }, value: NaN },
          { name: "name", labels: { labelname: "val2", basename: 'base"v\\al\nue' }, value: 0.23, timestampMs: 1234567890 },
        ],
      },
      {
        name: "name2", type: "gauge", help: 'doc str"ing 2', samples: [
          { name: "name2", labels: { labelname: "val2", basename: "basevalue2" }, value: Infinity, timestampMs: 54321 },
          { name: "name2", labels: { labelname: "val1" }, value: -Infinity },
        ],
      },
    ]);
  });

  test("from_test_parse_4: histogram le values are canonicalised as Prometheus stores them", () => {
    const [f] = parseToFamilies(read("prometheus-text/good/from_test_parse_4"), "text");
    expect(f!.type).toBe("histogram");
    expect(f!.samples.map((s) => s.labels.le ?? s.name)).toEqual([
      "100.0", "120.0", "144.0", "172.8", "+Inf", "request_duration_microseconds_sum", "request_duration_microseconds_count",
    ]);
    expect(f!.samples[5]!.value).toBe(1756047.3);
  });

  test("OpenMetrics escaping, timestamps in seconds, exemplars", () => {
    const esc = parseToFamilies(read("openmetrics/parsers/escaping/metrics"), "openmetrics", { strict: true });
    expect(esc[0]!.help).toBe("he\n\\l\\tp");
    expect(esc[0]!.samples.map((s) => s.labels.foo)).toEqual(['b"a\nr', "b\\a\\z", 'b"a\nr # ', "b\\a\\z # "]);
    const ts = parseToFamilies(read("openmetrics/parsers/timestamps/metrics"), "openmetrics", { strict: true });
    expect(ts[0]!.samples.map((s) => s.timestampMs)).toEqual([0, 0, 1100, 12345678901234567000000, 1500000]);
    const ex = parseToFamilies(read("openmetrics/parsers/gaugehistogram_exemplars/metrics"), "openmetrics", { strict: true });
    expect(ex[0]!.samples[2]).toEqual({ name: "a_bucket", labels: { le: "+Inf" }, value: 3, timestampMs: 123000, exemplar: { labels: { a: "d" }, value: 4, timestampMs: 123000 } });
    const cu = parseToFamilies(read("openmetrics/parsers/counter_unit/metrics"), "openmetrics", { strict: true });
    expect(cu).toEqual([{ name: "cc_seconds", type: "counter", help: "A counter", unit: "seconds", samples: [
      { name: "cc_seconds_total", labels: {}, value: 1 }, { name: "cc_seconds_created", labels: {}, value: 123.456 },
    ] }]);
  });
});

describe.skipIf(dir === null)("write → parse round trip over every parsable fixture", () => {
  for (const row of rows()) {
    if (row.scrape === "reject" || (row.strict !== "parse" && row.scrape !== "parse")) continue;
    test(row.path, () => {
      const fams = parseToFamilies(read(row.path), row.format, { normalizeFloatLabels: false });
      const samples = fams.flatMap((f) => f.samples);
      if (row.format === "openmetrics") {
        const again = parseToFamilies(writeOpenMetrics(fams), "openmetrics", { normalizeFloatLabels: false });
        expect(again.flatMap((f) => f.samples)).toEqual(samples);
      } else {
        const again = parseToFamilies(writeText(fams), "text", { normalizeFloatLabels: false });
        expect(again.flatMap((f) => f.samples)).toEqual(samples);
      }
    });
  }
});
