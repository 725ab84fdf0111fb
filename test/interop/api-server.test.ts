/**
 * The real Quiver server process (test/helpers/quiver-process.ts) against the real Debian peers:
 * promtool check metrics on /metrics, promtool query on series Quiver scraped from itself, and a real
 * Prometheus federating from Quiver's /federate with honor_labels.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { freePort, peer, run } from "./api-harness.ts";

const promtool = peer("/usr/bin/promtool");
const prometheus = peer("/usr/bin/prometheus");
let q: QuiverProcess | undefined;
let dir = "";

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

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
    const ok = await waitFor(async () => {
      const b = (await (await fetch(`${q!.url}/api/v1/query?query=up`)).json()) as { data: { result: unknown[] } };
      return b.data.result.length > 0 ? true : undefined;
    }, 15_000);
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
    const pport = await freePort();
    writeFileSync(join(dir, "prometheus.yml"), [
      "global:",
      "  scrape_interval: 1s",
      "scrape_configs:",
      "  - job_name: federate",
      "    honor_labels: true",
      "    metrics_path: /federate",
      "    params:",
      "      'match[]': ['{job=\"quiver\"}']",
      "    static_configs:",
      `      - targets: ['127.0.0.1:${port}']`,
      "",
    ].join("\n"));
    let logs = "";
    const prom: ChildProcess = spawn(prometheus!, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "prom-data")}`, `--web.listen-address=127.0.0.1:${pport}`], { stdio: ["ignore", "pipe", "pipe"] });
    prom.stdout!.on("data", (d) => (logs += d));
    prom.stderr!.on("data", (d) => (logs += d));
    try {
      const metric = await waitFor(async () => {
        const b = (await (await fetch(`http://127.0.0.1:${pport}/api/v1/query?query=${encodeURIComponent('up{job="quiver"}')}`)).json()) as { data: { result: Array<{ metric: Record<string, string> }> } };
        return b.data.result[0]?.metric;
      }, 25_000);
      if (!metric) console.error(logs.slice(-3000));
      expect(metric).toEqual({ __name__: "up", instance: `127.0.0.1:${port}`, job: "quiver", site: "lab" });
    } finally {
      const done = new Promise((r) => prom.once("exit", r));
      prom.kill("SIGTERM");
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (prom.exitCode === null) prom.kill("SIGKILL");
    }
  }, 40_000);
});
