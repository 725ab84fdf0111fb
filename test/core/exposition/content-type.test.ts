import { describe, expect, test } from "bun:test";
import {
  buildAcceptHeader,
  CONTENT_TYPE_OPENMETRICS,
  CONTENT_TYPE_OPENMETRICS_0_0_1,
  CONTENT_TYPE_TEXT,
  negotiate,
  selectScrapeFormat,
} from "../../../core/exposition/content-type.ts";

describe("buildAcceptHeader", () => {
  test("default scrape_protocols, as Prometheus 3 sends them", () => {
    expect(buildAcceptHeader()).toBe(
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5," +
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
    );
  });
  test("a custom list keeps its order and counts weights down from 0.6", () => {
    expect(buildAcceptHeader(["PrometheusText0.0.4"])).toBe("text/plain;version=0.0.4;q=0.6,*/*;q=0.5");
    expect(buildAcceptHeader(["PrometheusText1.0.0", "OpenMetricsText1.0.0"], "underscores")).toBe(
      "text/plain;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,*/*;q=0.4",
    );
  });
});

describe("selectScrapeFormat", () => {
  test.each([
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", "openmetrics", false],
    ["application/openmetrics-text;version=0.0.1", "openmetrics", false],
    ["text/plain; version=0.0.4; charset=utf-8", "text", false],
    ["TEXT/PLAIN", "text", false],
    ["", "text", true],
    ["text/html; charset=utf-8", "text", true],
    ["application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", "text", true],
  ] as const)("%p → %s (fallback %p)", (ct, format, usedFallback) => {
    const r = selectScrapeFormat(ct);
    expect(r.format).toBe(format);
    expect(r.usedFallback).toBe(usedFallback);
  });
  test("a configured fallback and no fallback", () => {
    expect(selectScrapeFormat(undefined, "OpenMetricsText1.0.0").format).toBe("openmetrics");
    expect(() => selectScrapeFormat("", null)).toThrow("non-compliant scrape target sending blank Content-Type");
    expect(() => selectScrapeFormat("text/html", null)).toThrow("unsupported Content-Type");
  });
});

describe("negotiate", () => {
  test("Prometheus's default Accept header gets OpenMetrics 1.0.0 with UTF-8 names", () => {
    expect(negotiate(buildAcceptHeader())).toEqual({ format: "openmetrics", contentType: CONTENT_TYPE_OPENMETRICS, escaping: "allow-utf-8" });
  });
  test("q order wins over header order", () => {
    expect(negotiate("text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=0.0.1;q=0.5").contentType).toBe(CONTENT_TYPE_OPENMETRICS_0_0_1);
  });
  test("text, protobuf-only, browsers and no header fall back to text 0.0.4", () => {
    expect(negotiate("text/plain;version=0.0.4").format).toBe("text");
    expect(negotiate("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited").contentType).toBe(CONTENT_TYPE_TEXT);
    expect(negotiate("text/html,application/xhtml+xml,*/*;q=0.8")).toEqual({ format: "text", contentType: CONTENT_TYPE_TEXT, escaping: "underscores" });
    expect(negotiate(undefined).contentType).toBe(CONTENT_TYPE_TEXT);
    expect(negotiate("application/openmetrics-text;version=2.0.0").format).toBe("text");
  });
  test("content types", () => {
    expect(CONTENT_TYPE_TEXT).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(CONTENT_TYPE_OPENMETRICS).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
  });
});
