import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Labels } from "../../../core/model/labels.ts";
import { ScrapeCache, CACHE_EVICT_AFTER } from "../../../core/scrape/cache.ts";
import { ScrapeLoop, SYSTEM_CLOCK } from "../../../core/scrape/loop.ts";
import { ScrapeMetrics } from "../../../core/scrape/metrics.ts";
import { parseScrapeBody } from "../../../core/scrape/parse.ts";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import type { Appendable, Appender, SeriesRef } from "../../../core/storage/interface.ts";
import { makeLoop, samples, scrapeConfig, valueAt } from "./helpers.ts";

const TEXT = "text/plain; version=0.0.4; charset=utf-8";
const OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
let body = "";
let contentType = TEXT;
let server: Server;
let addr = "";

beforeAll(async () => {
  server = await detectRuntime().serve(() => new Response(body, { headers: { "content-type": contentType } }), { hostname: "127.0.0.1", port: 0 });
  addr = `127.0.0.1:${server.port}`;
});
afterAll(() => server.stop());

const T1 = 1_700_000_000_000, STEP = 15_000;

/** A MemoryStorage whose appenders record the Labels object of every append. */
function recording(db: MemoryStorage): { app: Appendable; seen: Labels[] } {
  const seen: Labels[] = [];
  return {
    seen,
    app: {
      appender(): Appender {
        const a = db.appender();
        return {
          append: (ref: SeriesRef, l: Labels, t: number, v: number) => {
            seen.push(l);
            return a.append(ref, l, t, v);
          },
          appendStale: (ref: SeriesRef, l: Labels, t: number) => a.appendStale!(ref, l, t),
          commit: () => a.commit(),
          rollback: () => a.rollback(),
        };
      },
    },
  };
}

describe("scrape cache", () => {
  test("a steady-state scrape reuses the cached Labels objects; dropped series are cached as dropped", async () => {
    contentType = TEXT;
    body = "a{x=\"1\"} 1\nb 2\ndrop_me 3\n";
    const db = new MemoryStorage();
    const rec = recording(db);
    const cfg = scrapeConfig({ metric_relabel_configs: [{ source_labels: ["__name__"], regex: "drop_me", action: "drop" }] });
    const r = makeLoop(cfg, addr);
    // A loop on the recording appendable, same target.
    let now = T1;
    const loop = new ScrapeLoop({
      target: r.target, config: cfg, appendable: rec.app, logger: nopLogger, clock: { now: () => now, sleep: SYSTEM_CLOCK.sleep },
      metrics: new ScrapeMetrics(), parse: parseScrapeBody, configDir: process.cwd(),
    });
    await loop.scrapeOnce(T1);
    const first = rec.seen.filter((l) => l.get("__name__") === "a" || l.get("__name__") === "b");
    rec.seen.length = 0;
    now = T1 + STEP;
    await loop.scrapeOnce(T1 + STEP);
    const second = rec.seen.filter((l) => l.get("__name__") === "a" || l.get("__name__") === "b");
    expect(second.length).toBe(2);
    expect(second[0]).toBe(first[0]!); // the very same object: no label building on a hit
    expect(second[1]).toBe(first[1]!);
    expect(rec.seen.some((l) => l.get("__name__") === "drop_me")).toBe(false);
    expect((await samples(db, "a|b|drop_me")).map((s) => s.labels.__name__)).toEqual(["a", "a", "b", "b"]);
  });

  test("two spellings of one series share its staleness state", async () => {
    contentType = TEXT;
    const { db, loop } = makeLoop(scrapeConfig(), addr);
    body = "m{x=\"1\",y=\"2\"} 1\n";
    await loop.scrapeOnce(T1);
    body = "m{y=\"2\",x=\"1\"} 2\n";
    await loop.scrapeOnce(T1 + STEP);
    expect((await samples(db, "m")).map((s) => [s.t, s.v])).toEqual([[T1, 1], [T1 + STEP, 2]]);
    expect(await valueAt(db, "scrape_series_added", T1 + STEP)).toBe(0);
  });

  test("raw entries (also dropped ones) and series unseen for more than a couple of scrapes are evicted", () => {
    const c = new ScrapeCache();
    const db = new MemoryStorage();
    c.begin();
    const e = c.addRaw("gone", Labels.from({ __name__: "gone" }));
    e.series!.cur = c.iter;
    e.series!.curTracked = true;
    c.addRaw("dropped", null);
    c.commitScrape(db.appender(), T1);
    expect(c.size).toEqual({ raw: 2, series: 1 });
    for (let i = 1; i <= CACHE_EVICT_AFTER; i++) {
      c.begin();
      c.commitScrape(db.appender(), T1 + i * STEP);
      expect(c.size).toEqual({ raw: 2, series: 1 });
    }
    c.begin();
    c.commitScrape(db.appender(), T1 + 10 * STEP);
    expect(c.size).toEqual({ raw: 0, series: 0 });
  });

  test("a replacement loop (changed config) recomputes labels and inherits only the staleness set", async () => {
    contentType = TEXT;
    body = "keep 1\nlater_dropped 2\n";
    const first = makeLoop(scrapeConfig(), addr);
    await first.loop.scrapeOnce(T1);
    const cfg2 = scrapeConfig({ metric_relabel_configs: [{ source_labels: ["__name__"], regex: "later_dropped", action: "drop" }] });
    const clock = { now: () => T1 + STEP, sleep: SYSTEM_CLOCK.sleep };
    const second = new ScrapeLoop({
      target: first.target, config: cfg2, appendable: first.db, logger: nopLogger, clock, metrics: new ScrapeMetrics(),
      parse: parseScrapeBody, configDir: process.cwd(), cache: first.real.cache,
    });
    await second.scrapeOnce(T1 + STEP);
    expect((await samples(first.db, "later_dropped")).map((s) => [s.t, s.v])).toEqual([[T1, 2], [T1 + STEP, "stale"]]);
    expect((await samples(first.db, "keep")).map((s) => [s.t, s.v])).toEqual([[T1, 1], [T1 + STEP, 1]]);
    expect(await valueAt(first.db, "scrape_series_added", T1 + STEP)).toBe(0);
    expect([...second.cache.keys()].length).toBe(1);
  });

  test("metadata follows the exposition's family grouping (text and OpenMetrics)", async () => {
    contentType = TEXT;
    body = [
      "# HELP h Latency.", "# TYPE h histogram", "h_bucket{le=\"1\"} 1", "h_bucket{le=\"+Inf\"} 2", "h_sum 3", "h_count 2",
      "# HELP empty No samples.", "# TYPE empty gauge",
      "plain 1", "# HELP plain Help after the sample.", "",
    ].join("\n");
    const t = makeLoop(scrapeConfig(), addr);
    await t.loop.scrapeOnce(T1);
    expect(Object.fromEntries(t.target.metadata)).toEqual({
      h: { type: "histogram", help: "Latency.", unit: "" },
      plain: { type: "unknown", help: "Help after the sample.", unit: "" },
    });
    contentType = OM;
    body = "# TYPE c counter\n# UNIT c seconds\n# HELP c Total.\nc_total 1\nc_created 1\n# TYPE other gauge\n# EOF\n";
    const o = makeLoop(scrapeConfig(), addr);
    await o.loop.scrapeOnce(T1);
    expect(Object.fromEntries(o.target.metadata)).toEqual({ c: { type: "counter", help: "Total.", unit: "seconds" } });
  });

  test("metadata follows changes between scrapes; a failed scrape leaves it as it was", async () => {
    contentType = TEXT;
    const t = makeLoop(scrapeConfig(), addr);
    body = "# HELP a First.\n# TYPE a gauge\na 1\n# TYPE b counter\nb 1\n";
    await t.loop.scrapeOnce(T1);
    expect(Object.fromEntries(t.target.metadata)).toEqual({ a: { type: "gauge", help: "First.", unit: "" }, b: { type: "counter", help: "", unit: "" } });
    const before = t.target.metadata.get("a");
    await t.loop.scrapeOnce(T1 + STEP);
    expect(t.target.metadata.get("a")).toBe(before!); // unchanged: not rebuilt
    body = "# HELP a Second.\n# TYPE a gauge\na 1\n";
    await t.loop.scrapeOnce(T1 + 2 * STEP);
    expect(Object.fromEntries(t.target.metadata)).toEqual({ a: { type: "gauge", help: "Second.", unit: "" } });
    body = "# HELP a Third.\n# TYPE a gauge\na{ 1\n";
    await t.loop.scrapeOnce(T1 + 3 * STEP);
    expect(t.target.health).toBe("down");
    expect(Object.fromEntries(t.target.metadata)).toEqual({ a: { type: "gauge", help: "Second.", unit: "" } });
    body = "# TYPE a gauge\na 1\n# TYPE b counter\nb 1\n";
    await t.loop.scrapeOnce(T1 + 4 * STEP);
    expect(Object.fromEntries(t.target.metadata)).toEqual({ a: { type: "gauge", help: "", unit: "" }, b: { type: "counter", help: "", unit: "" } });
  });

  test("a parse error late in the body stores nothing of the scrape and marks the previous series stale", async () => {
    contentType = TEXT;
    const { db, loop, target } = makeLoop(scrapeConfig(), addr);
    body = "a 1\nb 2\n";
    await loop.scrapeOnce(T1);
    body = "a 1\nb 2\nc{ 3\n";
    await loop.scrapeOnce(T1 + STEP);
    expect(target.health).toBe("down");
    expect(target.lastError).toBe("line 3, column 4: expected label name, found \"3\"");
    expect((await samples(db, "a|b|c")).map((s) => [s.labels.__name__, s.t, s.v])).toEqual([
      ["a", T1, 1], ["a", T1 + STEP, "stale"], ["b", T1, 2], ["b", T1 + STEP, "stale"],
    ]);
    expect(await valueAt(db, "up", T1 + STEP)).toBe(0);
  });
});
