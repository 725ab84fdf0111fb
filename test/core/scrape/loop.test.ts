import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { makeLoop, samples, scrapeConfig, valueAt } from "./helpers.ts";

const TEXT = "text/plain; version=0.0.4; charset=utf-8";
let body = "";
let lastHeaders: Headers | undefined;
let failing = false;
let server: Server;
let addr = "";

beforeAll(async () => {
  server = await detectRuntime().serve(async (req) => {
    const url = new URL(req.url);
    lastHeaders = req.headers;
    switch (url.pathname) {
      case "/metrics": return new Response(body, { headers: { "content-type": TEXT } });
      case "/500": return new Response("boom", { status: 500 });
      case "/toggle": return failing ? new Response("boom", { status: 500 }) : new Response(body, { headers: { "content-type": TEXT } });
      case "/slow": await new Promise((r) => setTimeout(r, 400)); return new Response(body, { headers: { "content-type": TEXT } });
      case "/gzip": return new Response(gzipSync(body), { headers: { "content-type": TEXT, "content-encoding": "gzip" } });
      case "/redirect": return new Response(null, { status: 302, headers: { location: "/metrics" } });
      case "/auth": {
        const ok = req.headers.get("authorization") === "Basic " + Buffer.from("user:pa55").toString("base64")
          || req.headers.get("authorization") === "Bearer s3cret";
        return ok ? new Response(body, { headers: { "content-type": TEXT } }) : new Response("no", { status: 401 });
      }
      case "/blank": return new Response(body, { headers: { "content-type": "" } });
      case "/om": return new Response("# TYPE foo counter\n# HELP foo Foo things.\nfoo_total 3\nfoo_created 1\n# EOF\n", { headers: { "content-type": "application/openmetrics-text; version=1.0.0; charset=utf-8" } });
      case "/echo": return new Response(`params{q="${url.searchParams.getAll("q").join(",")}",target="${url.searchParams.get("target")}"} 1\n`, { headers: { "content-type": TEXT } });
    }
    return new Response("not found", { status: 404 });
  }, { hostname: "127.0.0.1", port: 0 });
  addr = `127.0.0.1:${server.port}`;
});
afterAll(() => server.stop());

const T1 = 1_700_000_000_000, T2 = T1 + 15_000, T3 = T2 + 15_000;

describe("scrape loop over HTTP", () => {
  test("stores exactly the exposed samples with target labels, synthetic series and metadata", async () => {
    body = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 10\nhttp_requests_total{code=\"500\"} 2\n# TYPE temp gauge\ntemp 21.5\n";
    const { db, loop, target } = makeLoop(scrapeConfig({ scrape_timeout: "5s", scrape_interval: "15s" }), addr);
    await loop.scrapeOnce(T1);
    const got = await samples(db, "http_requests_total|temp");
    expect(got.map((s) => [s.labels, s.v])).toEqual([
      [{ __name__: "http_requests_total", code: "200", instance: addr, job: "test" }, 10],
      [{ __name__: "http_requests_total", code: "500", instance: addr, job: "test" }, 2],
      [{ __name__: "temp", instance: addr, job: "test" }, 21.5],
    ]);
    expect(await valueAt(db, "up", T1)).toBe(1);
    expect(await valueAt(db, "scrape_samples_scraped", T1)).toBe(3);
    expect(await valueAt(db, "scrape_samples_post_metric_relabeling", T1)).toBe(3);
    expect(await valueAt(db, "scrape_series_added", T1)).toBe(3);
    expect(typeof (await valueAt(db, "scrape_duration_seconds", T1))).toBe("number");
    expect((await samples(db, "up"))[0]!.labels).toEqual({ __name__: "up", instance: addr, job: "test" });
    expect(target.health).toBe("up");
    expect(target.lastError).toBe("");
    expect(target.metadata.get("http_requests_total")).toEqual({ type: "counter", help: "Requests.", unit: "" });
    expect(target.metadata.get("temp")).toEqual({ type: "gauge", help: "", unit: "" });
    expect(lastHeaders!.get("x-prometheus-scrape-timeout-seconds")).toBe("5");
    expect(lastHeaders!.get("accept")).toStartWith("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,");
    expect(lastHeaders!.get("accept-encoding")).toBe("gzip");
  });

  test("a series missing from the next scrape gets a staleness marker at that scrape", async () => {
    const { db, loop } = makeLoop(scrapeConfig(), addr);
    body = "a 1\nb 2\n";
    await loop.scrapeOnce(T1);
    body = "a 1\n";
    await loop.scrapeOnce(T2);
    expect((await samples(db, "b")).map((s) => [s.t, s.v])).toEqual([[T1, 2], [T2, "stale"]]);
    expect((await samples(db, "a")).map((s) => [s.t, s.v])).toEqual([[T1, 1], [T2, 1]]);
    expect(await valueAt(db, "scrape_series_added", T2)).toBe(0);
  });

  test("an exposed NaN stays a plain NaN; only missing series get bit-exact staleness markers", async () => {
    const { db, loop } = makeLoop(scrapeConfig(), addr);
    body = "n NaN\nm 1\n";
    await loop.scrapeOnce(T1);
    body = "n NaN\n";
    await loop.scrapeOnce(T2);
    const n = await samples(db, "n");
    expect(n.map((s) => [s.t, Number.isNaN(s.v as number)])).toEqual([[T1, true], [T2, true]]);
    expect((await samples(db, "m")).map((s) => s.v)).toEqual([1, "stale"]);
  });

  test("a target going down marks all its series stale and reports up=0 with the reason", async () => {
    const { db, loop, target } = makeLoop(scrapeConfig({ metrics_path: "/toggle" }), addr);
    body = "a 1\nb 2\n";
    failing = false;
    await loop.scrapeOnce(T1);
    failing = true;
    await loop.scrapeOnce(T2);
    expect(target.health).toBe("down");
    expect(target.lastError).toBe("server returned HTTP status 500 Internal Server Error");
    expect(await valueAt(db, "up", T2)).toBe(0);
    expect((await samples(db, "a|b")).map((s) => [s.labels.__name__, s.t, s.v])).toEqual([
      ["a", T1, 1], ["a", T2, "stale"], ["b", T1, 2], ["b", T2, "stale"],
    ]);
    failing = false;
    await loop.scrapeOnce(T3);
    expect(target.health).toBe("up");
    expect(await valueAt(db, "scrape_series_added", T3)).toBe(2);
  });

  test("a timeout fails the scrape with Prometheus's deadline message", async () => {
    const { db, loop, target } = makeLoop(scrapeConfig({ metrics_path: "/slow", scrape_timeout: "200ms", scrape_interval: "1s" }), addr);
    body = "x 1\n";
    // First scrape times out.
    await loop.scrapeOnce(T1);
    expect(target.health).toBe("down");
    expect(target.lastError).toBe(`Get "http://${addr}/slow": context deadline exceeded`);
    expect(await valueAt(db, "up", T1)).toBe(0);
    expect(await samples(db, "x")).toEqual([]);
  });

  test("sample_limit: the scrape fails, nothing partial is stored, previous series go stale", async () => {
    const { db, loop, target, metrics } = makeLoop(scrapeConfig({ sample_limit: 2 }), addr);
    body = "a 1\nb 1\n";
    await loop.scrapeOnce(T1);
    body = "a 2\nb 2\nc 2\n";
    await loop.scrapeOnce(T2);
    expect(target.lastError).toBe("sample limit exceeded");
    expect(await valueAt(db, "up", T2)).toBe(0);
    expect(await valueAt(db, "scrape_samples_scraped", T2)).toBe(3);
    expect((await samples(db, "a|b|c")).map((s) => [s.labels.__name__, s.t, s.v])).toEqual([
      ["a", T1, 1], ["a", T2, "stale"], ["b", T1, 1], ["b", T2, "stale"],
    ]);
    expect(metrics.get("prometheus_target_scrapes_exceeded_sample_limit_total")).toBe(1);
    body = "a 3\n";
    await loop.scrapeOnce(T3);
    expect(target.health).toBe("up");
    expect(await valueAt(db, "scrape_series_added", T3)).toBe(1);
  });

  test("body_size_limit fails the scrape", async () => {
    const { db, loop, target, metrics } = makeLoop(scrapeConfig({ body_size_limit: "10B" }), addr);
    body = "a_long_metric_name 1\n";
    await loop.scrapeOnce(T1);
    expect(target.lastError).toBe("body size limit exceeded");
    expect(await samples(db, "a_long_metric_name")).toEqual([]);
    expect(metrics.get("prometheus_target_scrapes_exceeded_body_size_limit_total")).toBe(1);
  });

  test("body_size_limit applies to the decompressed size of gzip bodies", async () => {
    body = "m " + "1".repeat(200) + "\n";
    const { loop, target } = makeLoop(scrapeConfig({ metrics_path: "/gzip", body_size_limit: "100B" }), addr);
    await loop.scrapeOnce(T1);
    expect(target.lastError).toBe("body size limit exceeded");
  });

  test("label limits fail the scrape with Prometheus's messages", async () => {
    body = 'm{a="1",b="2",c="3"} 1\n';
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ label_limit: 3 }, "label_limit exceeded (metric: m, number of labels: 6, limit: 3)"],
      [{ label_name_length_limit: 3 }, "label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 3)"],
      [{ label_value_length_limit: 5 }, `label_value_length_limit exceeded (metric: m, label name: instance, value: "${addr}", length: ${addr.length}, limit: 5)`],
    ];
    for (const [fields, msg] of cases) {
      const { db, loop, target } = makeLoop(scrapeConfig(fields), addr);
      await loop.scrapeOnce(T1);
      expect(target.lastError).toBe(msg);
      expect(await samples(db, "m")).toEqual([]);
    }
  });

  test("gzip bodies are decoded", async () => {
    body = "g 7\n";
    const { db, loop } = makeLoop(scrapeConfig({ metrics_path: "/gzip" }), addr);
    await loop.scrapeOnce(T1);
    expect((await samples(db, "g"))[0]!.v).toBe(7);
  });

  test("redirects are followed unless follow_redirects is false", async () => {
    body = "r 1\n";
    const a = makeLoop(scrapeConfig({ metrics_path: "/redirect" }), addr);
    await a.loop.scrapeOnce(T1);
    expect(a.target.health).toBe("up");
    const b = makeLoop(scrapeConfig({ metrics_path: "/redirect", follow_redirects: false }), addr);
    await b.loop.scrapeOnce(T1);
    expect(b.target.lastError).toBe("server returned HTTP status 302 Found");
  });

  test("basic auth and bearer tokens", async () => {
    body = "s 1\n";
    const none = makeLoop(scrapeConfig({ metrics_path: "/auth" }), addr);
    await none.loop.scrapeOnce(T1);
    expect(none.target.lastError).toBe("server returned HTTP status 401 Unauthorized");
    const basic = makeLoop(scrapeConfig({ metrics_path: "/auth", basic_auth: { username: "user", password: "pa55" } }), addr);
    await basic.loop.scrapeOnce(T1);
    expect(basic.target.health).toBe("up");
    const bearer = makeLoop(scrapeConfig({ metrics_path: "/auth", authorization: { credentials: "s3cret" } }), addr);
    await bearer.loop.scrapeOnce(T1);
    expect(bearer.target.health).toBe("up");
    const legacy = makeLoop(scrapeConfig({ metrics_path: "/auth", bearer_token: "s3cret" }), addr);
    await legacy.loop.scrapeOnce(T1);
    expect(legacy.target.health).toBe("up");
  });

  test("params and __param_ labels build the query string", async () => {
    const { db, loop, target } = makeLoop(scrapeConfig({
      metrics_path: "/echo", params: { q: ["a", "b"], target: ["x"] },
      relabel_configs: [{ target_label: "__param_target", replacement: "http://h:1/ p" }],
    }), addr);
    expect(target.url).toBe(`http://${addr}/echo?q=a&q=b&target=http%3A%2F%2Fh%3A1%2F+p`);
    await loop.scrapeOnce(T1);
    expect((await samples(db, "params"))[0]!.labels).toMatchObject({ q: "a,b", target: "http://h:1/ p" });
  });

  test("honor_labels and exported_ renaming", async () => {
    body = 'h{job="other",instance="i",exported_job="e"} 1\n';
    const a = makeLoop(scrapeConfig(), addr);
    await a.loop.scrapeOnce(T1);
    expect((await samples(a.db, "h"))[0]!.labels).toEqual({
      __name__: "h", job: "test", instance: addr, exported_instance: "i", exported_job: "e", exported_exported_job: "other",
    });
    const b = makeLoop(scrapeConfig({ honor_labels: true }), addr);
    await b.loop.scrapeOnce(T1);
    expect((await samples(b.db, "h"))[0]!.labels).toEqual({ __name__: "h", job: "other", instance: "i", exported_job: "e" });
  });

  test("honor_timestamps and track_timestamps_staleness", async () => {
    body = "ts_metric 1 1600000000000\n";
    const a = makeLoop(scrapeConfig(), addr);
    await a.loop.scrapeOnce(T1);
    expect((await samples(a.db, "ts_metric"))[0]!.t).toBe(1600000000000);
    body = "";
    await a.loop.scrapeOnce(T2);
    expect((await samples(a.db, "ts_metric")).length).toBe(1); // explicit timestamps are not marked stale by default
    body = "ts_metric 1 1600000000000\n";
    const b = makeLoop(scrapeConfig({ honor_timestamps: false }), addr);
    await b.loop.scrapeOnce(T1);
    expect((await samples(b.db, "ts_metric"))[0]!.t).toBe(T1);
    const c = makeLoop(scrapeConfig({ track_timestamps_staleness: true }), addr);
    await c.loop.scrapeOnce(T1);
    body = "";
    await c.loop.scrapeOnce(T2);
    expect((await samples(c.db, "ts_metric")).map((s) => s.v)).toEqual([1, "stale"]);
  });

  test("metric_relabel_configs drop and rewrite samples", async () => {
    body = "keep_me 1\ndrop_me 2\n";
    const { db, loop } = makeLoop(scrapeConfig({
      metric_relabel_configs: [
        { source_labels: ["__name__"], regex: "drop_.*", action: "drop" },
        { target_label: "env", replacement: "prod" },
      ],
    }), addr);
    await loop.scrapeOnce(T1);
    expect((await samples(db, "keep_me|drop_me")).map((s) => s.labels)).toEqual([{ __name__: "keep_me", env: "prod", instance: addr, job: "test" }]);
    expect(await valueAt(db, "scrape_samples_scraped", T1)).toBe(2);
    expect(await valueAt(db, "scrape_samples_post_metric_relabeling", T1)).toBe(1);
  });

  test("OpenMetrics bodies are parsed; blank Content-Type needs fallback_scrape_protocol", async () => {
    const om = makeLoop(scrapeConfig({ metrics_path: "/om" }), addr);
    await om.loop.scrapeOnce(T1);
    expect((await samples(om.db, "foo_total|foo_created")).map((s) => [s.labels.__name__, s.v])).toEqual([["foo_created", 1], ["foo_total", 3]]);
    expect(om.target.metadata.get("foo")).toEqual({ type: "counter", help: "Foo things.", unit: "" });
    body = "z 1\n";
    const blank = makeLoop(scrapeConfig({ metrics_path: "/blank" }), addr);
    await blank.loop.scrapeOnce(T1);
    expect(blank.target.lastError).toContain("non-compliant scrape target sending blank Content-Type");
    const fb = makeLoop(scrapeConfig({ metrics_path: "/blank", fallback_scrape_protocol: "PrometheusText0.0.4" }), addr);
    await fb.loop.scrapeOnce(T1);
    expect(fb.target.health).toBe("up");
  });

  test("legacy name validation fails scrapes with UTF-8 names; the Accept header carries the escaping", async () => {
    body = '{"my.metric", "a.b"="1"} 1\n';
    const utf8 = makeLoop(scrapeConfig(), addr);
    await utf8.loop.scrapeOnce(T1);
    expect(utf8.target.health).toBe("up");
    expect((await samples(utf8.db, "my.metric"))[0]!.labels).toMatchObject({ "a.b": "1" });
    const legacy = makeLoop(scrapeConfig({ metric_name_validation_scheme: "legacy" }), addr);
    await legacy.loop.scrapeOnce(T1);
    expect(legacy.target.lastError).toStartWith("invalid metric name or label names");
    expect(lastHeaders!.get("accept")).toContain("escaping=underscores");
  });

  test("parse errors fail the scrape", async () => {
    body = "bad{ 1\n";
    const { loop, target } = makeLoop(scrapeConfig(), addr);
    await loop.scrapeOnce(T1);
    expect(target.health).toBe("down");
    expect(target.lastError.length).toBeGreaterThan(0);
  });

  test("extra scrape metrics", async () => {
    body = "e 1\n";
    const { db, loop } = makeLoop(scrapeConfig({ sample_limit: 100, scrape_timeout: "3s" }), addr, { extra: true });
    await loop.scrapeOnce(T1);
    expect(await valueAt(db, "scrape_timeout_seconds", T1)).toBe(3);
    expect(await valueAt(db, "scrape_sample_limit", T1)).toBe(100);
    expect(await valueAt(db, "scrape_body_size_bytes", T1)).toBe(4);
  });
});

describe("in-process exporters", () => {
  test("go through the same path: labels, relabeling, limits, synthetic series", async () => {
    let value = 5;
    const collect = async () => [{ name: "plug_metric", type: "gauge" as const, help: "A plugin metric.", samples: [{ name: "plug_metric", labels: { k: "v" }, value }] }];
    const cfg = scrapeConfig({ job_name: "node", plugin: "node_exporter", metric_relabel_configs: [{ target_label: "r", replacement: "1" }] });
    const { db, loop, target } = makeLoop(cfg, "node_exporter", { collect });
    await loop.scrapeOnce(T1);
    expect((await samples(db, "plug_metric"))[0]!.labels).toEqual({ __name__: "plug_metric", instance: "node_exporter", job: "node", k: "v", r: "1" });
    expect(await valueAt(db, "up", T1)).toBe(1);
    expect(target.metadata.get("plug_metric")!.help).toBe("A plugin metric.");
    value = 6;
    await loop.scrapeOnce(T2);
    expect((await samples(db, "plug_metric")).map((s) => s.v)).toEqual([5, 6]);
  });

  test("a collector that ignores the deadline times out", async () => {
    const collect = () => new Promise<never>(() => {});
    const cfg = scrapeConfig({ job_name: "node", plugin: "x", scrape_timeout: "100ms", scrape_interval: "1s" });
    const { db, loop, target } = makeLoop(cfg, "x", { collect });
    await loop.scrapeOnce(T1);
    expect(target.lastError).toBe('Get "http://x/metrics": context deadline exceeded');
    expect(await valueAt(db, "up", T1)).toBe(0);
  });

  test("a collector that throws reports its error", async () => {
    const { loop, target } = makeLoop(scrapeConfig({ plugin: "x" }), "x", { collect: async () => { throw new Error("collector broke"); } });
    await loop.scrapeOnce(T1);
    expect(target.lastError).toBe("collector broke");
  });
});
