import { describe, expect, test } from "bun:test";
import { MemoryStorage } from "../../../../core/storage/memory.ts";
import { buildApi, call, NOW } from "./helpers.ts";

const S = NOW / 1000;

describe("/api/v1/query", () => {
  test("instant vector: envelope, label order, value strings, float-second timestamps", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query?query=up");
    expect(a.status).toBe(200);
    expect(a.headers.get("content-type")).toBe("application/json");
    expect(a.text).toBe(
      `{"status":"success","data":{"resultType":"vector","result":[` +
        `{"metric":{"__name__":"up","instance":"localhost:9090","job":"prometheus"},"value":[${S},"1"]},` +
        `{"metric":{"__name__":"up","instance":"localhost:9100","job":"node"},"value":[${S},"0"]}]}}`,
    );
  });

  test("NaN, +Inf and tiny values render as Prometheus does", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query?query=weird");
    const vals = Object.fromEntries(a.body.data.result.map((r: { metric: { kind: string }; value: [number, string] }) => [r.metric.kind, r.value[1]]));
    expect(vals).toEqual({ nan: "NaN", inf: "+Inf", tiny: "1e-07" });
  });

  test("time as RFC 3339 and with millisecond fraction", async () => {
    const app = await buildApi();
    const a = await call(app, `/api/v1/query?query=time()&time=2026-01-02T13:30:00.123Z`);
    expect(a.body.data).toEqual({ resultType: "scalar", result: [S - 420 + 0.123, String(S - 420 + 0.123)] });
    const b = await call(app, `/api/v1/query?query=time()&time=${S - 1}.5`);
    expect(b.body.data.result).toEqual([S - 0.5, String(S - 0.5)]);
  });

  test("form-encoded POST with the same parameters", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query", new URLSearchParams({ query: 'up{job="node"}', time: String(S) }));
    expect(a.status).toBe(200);
    expect(a.body.data.result).toEqual([{ metric: { __name__: "up", instance: "localhost:9100", job: "node" }, value: [S, "0"] }]);
  });

  test("string and scalar results", async () => {
    const app = await buildApi();
    expect((await call(app, `/api/v1/query?query="hi"&time=${S}`)).body.data).toEqual({ resultType: "string", result: [S, "hi"] });
    expect((await call(app, `/api/v1/query?query=1%2B1&time=${S}`)).body.data).toEqual({ resultType: "scalar", result: [S, "2"] });
  });

  test("limit truncates with a warning", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query?query=up&limit=1");
    expect(a.body.data.result).toHaveLength(1);
    expect(a.body.warnings).toEqual(["results truncated due to limit"]);
  });

  test("stats=all adds Prometheus's stats object", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query?query=up&stats=all");
    expect(Object.keys(a.body.data.stats.timings)).toEqual(["evalTotalTime", "resultSortTime", "queryPreparationTime", "innerEvalTime", "execQueueTime", "execTotalTime"]);
    expect(a.body.data.stats.samples.totalQueryableSamples).toBeGreaterThan(0);
    expect(a.body.data.stats.samples.totalQueryableSamplesPerStep).toEqual([]);
  });

  const errors: Array<[string, number, string, string]> = [
    ["/api/v1/query", 400, "bad_data", 'invalid parameter "query": 1:1: parse error: no expression found in input'],
    ["/api/v1/query?query=up{", 400, "bad_data", 'invalid parameter "query": 1:4: parse error: unexpected end of input inside braces'],
    ["/api/v1/query?query=up&time=yesterday", 400, "bad_data", `invalid parameter "time": Invalid time value for 'time': cannot parse "yesterday" to a valid timestamp`],
    ["/api/v1/query?query=up&timeout=abc", 400, "bad_data", 'invalid parameter "timeout": cannot parse "abc" to a valid duration'],
    ["/api/v1/query?query=up&limit=-1", 400, "bad_data", 'invalid parameter "limit": limit must be non-negative'],
    ["/api/v1/query?query=up&lookback_delta=x", 400, "bad_data", 'error parsing lookback delta duration: cannot parse "x" to a valid duration'],
    ["/api/v1/query?query=http_requests_total%2Bon(job)%20group_left%20http_requests_total", 422, "execution", ""],
  ];
  for (const [path, status, type, msg] of errors) {
    test(`error: ${path}`, async () => {
      const app = await buildApi();
      const a = await call(app, path);
      expect(a.status).toBe(status);
      expect(a.body.status).toBe("error");
      expect(a.body.errorType).toBe(type);
      if (msg) expect(a.body.error).toBe(msg);
      expect(Object.keys(a.body)).toEqual(["status", "errorType", "error"]);
    });
  }

  test("timeout parameter ends the query as errorType timeout (503)", async () => {
    const app = await buildApi();
    const a = await call(app, `/api/v1/query_range?query=count_over_time(up[10m])&start=${S - 600}&end=${S}&step=0.1&timeout=0.000001`);
    // 6,000 steps is allowed; a 1 µs timeout cannot be met.
    expect(a.status).toBe(503);
    expect(a.body.errorType).toBe("timeout");
  });

  test("no engine: unavailable, never fake data", async () => {
    const app = await buildApi({ engine: undefined });
    const a = await call(app, "/api/v1/query?query=up");
    expect(a.status).toBe(503);
    expect(a.body.errorType).toBe("unavailable");
  });
});

describe("/api/v1/query_range", () => {
  test("matrix over a step given as a duration", async () => {
    const app = await buildApi();
    const a = await call(app, `/api/v1/query_range?query=up{job="node"}&start=${S - 60}&end=${S}&step=30s`);
    expect(a.body).toEqual({
      status: "success",
      data: { resultType: "matrix", result: [{ metric: { __name__: "up", instance: "localhost:9100", job: "node" }, values: [[S - 60, "0"], [S - 30, "0"], [S, "0"]] }] },
    });
  });

  test("form POST with RFC 3339 times and float step", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/query_range", "query=sum(up)&start=2026-01-02T13:36:00Z&end=2026-01-02T13:37:00Z&step=60");
    expect(a.body.data.result).toEqual([{ metric: {}, values: [[S - 60, "1"], [S, "1"]] }]);
  });

  const errors: Array<[string, string]> = [
    [`query=up&end=${S}&step=15`, 'invalid parameter "start": cannot parse "" to a valid timestamp'],
    [`query=up&start=${S}&step=15`, 'invalid parameter "end": cannot parse "" to a valid timestamp'],
    [`query=up&start=${S}&end=${S - 1}&step=15`, 'invalid parameter "end": end timestamp must not be before start time'],
    [`query=up&start=${S - 60}&end=${S}`, 'invalid parameter "step": cannot parse "" to a valid duration'],
    [`query=up&start=${S - 60}&end=${S}&step=0`, 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
    [`query=up&start=${S - 60}&end=${S}&step=-5s`, 'invalid parameter "step": cannot parse "-5s" to a valid duration'],
    [`query=up&start=0&end=11001&step=1`, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"],
    [`query=up[5m]&start=${S - 60}&end=${S}&step=15`, 'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector'],
    [`query=rate(&start=${S - 60}&end=${S}&step=15`, 'invalid parameter "query": 1:6: parse error: unclosed left parenthesis'],
  ];
  for (const [qs, msg] of errors) {
    test(`bad_data: ${qs}`, async () => {
      const app = await buildApi();
      const a = await call(app, `/api/v1/query_range?${qs.replaceAll("[", "%5B").replaceAll("]", "%5D")}`);
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ status: "error", errorType: "bad_data", error: msg });
    });
  }

  test("10,000 intervals are accepted", async () => {
    const app = await buildApi({ queryable: new MemoryStorage() });
    const a = await call(app, "/api/v1/query_range?query=vector(1)&start=0&end=10000&step=1");
    expect(a.status).toBe(200);
    expect(a.body.data.result[0].values).toHaveLength(10001);
  });

  // Prometheus accepts (end-start)/step == 11000 (11,001 points): both the API and the engine count intervals.
  test("exactly 11,000 intervals (11,001 points) are accepted", async () => {
    const app = await buildApi({ queryable: new MemoryStorage() });
    const a = await call(app, "/api/v1/query_range?query=vector(1)&start=0&end=11000&step=1");
    expect(a.status).toBe(200);
  });
});

describe("format_query, parse_query, query_exemplars", () => {
  test("format_query prints the canonical form", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/format_query?query=sum(rate(x[5m]))by(job)")).body).toEqual({ status: "success", data: "sum by (job) (rate(x[5m]))" });
    const bad = await call(app, "/api/v1/format_query?query=foo{");
    expect(bad.status).toBe(400);
    expect(bad.body.error.startsWith('invalid parameter "query": 1:5: parse error')).toBe(true);
  });

  test("parse_query returns the UI's AST tree", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/parse_query", "query=" + encodeURIComponent('up{job="a"} offset 5m > bool 1'));
    expect(a.body.data).toEqual({
      type: "binaryExpr", op: ">", bool: true, matching: null,
      lhs: {
        type: "vectorSelector", name: "up", offset: 300000,
        matchers: [{ name: "job", value: "a", type: "=" }, { name: "__name__", value: "up", type: "=" }].sort((x, y) => (x.name < y.name ? -1 : 1)),
        timestamp: null, startOrEnd: null, anchored: false, smoothed: false,
      },
      rhs: { type: "numberLiteral", val: "1" },
    });
  });

  test("query_exemplars without exemplar storage answers an empty list; no selectors answers 204", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/query_exemplars?query=up")).body).toEqual({ status: "success", data: [] });
    expect((await call(app, "/api/v1/query_exemplars?query=1")).status).toBe(204);
    const bad = await call(app, "/api/v1/query_exemplars?query=up&start=10&end=5");
    expect(bad.body.error).toBe("end timestamp must not be before start timestamp");
  });
});
