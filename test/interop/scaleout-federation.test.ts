/**
 * Hierarchical federation between Quiver servers: two leaf Quivers each scrape half of the targets
 * (with a `shard` external label) and pre-aggregates them with a recording rule; a global Quiver
 * federates the raw `job="app"` series and the aggregated `job:*` series through /federate with
 * honor_labels and answers fleet-wide aggregations over them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { instantQuery, waitFor } from "../core/remote/peers.ts";
import { startTargets, type Target } from "../core/remote/targets.ts";

describe("a global Quiver federating from two leaf Quivers", () => {
  let dir = "";
  let leaves: QuiverProcess[] = [];
  let global: QuiverProcess | undefined;
  let targets: Target[] = [];
  let stopTargets = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-fed-"));
    const t = await startTargets(4);
    targets = t.targets;
    stopTargets = t.stop;
    for (const [i, shard] of ["a", "b"].entries()) {
      const file = join(dir, `leaf-${shard}.yml`);
      const mine = targets.slice(i * 2, i * 2 + 2).map((x) => `'${x.address}'`).join(", ");
      writeFileSync(join(dir, `rules-${shard}.yml`), [
        "groups:", "  - name: agg", "    interval: 1s", "    rules:",
        "      - record: job:app_requests:sum", "        expr: sum by (job) (app_requests_total)", "",
      ].join("\n"));
      writeFileSync(file, [
        "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s", `  external_labels: {shard: ${shard}}`,
        `rule_files: ['rules-${shard}.yml']`,
        "scrape_configs:", "  - job_name: app", `    static_configs: [{targets: [${mine}]}]`, "",
      ].join("\n"));
      leaves.push(await startQuiver({ args: [`--config.file=${file}`], dataDir: join(dir, `data-${shard}`) }));
    }
    const gfile = join(dir, "global.yml");
    writeFileSync(gfile, [
      "global: {scrape_interval: 1s}",
      "scrape_configs:",
      "  - job_name: federate",
      "    honor_labels: true",
      "    metrics_path: /federate",
      "    params:",
      "      'match[]': ['{job=\"app\"}', '{__name__=~\"job:.*\"}']",
      `    static_configs: [{targets: [${leaves.map((l) => `'127.0.0.1:${l.port}'`).join(", ")}]}]`,
      "",
    ].join("\n"));
    global = await startQuiver({ args: [`--config.file=${gfile}`], dataDir: join(dir, "data-global") });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...leaves, ...(global ? [global] : [])].map((s) => s.stop()));
    await stopTargets();
    rmSync(dir, { recursive: true, force: true });
  });

  test("federated series keep their labels and aggregate per shard", async () => {
    const g = global!;
    await waitFor(async () => (await instantQuery(g.url, "count(app_requests_total)"))[0]?.value[1] === "4", 20_000, () => g.logs());
    const series = (await instantQuery(g.url, "app_requests_total")).map((r) => r.metric).sort((a, b) => a.instance!.localeCompare(b.instance!));
    const want = targets.map((t, i) => ({ __name__: "app_requests_total", instance: t.address, job: "app", path: "/", shard: i < 2 ? "a" : "b" }))
      .sort((a, b) => a.instance.localeCompare(b.instance));
    expect(series).toEqual(want);
    const byShard = await instantQuery(g.url, "sum by (shard) (app_requests_total)");
    expect(Object.fromEntries(byShard.map((r) => [r.metric.shard, Number(r.value[1])]))).toEqual({ a: 10 + 20, b: 30 + 40 });
    // The leaves' recording-rule aggregates arrive too, one per shard.
    // (Wait for both leaves to have evaluated the rule over both of their targets.)
    const aggBy = async () => Object.fromEntries((await instantQuery(g.url, "job:app_requests:sum")).map((r) => [r.metric.shard, Number(r.value[1])]));
    let lastAgg: Record<string, number> = {};
    await waitFor(async () => ((lastAgg = await aggBy()).a === 30 && lastAgg.b === 70), 20_000, () => JSON.stringify(lastAgg) + "\n" + g.logs());
    const agg = await instantQuery(g.url, "job:app_requests:sum");
    expect(Object.fromEntries(agg.map((r) => [r.metric.shard, Number(r.value[1])]))).toEqual({ a: 30, b: 70 });
    expect(agg.every((r) => r.metric.job === "app")).toBe(true);
    // up of the leaves themselves is the global's own scrape, not federated.
    const up = await instantQuery(g.url, 'up{job="federate"}');
    expect(up.map((r) => r.value[1])).toEqual(["1", "1"]);
  }, 40_000);
});
