/**
 * promtool's query subcommands (the real Debian binary) against Quiver's /api/v1, served over HTTP by
 * the harness: instant, range, series and labels must print what they print against Prometheus
 * (compare /work/shared/reference-outputs/promtool-query-instant-up.txt).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { sharedPath } from "../helpers/shared.ts";
import { peer, run, startHarness, type Harness } from "./api-harness.ts";

const bin = peer("/usr/bin/promtool");
let h: Harness;

describe.skipIf(!bin)("promtool query against /api/v1", () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test("query instant prints the same shape as against Prometheus", async () => {
    const t = h.end / 1000;
    const r = await run(bin!, ["query", "instant", `--time=${t}`, h.url, "up"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `up{instance="127.0.0.1:19090", job="prometheus"} => 1 @[${t}]\n` +
        `up{instance="127.0.0.1:19100", job="node"} => 1 @[${t}]\n`,
    );
    const ref = sharedPath("reference-outputs", "promtool-query-instant-up.txt");
    if (ref) {
      // Same line grammar as the reference captured from Prometheus 2.42.
      const grammar = /^up\{instance="[^"]+", job="[^"]+"\} => 1 @\[\d+(\.\d+)?\]$/;
      for (const line of readFileSync(ref, "utf8").trim().split("\n")) expect(line).toMatch(grammar);
      for (const line of r.out.trim().split("\n")) expect(line).toMatch(grammar);
    }
  });

  test("query instant with a scalar and a JSON output", async () => {
    const t = h.end / 1000;
    expect((await run(bin!, ["query", "instant", `--time=${t}`, h.url, "scalar(sum(up))"])).out).toBe(`scalar: 2 @[${t}]\n`);
    const j = JSON.parse((await run(bin!, ["query", "instant", "-o", "json", `--time=${t}`, h.url, "node_load1"])).out);
    expect(j).toEqual([{ metric: { __name__: "node_load1", instance: "127.0.0.1:19100", job: "node" }, value: [t, "5"] }]);
  });

  test("query range", async () => {
    const end = h.end / 1000;
    const r = await run(bin!, ["query", "range", `--start=${end - 30}`, `--end=${end}`, "--step=15s", h.url, "node_load1"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`node_load1{instance="127.0.0.1:19100", job="node"} =>\n4.5 @[${end - 30}]\n4.75 @[${end - 15}]\n5 @[${end}]\n`);
  });

  test("query range errors are reported (step too small)", async () => {
    const end = h.end / 1000;
    const r = await run(bin!, ["query", "range", `--start=${end - 86400 * 2}`, `--end=${end}`, "--step=1s", h.url, "up"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("exceeded maximum resolution of 11,000 points per timeseries");
  });

  test("query series", async () => {
    const r = await run(bin!, ["query", "series", "--match=up", h.url]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('{__name__="up", instance="127.0.0.1:19090", job="prometheus"}\n{__name__="up", instance="127.0.0.1:19100", job="node"}\n');
  });

  test("query labels", async () => {
    expect((await run(bin!, ["query", "labels", h.url, "job"])).out).toBe("node\nprometheus\n");
    expect((await run(bin!, ["query", "labels", "--match=node_load1", h.url, "__name__"])).out).toBe("node_load1\n");
  });
});
