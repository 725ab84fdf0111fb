import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { parseToFamilies } from "../../../core/exposition/index.ts";
import { Labels } from "../../../core/model/labels.ts";
import { parseScrapeBody } from "../../../core/scrape/parse.ts";
import type { ScrapeConfig } from "../../../core/scrape/config.ts";
import { freePort, startChild, waitForHttp, type Child } from "../../../exporters/service/testing/processes.ts";
import { makeLoop, samples, scrapeConfig } from "./helpers.ts";

// Interop: scrape a real node_exporter on loopback and check the store holds exactly its exposition.
const BIN = "/usr/bin/prometheus-node-exporter";
const have = existsSync(BIN);
if (!have) console.warn(`node-exporter.interop.test.ts: ${BIN} not installed, skipping`);

let child: Child | undefined;
let port = 0;

beforeAll(async () => {
  if (!have) return;
  port = await freePort();
  child = startChild(BIN, [`--web.listen-address=127.0.0.1:${port}`]);
  await waitForHttp(`http://127.0.0.1:${port}/metrics`, 10_000);
});
afterAll(() => child?.stop());

describe.skipIf(!have)("node_exporter interop", () => {
  test("stores exactly the samples of the scraped exposition", async () => {
    let body = "", contentType = "";
    const parse = (text: string, ct: string, cfg: ScrapeConfig) => {
      body = text;
      contentType = ct;
      return parseScrapeBody(text, ct, cfg);
    };
    const T = 1_700_000_000_000;
    const { db, loop, target } = makeLoop(scrapeConfig({ job_name: "node" }), `127.0.0.1:${port}`, { parse });
    await loop.scrapeOnce(T);
    expect(target.lastError).toBe("");
    expect(contentType).toStartWith("text/plain");
    const fams = parseToFamilies(body, "text");
    const want = new Map<string, number>();
    for (const f of fams) {
      for (const s of f.samples) {
        const l = Labels.from({ ...s.labels, __name__: s.name, job: "node", instance: `127.0.0.1:${port}` });
        want.set(l.key(), s.value);
      }
    }
    expect(want.size).toBeGreaterThan(100);
    const synthetic = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"]);
    const got = (await samples(db)).filter((s) => !synthetic.has(s.labels.__name__!));
    expect(got.length).toBe(want.size);
    for (const s of got) {
      const key = Labels.from(s.labels).key();
      expect(want.has(key)).toBe(true);
      const w = want.get(key)!;
      if (Number.isNaN(w)) expect(Number.isNaN(s.v as number)).toBe(true);
      else expect(s.v).toBe(w);
      expect(s.t).toBe(T);
    }
    const up = (await samples(db, "up"))[0]!;
    expect(up.v).toBe(1);
    const scraped = (await samples(db, "scrape_samples_scraped"))[0]!;
    expect(scraped.v).toBe(want.size);
    expect(target.metadata.get("node_load1")).toEqual({ type: "gauge", help: "1m load average.", unit: "" });
  });
});
