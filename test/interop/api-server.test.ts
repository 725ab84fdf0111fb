/**
 * The real Quiver server process (test/helpers/quiver-process.ts) against the real Debian peers:
 * promtool check metrics on /metrics, promtool query on series Quiver scraped from itself, and a real
 * Prometheus federating from Quiver's /federate with honor_labels.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { freePort, pollUntil, startPrometheus } from "../../exporters/service/testing/processes.ts";
import { federateConfig, peer, run } from "./api-harness.ts";

const promtool = peer("/usr/bin/promtool");
const prometheus = peer("/usr/bin/prometheus");
let q: QuiverProcess | undefined;
let dir = "";

describe.skipIf(!promtool)("real Quiver process with promtool and Prometheus", () => {
  let port = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-api-e2e-"));
    port = await freePort();
    writeFileSync(join(dir, "quiver.yml"), [
      "global:",
      "  scrape_interval: 1s",
      "  external_labels:",
      "    site: lab",
      "scrape_configs:",
      "  - job_name: quiver",
      "    static_configs:",
      `      - targets: ['127.0.0.1:${port}']`,
      "",
    ].join("\n"));
    q = await startQuiver({ args: [`--web.listen-address=127.0.0.1:${port}`, `--config.file=${join(dir, "quiver.yml")}`] });
  }, 40_000);

  afterAll(async () => {
    await q?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("promtool check metrics accepts /metrics", async () => {
    const body = await (await fetch(`${q!.url}/metrics`)).text();
    const r = await run(promtool!, ["check", "metrics"], body);
    if (r.code !== 0) console.error(r.out, r.err);
    expect(r.code).toBe(0);
  });

  test("promtool query on self-scraped series", async () => {
    const ok = await pollUntil(async () => {
      const b = (await (await fetch(`${q!.url}/api/v1/query?query=up`)).json()) as { data: { result: unknown[] } };
      return b.data.result.length > 0 ? true : undefined;
    }, 15_000, 250);
    expect(ok).toBe(true);
    const r = await run(promtool!, ["query", "instant", q!.url, "up"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^up\\{instance="127\\.0\\.0\\.1:${port}", job="quiver"\\} => 1 @\\[\\d+(\\.\\d+)?\\]\\n$`));
    const s = await run(promtool!, ["query", "series", "--match=up", q!.url]);
    expect(s.out).toBe(`{__name__="up", instance="127.0.0.1:${port}", job="quiver"}\n`);
    expect((await run(promtool!, ["query", "labels", q!.url, "job"])).out).toBe("quiver\n");
    // The first scrape may be later than the current whole second: end a little in the future.
    const end = Math.ceil(Date.now() / 1000) + 2;
    const rr = await run(promtool!, ["query", "range", `--start=${end - 5}`, `--end=${end}`, "--step=1s", q!.url, "up"]);
    expect(rr.code).toBe(0);
    expect(rr.out.startsWith(`up{instance="127.0.0.1:${port}", job="quiver"} =>\n`)).toBe(true);
  }, 30_000);

  test.skipIf(!prometheus)("a real Prometheus federates from the server", async () => {
    const prom = await startPrometheus(federateConfig(`127.0.0.1:${port}`, '{job="quiver"}'), { binary: prometheus! });
    try {
      const metric = await pollUntil(async () => {
        const b = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('up{job="quiver"}')}`)).json()) as { data: { result: Array<{ metric: Record<string, string> }> } };
        return b.data.result[0]?.metric;
      }, 25_000, 250);
      if (!metric) console.error(prom.child.output().slice(-3000));
      expect(metric).toEqual({ __name__: "up", instance: `127.0.0.1:${port}`, job: "quiver", site: "lab" });
    } finally {
      await prom.stop();
    }
  }, 40_000);
});
