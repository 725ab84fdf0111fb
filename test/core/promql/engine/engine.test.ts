import { describe, expect, test } from "bun:test";
import {
  Engine, ExecutionError, ParseError, QueryCanceledError, QueryTimeoutError, TooManySamplesError, type QueryResult,
} from "../../../../core/promql/index.ts";
import { renderResult } from "../../../../core/api/v1/query-render.ts";
import type { Queryable } from "../../../../core/storage/interface.ts";
import { fixtureStore } from "./fixture.ts";

const store = await fixtureStore();

/** The API's rendering of a result (`{resultType, result}`), parsed back for comparisons. */
function toApiData(r: QueryResult): { resultType: string; result: unknown } {
  return { resultType: r.resultType, result: JSON.parse(renderResult(r)) };
}
const MIN = 60_000;

describe("Engine", () => {
  test("instant vector query and API rendering", async () => {
    const e = new Engine();
    const r = await e.instantQuery(store, 'sum by (job) (rate(http_requests_total[5m]))', 30 * MIN);
    expect(r.resultType).toBe("vector");
    const data = toApiData(r);
    expect(data.resultType).toBe("vector");
    const byJob = Object.fromEntries((data.result as Array<{ metric: Record<string, string>; value: [number, string] }>)
      .map((s) => [s.metric.job, s.value]));
    expect(byJob.api).toEqual([1800, "2"]);
    expect(byJob.db).toEqual([1800, "2"]);
  });

  test("range query returns a sorted matrix with one point per step", async () => {
    const e = new Engine();
    const r = await e.rangeQuery(store, "http_requests_total", 0, 10 * MIN, MIN);
    if (r.resultType !== "matrix") throw new Error("expected matrix");
    expect(r.result.length).toBe(4);
    expect(r.result.map((s) => s.metric.toString())).toEqual([...r.result.map((s) => s.metric.toString())].sort());
    expect(Array.from(r.result[0]!.timestamps)).toEqual(Array.from({ length: 11 }, (_, i) => i * MIN));
  });

  test("scalar and string results", async () => {
    const e = new Engine();
    const s = await e.instantQuery(store, "1 + 2 * 3", 0);
    expect(toApiData(s)).toEqual({ resultType: "scalar", result: [0, "7"] });
    const str = await e.instantQuery(store, '"hi"', 5000);
    expect(toApiData(str)).toEqual({ resultType: "string", result: [5, "hi"] });
  });

  test("staleness marker ends a series before the lookback runs out", async () => {
    const e = new Engine();
    const before = await e.instantQuery(store, "bar", 20_000);
    expect(before.resultType === "vector" && before.result.length).toBe(1);
    const after = await e.instantQuery(store, "bar", 40_000);
    expect(after.resultType === "vector" && after.result.length).toBe(0);
  });

  test("lookback delta is configurable per engine and per query", async () => {
    const short = new Engine({ lookbackDeltaMs: 10_000 });
    const r = await short.instantQuery(store, "up", 240 * 15_000 + 12_000);
    expect(r.resultType === "vector" && r.result.length).toBe(0);
    const r2 = await short.instantQuery(store, "up", 240 * 15_000 + 12_000, { lookbackDeltaMs: 60_000 });
    expect(r2.resultType === "vector" && r2.result.length).toBe(1);
  });

  test("histogram_quantile over classic buckets", async () => {
    const e = new Engine();
    const r = await e.instantQuery(store, "histogram_quantile(0.5, sum by (le) (rate(x_bucket[5m])))", 30 * MIN);
    if (r.resultType !== "vector") throw new Error("expected vector");
    expect(r.result.length).toBe(1);
    expect(r.result[0]!.metric.toObject()).toEqual({});
    expect(r.result[0]!.v).toBeCloseTo(0.625, 6);
  });

  test("parse errors are ParseError (bad_data)", async () => {
    const e = new Engine();
    await expect(e.instantQuery(store, "sum(", 0)).rejects.toBeInstanceOf(ParseError);
  });

  test("many-to-many matching is an execution error", async () => {
    const e = new Engine();
    const p = e.instantQuery(store, "http_requests_total + on(job) foo", 10 * MIN);
    await expect(p).rejects.toBeInstanceOf(ExecutionError);
    await expect(p).rejects.toThrow(/many-to-many matching not allowed/);
  });

  test("duplicate label sets after name removal are rejected", async () => {
    const e = new Engine();
    await expect(e.instantQuery(store, 'label_replace(foo, "instance", "x", "", "")', 10 * MIN))
      .rejects.toThrow("vector cannot contain metrics with the same labelset");
  });

  test("max samples limit", async () => {
    const e = new Engine({ maxSamples: 100 });
    await expect(e.rangeQuery(store, "http_requests_total", 0, 60 * MIN, 15_000)).rejects.toBeInstanceOf(TooManySamplesError);
    const ok = await e.instantQuery(store, "up", 10 * MIN);
    expect(ok.resultType).toBe("vector");
  });

  test("timeout stops a runaway query", async () => {
    let now = 0;
    const slow: Queryable = {
      async querier(mint, maxt) {
        const q = await store.querier(mint, maxt);
        return { ...q, select: async (m, h) => { now += 10_000; return q.select(m, h); } };
      },
    };
    const e = new Engine({ timeoutMs: 5_000, now: () => now });
    await expect(e.rangeQuery(slow, "sum(rate(http_requests_total[5m])) + sum(foo)", 0, 60 * MIN, 15_000))
      .rejects.toBeInstanceOf(QueryTimeoutError);
  });

  test("an aborted signal cancels the query", async () => {
    const e = new Engine();
    const ac = new AbortController();
    ac.abort();
    await expect(e.instantQuery(store, "foo", 0, { signal: ac.signal })).rejects.toBeInstanceOf(QueryCanceledError);
  });

  test("max concurrency queues further queries", async () => {
    let inFlight = 0, peak = 0;
    const gated: Queryable = {
      async querier(mint, maxt) {
        const q = await store.querier(mint, maxt);
        return {
          ...q,
          select: async (m, h) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
            return q.select(m, h);
          },
        };
      },
    };
    const e = new Engine({ maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => e.instantQuery(gated, "foo", MIN)));
    expect(peak).toBeLessThanOrEqual(2);
  });

  test("fused aggregation still rejects label sets that collide once names are dropped", async () => {
    const e = new Engine();
    await expect(e.instantQuery(store, 'sum(rate({__name__=~"http_requests_total|foo"}[5m]))', 10 * MIN))
      .rejects.toThrow("vector cannot contain metrics with the same labelset");
    const ok = await new Engine({ features: { delayedNameRemoval: true } })
      .instantQuery(store, 'sum(rate({__name__=~"http_requests_total|foo"}[5m]))', 10 * MIN);
    expect(ok.resultType === "vector" && ok.result.length).toBe(1);
  });

  test("aggregation gives the same answer whether its input is streamed or materialised", async () => {
    const e = new Engine();
    for (const op of ["sum", "avg", "min", "max", "count", "group"]) {
      const fused = await e.rangeQuery(store, `${op} by (job) (rate(http_requests_total[5m]))`, 0, 30 * MIN, MIN);
      // `+ 0` makes the input a materialised vector (binary expressions do not stream).
      const plain = await e.rangeQuery(store, `${op} by (job) (rate(http_requests_total[5m]) + 0)`, 0, 30 * MIN, MIN);
      expect(toApiData(fused)).toEqual(toApiData(plain));
    }
  });

  test("query log receives Prometheus-shaped entries, also for failures", async () => {
    const entries: unknown[] = [];
    let now = 1_000;
    const e = new Engine({ now: () => (now += 5), queryLog: (x) => entries.push(x) });
    await e.rangeQuery(store, "up", 0, 2 * MIN, MIN);
    await expect(e.instantQuery(store, "http_requests_total + on(job) foo", MIN)).rejects.toThrow();
    expect(entries.length).toBe(2);
    expect(entries[0]).toMatchObject({ params: { query: "up", start: "1970-01-01T00:00:00.000Z", end: "1970-01-01T00:02:00.000Z", step: 60 } });
    expect((entries[1] as { error?: string }).error).toMatch(/many-to-many/);
    expect((entries[1] as { params: { step: number } }).params.step).toBe(0);
  });

  test("range queries reject matrix-typed expressions", async () => {
    const e = new Engine();
    await expect(e.rangeQuery(store, "foo[5m]", 0, MIN, 15_000)).rejects.toThrow('invalid expression type "range vector" for range query, must be Scalar or instant Vector');
  });

  test("name is dropped at each step by default and at the end with delayed name removal", async () => {
    const eager = new Engine();
    const r = await eager.instantQuery(store, "sum by (__name__) (rate(http_requests_total[5m]))", 10 * MIN);
    expect(r.resultType === "vector" && r.result.map((s) => s.metric.toObject())).toEqual([{}]);
    const delayed = new Engine({ features: { delayedNameRemoval: true } });
    const d = await delayed.instantQuery(store, "sum by (__name__) (http_requests_total)", 10 * MIN);
    expect(d.resultType === "vector" && d.result.map((s) => s.metric.toObject())).toEqual([{ __name__: "http_requests_total" }]);
  });
});
