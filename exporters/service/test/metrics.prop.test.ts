/**
 * Property tests of the client library's invariants: histogram buckets are cumulative and end at _count,
 * _sum is the sum of observations; summary quantiles are observed values in rank order.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { Histogram, Registry, Summary } from "../index.ts";

test("histogram: cumulative buckets, +Inf equals count, sum equals the observations' sum", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 200 }), async (obs) => {
      const reg = new Registry();
      const h = new Histogram({ name: "h", help: "h", buckets: [-10, 0, 0.5, 1, 100, 1e5], registers: [reg] });
      for (const v of obs) h.observe(v);
      const s = (await reg.collect())[0]!.samples;
      const buckets = s.filter((x) => x.name === "h_bucket");
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      const count = s.find((x) => x.name === "h_count")!.value;
      expect(buckets.at(-1)!.value).toBe(count);
      expect(count).toBe(obs.length);
      for (const b of buckets.slice(0, -1)) expect(b.value).toBe(obs.filter((v) => v <= Number(b.labels.le)).length);
      expect(s.find((x) => x.name === "h_sum")!.value).toBeCloseTo(obs.reduce((a, b) => a + b, 0), 3);
    }),
    { numRuns: 100 },
  );
});

test("summary: each quantile is an observed value at its nearest rank", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 300 }), async (obs) => {
      const reg = new Registry();
      const s = new Summary({ name: "s", help: "s", percentiles: [0, 0.5, 0.9, 1], registers: [reg], now: () => 0 });
      for (const v of obs) s.observe(v);
      const sorted = [...obs].sort((a, b) => a - b);
      const samples = (await reg.collect())[0]!.samples;
      for (const q of [0, 0.5, 0.9, 1]) {
        const got = samples.find((x) => x.labels.quantile === String(q))!.value;
        expect(got).toBe(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
      }
      expect(samples.find((x) => x.name === "s_count")!.value).toBe(obs.length);
    }),
    { numRuns: 100 },
  );
});
