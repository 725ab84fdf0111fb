/**
 * Tests of the client library's metric types and registry (values as MetricFamily, validation errors).
 */
import { describe, expect, test } from "bun:test";
import {
  Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics, defaultRegistry, exponentialBuckets, linearBuckets,
} from "../index.ts";

describe("Counter", () => {
  test("inc with and without labels, positional labels()", async () => {
    const reg = new Registry();
    const c = new Counter({ name: "http_requests_total", help: "Requests.", labelNames: ["code", "method"], registers: [reg] });
    c.inc({ code: 200, method: "GET" });
    c.inc({ code: 200, method: "GET" }, 2);
    c.labels("500", "POST").inc();
    c.labels({ code: "404", method: "GET" }).inc(4);
    const [f] = await reg.collect();
    expect(f!.name).toBe("http_requests_total");
    expect(f!.type).toBe("counter");
    expect(f!.help).toBe("Requests.");
    expect(f!.samples).toEqual([
      { name: "http_requests_total", labels: { code: "200", method: "GET" }, value: 3 },
      { name: "http_requests_total", labels: { code: "500", method: "POST" }, value: 1 },
      { name: "http_requests_total", labels: { code: "404", method: "GET" }, value: 4 },
    ]);
  });

  test("an unlabelled counter is exported at 0 before use", async () => {
    const reg = new Registry();
    new Counter({ name: "c_total", help: "h", registers: [reg] });
    expect((await reg.collect())[0]!.samples).toEqual([{ name: "c_total", labels: {}, value: 0 }]);
  });

  test("rejects negative increments, undeclared and missing labels", () => {
    const c = new Counter({ name: "x_total", help: "h", labelNames: ["a"], registers: [] });
    expect(() => c.inc({ a: "1" }, -1)).toThrow(/not possible to decrease/);
    expect(() => c.inc({ b: "1" } as never)).toThrow(/missing value for label "a"/);
    expect(() => c.inc({ a: "1", b: "2" } as never)).toThrow(/"b" was not declared/);
    expect(() => c.labels("1", "2")).toThrow(/2 label values for 1 label names/);
  });

  test("constructor validates name, help and label names", () => {
    expect(() => new Counter({ name: "bad-name", help: "h", registers: [] })).toThrow(/invalid metric name/);
    expect(() => new Counter({ name: "ok", help: "", registers: [] })).toThrow(/help text is required/);
    expect(() => new Counter({ name: "ok", help: "h", labelNames: ["__x"], registers: [] })).toThrow(/invalid label name/);
    expect(() => new Counter({ name: "ok", help: "h", labelNames: ["a", "a"], registers: [] })).toThrow(/duplicate label name/);
    expect(() => new Histogram({ name: "h", help: "h", labelNames: ["le"], registers: [] })).toThrow(/reserved/);
    expect(() => new Summary({ name: "s", help: "h", labelNames: ["quantile"], registers: [] })).toThrow(/reserved/);
  });

  test("remove and reset drop children", async () => {
    const reg = new Registry();
    const c = new Counter({ name: "r_total", help: "h", labelNames: ["a"], registers: [reg] });
    c.inc({ a: "x" });
    c.inc({ a: "y" });
    c.remove("x");
    expect((await reg.collect())[0]!.samples.map((s) => s.labels.a)).toEqual(["y"]);
    reg.resetMetrics();
    expect((await reg.collect())[0]!.samples).toEqual([]);
  });
});

describe("Gauge", () => {
  test("set, inc, dec, setToCurrentTime with an injected clock, timers", async () => {
    const reg = new Registry();
    const g = new Gauge({ name: "g", help: "h", labelNames: ["k"], registers: [reg], now: () => 1_700_000_000_500 });
    g.set({ k: "a" }, 10);
    g.inc({ k: "a" }, 5);
    g.dec({ k: "a" });
    g.setToCurrentTime({ k: "t" });
    const end = g.startTimer({ k: "timer" });
    const secs = end();
    expect(secs).toBeGreaterThanOrEqual(0);
    const child = g.labels("b");
    child.set(-2.5);
    child.inc();
    const s = (await reg.collect())[0]!.samples;
    expect(s.find((x) => x.labels.k === "a")!.value).toBe(14);
    expect(s.find((x) => x.labels.k === "t")!.value).toBe(1_700_000_000.5);
    expect(s.find((x) => x.labels.k === "timer")!.value).toBe(secs);
    expect(s.find((x) => x.labels.k === "b")!.value).toBe(-1.5);
  });
});

describe("Histogram", () => {
  test("cumulative buckets, +Inf, sum and count", async () => {
    const reg = new Registry();
    const h = new Histogram({ name: "lat_seconds", help: "h", buckets: [0.1, 1, 10], registers: [reg] });
    for (const v of [0.05, 0.1, 0.5, 2, 20]) h.observe(v);
    const f = (await reg.collect())[0]!;
    expect(f.type).toBe("histogram");
    expect(f.samples).toEqual([
      { name: "lat_seconds_bucket", labels: { le: "0.1" }, value: 2 },
      { name: "lat_seconds_bucket", labels: { le: "1" }, value: 3 },
      { name: "lat_seconds_bucket", labels: { le: "10" }, value: 4 },
      { name: "lat_seconds_bucket", labels: { le: "+Inf" }, value: 5 },
      { name: "lat_seconds_sum", labels: {}, value: 22.65 },
      { name: "lat_seconds_count", labels: {}, value: 5 },
    ]);
  });

  test("labelled observe, zero(), le rendering of large bounds", async () => {
    const reg = new Registry();
    const h = new Histogram({ name: "size_bytes", help: "h", labelNames: ["route"], buckets: [1e3, 1e21], registers: [reg] });
    h.zero({ route: "/a" });
    h.labels("/b").observe(5000);
    const s = (await reg.collect())[0]!.samples;
    expect(s.filter((x) => x.labels.route === "/a").every((x) => x.value === 0)).toBe(true);
    expect(s.filter((x) => x.name.endsWith("_bucket")).map((x) => x.labels.le)).toEqual(["1000", "1e+21", "+Inf", "1000", "1e+21", "+Inf"]);
  });

  test("bucket helpers and validation", () => {
    expect(linearBuckets(1, 2, 4)).toEqual([1, 3, 5, 7]);
    expect(exponentialBuckets(1, 2, 4)).toEqual([1, 2, 4, 8]);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow(/positive start/);
    expect(() => exponentialBuckets(1, 1, 3)).toThrow(/greater than 1/);
    expect(() => new Histogram({ name: "h2", help: "h", buckets: [1, 1], registers: [] })).toThrow(/strictly increasing/);
  });
});

describe("Summary", () => {
  test("quantiles over the window, sum and count over all time", async () => {
    let now = 0;
    const reg = new Registry();
    const s = new Summary({ name: "rt", help: "h", percentiles: [0.5, 0.9, 0.99], maxAgeSeconds: 10, ageBuckets: 2, registers: [reg], now: () => now });
    for (let i = 1; i <= 100; i++) s.observe(i);
    let f = (await reg.collect())[0]!;
    expect(f.samples).toEqual([
      { name: "rt", labels: { quantile: "0.5" }, value: 50 },
      { name: "rt", labels: { quantile: "0.9" }, value: 90 },
      { name: "rt", labels: { quantile: "0.99" }, value: 99 },
      { name: "rt_sum", labels: {}, value: 5050 },
      { name: "rt_count", labels: {}, value: 100 },
    ]);
    now = 11_000; // the whole window has passed: quantiles are NaN, sum/count stay
    f = (await reg.collect())[0]!;
    expect(Number.isNaN(f.samples[0]!.value)).toBe(true);
    expect(f.samples[4]!.value).toBe(100);
    s.observe(7);
    f = (await reg.collect())[0]!;
    expect(f.samples[0]!.value).toBe(7);
  });
});

describe("Registry", () => {
  test("rejects duplicates, applies default labels, runs collect callbacks and collectors", async () => {
    const reg = new Registry();
    let calls = 0;
    const g = new Gauge({
      name: "queue_depth", help: "h", registers: [reg],
      collect() {
        calls++;
        g.set(42);
      },
    });
    expect(() => new Gauge({ name: "queue_depth", help: "h", registers: [reg] })).toThrow(/already been registered/);
    reg.registerCollector("custom", async () => [{ name: "custom_info", type: "gauge", help: "c", samples: [{ name: "custom_info", labels: { v: "1" }, value: 1 }] }]);
    reg.setDefaultLabels({ service: "api" });
    const fams = await reg.collect();
    expect(calls).toBe(1);
    expect(fams.map((f) => f.name)).toEqual(["queue_depth", "custom_info"]);
    expect(fams[0]!.samples[0]).toEqual({ name: "queue_depth", labels: { service: "api" }, value: 42 });
    expect(fams[1]!.samples[0]!.labels).toEqual({ v: "1", service: "api" });
    expect(reg.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(reg.contentTypeFor("openmetrics")).toContain("application/openmetrics-text");
    expect((await reg.getMetricsAsJSON()).length).toBe(2);
    const merged = Registry.merge([reg, new Registry()]);
    expect((await merged.collect()).length).toBe(2);
    expect(() => Registry.merge([reg, reg])).toThrow(/already been registered/);
  });

  test("metrics without registers go to the default registry", async () => {
    const name = "default_registry_probe_" + Math.floor(Math.random() * 1e9);
    new Counter({ name, help: "h" });
    expect(defaultRegistry().getSingleMetric(name)).toBeDefined();
    defaultRegistry().removeSingleMetric(name);
  });
});

describe("default metrics", () => {
  test("exports process and runtime metrics with a prefix", async () => {
    const reg = new Registry();
    const stop = collectDefaultMetrics({ register: reg, prefix: "app_" });
    const fams = await reg.collect();
    const byName = new Map(fams.map((f) => [f.name, f]));
    for (const n of ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "nodejs_eventloop_lag_seconds", "nodejs_version_info"]) {
      expect(byName.has("app_" + n)).toBe(true);
    }
    expect(byName.get("app_process_cpu_seconds_total")!.type).toBe("counter");
    expect(byName.get("app_process_resident_memory_bytes")!.samples[0]!.value).toBeGreaterThan(0);
    const start = byName.get("app_process_start_time_seconds")!.samples[0]!.value;
    expect(Math.abs(start - Date.now() / 1000)).toBeLessThan(3600);
    if (process.platform === "linux") expect(byName.get("app_process_open_fds")!.samples[0]!.value).toBeGreaterThan(0);
    stop();
    expect(await reg.collect()).toEqual([]);
  });
});
