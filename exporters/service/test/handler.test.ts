/**
 * Tests of the client library's exposition: negotiation in the fetch and node:http handlers, and
 * validation of the output by `promtool check metrics` (skipped when promtool is absent).
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics, metricsHandler, nodeMetricsHandler } from "../index.ts";

function sampleRegistry(): Registry {
  const reg = new Registry();
  const c = new Counter({ name: "app_requests_total", help: "Requests served.", labelNames: ["code"], registers: [reg] });
  c.inc({ code: 200 }, 3);
  new Gauge({ name: "app_inflight", help: "In-flight requests.", registers: [reg] }).set(2);
  const h = new Histogram({ name: "app_latency_seconds", help: "Latency.", labelNames: ["route"], buckets: [0.1, 1], registers: [reg] });
  h.observe({ route: "/" }, 0.5);
  const s = new Summary({ name: "app_size_bytes", help: "Sizes.", percentiles: [0.5, 0.9], registers: [reg] });
  s.observe(100);
  collectDefaultMetrics({ register: reg });
  return reg;
}

describe("metricsHandler", () => {
  test("serves text 0.0.4 by default and OpenMetrics when asked", async () => {
    const h = metricsHandler(sampleRegistry());
    const text = await h(new Request("http://x/metrics"));
    expect(text.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = await text.text();
    expect(body).toContain('app_requests_total{code="200"} 3\n');
    expect(body).toContain('app_latency_seconds_bucket{route="/",le="1"} 1\n');
    expect(body).toContain("# TYPE app_size_bytes summary\n");
    const om = await h(new Request("http://x/metrics", { headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5" } }));
    expect(om.headers.get("content-type")).toContain("application/openmetrics-text");
    const omBody = await om.text();
    expect(omBody.endsWith("# EOF\n")).toBe(true);
    expect(omBody).toContain("# TYPE app_requests counter\n");
  });

  test("promhttp handler metrics when instrumented", async () => {
    const reg = sampleRegistry();
    const h = metricsHandler(reg, { instrument: reg });
    await h(new Request("http://x/metrics"));
    const body = await (await h(new Request("http://x/metrics"))).text();
    expect(body).toContain('promhttp_metric_handler_requests_total{code="200"} 1\n');
    expect(body).toContain('promhttp_metric_handler_requests_total{code="503"} 0\n');
    expect(body).toContain("promhttp_metric_handler_requests_in_flight 1\n");
    expect(body).toContain('promhttp_metric_handler_errors_total{cause="gathering"} 0\n');
  });

  test("a failing collector gives a 500 with the error", async () => {
    const reg = new Registry();
    reg.registerCollector("bad", () => {
      throw new Error("backend down");
    });
    const res = await metricsHandler(reg)(new Request("http://x/metrics"));
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("backend down");
  });

  test("node:http handler negotiates too", async () => {
    const srv = createServer(nodeMetricsHandler(sampleRegistry()));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as AddressInfo).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept: "application/openmetrics-text" } });
      expect(res.headers.get("content-type")).toContain("application/openmetrics-text");
      expect(await res.text()).toContain("app_inflight 2");
    } finally {
      srv.close();
    }
  });
});

describe("promtool check metrics", () => {
  const promtool = "/usr/bin/promtool";
  test.skipIf(!existsSync(promtool))("accepts the text output (including default metrics)", async () => {
    const body = await sampleRegistry().metrics("text");
    const r = spawnSync(promtool, ["check", "metrics"], { input: body, encoding: "utf8" });
    // promtool exits 1 for lint warnings too; parse errors are reported as "error while linting".
    expect(r.stderr + r.stdout).not.toContain("error while linting");
    const problems = (r.stdout + r.stderr).split("\n").filter((l) => l.trim() !== "");
    expect(problems).toEqual([]);
  });
  if (!existsSync(promtool)) console.warn("promtool not found at /usr/bin/promtool: skipping the promtool check");
});

describe("mounting", () => {
  test("in Elysia", async () => {
    const { Elysia } = await import("elysia");
    const handler = metricsHandler(sampleRegistry());
    const app = new Elysia().get("/metrics", ({ request }) => handler(request));
    const res = await app.handle(new Request("http://localhost/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await res.text()).toContain("app_inflight 2\n");
  });
});
