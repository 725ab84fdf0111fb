/**
 * Sharding scrape targets across two Quiver servers with hashmod relabeling (the example of
 * docs/scale-out.md): both run the same job over the same six targets and keep only the targets whose
 * address hashes to their shard number. Together they must scrape every target, each by exactly one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashMod } from "../../core/relabel/index.ts";
import { startQuiver, type QuiverProcess } from "../helpers/quiver-process.ts";
import { instantQuery, waitFor } from "../core/remote/peers.ts";
import { startTargets, type Target } from "../core/remote/targets.ts";

/** The documented sharding config for shard `shard` of `shards`. */
function shardedConfig(shard: number, shards: number, targets: string[]): string {
  return [
    "global:",
    "  scrape_interval: 1s",
    `  external_labels: {shard: "${shard}"}`,
    "scrape_configs:",
    "  - job_name: app",
    `    params: {from: [q${shard}]}`,
    `    static_configs: [{targets: [${targets.map((t) => `'${t}'`).join(", ")}]}]`,
    "    relabel_configs:",
    "      - source_labels: [__address__]",
    `        modulus: ${shards}`,
    "        target_label: __tmp_hash",
    "        action: hashmod",
    "      - source_labels: [__tmp_hash]",
    `        regex: "${shard}"`,
    "        action: keep",
    "",
  ].join("\n");
}

describe("hashmod sharding across two Quivers", () => {
  let dir = "";
  let servers: QuiverProcess[] = [];
  let targets: Target[] = [];
  let stopTargets = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-shard-"));
    const t = await startTargets(6);
    targets = t.targets;
    const stops = [t.stop];
    // Ports are random: make sure both shards get targets (otherwise the test would prove little).
    while (new Set(targets.map((x) => hashMod(x.address, 2))).size < 2) {
      const more = await startTargets(1);
      targets.push(...more.targets);
      stops.push(more.stop);
    }
    stopTargets = async () => { await Promise.all(stops.map((f) => f())); };
    for (const shard of [0, 1]) {
      const file = join(dir, `shard${shard}.yml`);
      writeFileSync(file, shardedConfig(shard, 2, targets.map((x) => x.address)));
      servers.push(await startQuiver({ args: [`--config.file=${file}`], dataDir: join(dir, `data${shard}`) }));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await stopTargets();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every target is scraped, each by exactly one instance", async () => {
    await waitFor(() => targets.every((t) => t.scrapers.size > 0), 20_000);
    const expected = targets.map((t) => Number(hashMod(t.address, 2)));
    expect(new Set(expected).size).toBe(2);
    targets.forEach((t, i) => expect([...t.scrapers.keys()]).toEqual([`q${expected[i]}`]));

    const seen: string[][] = [];
    for (const [shard, s] of servers.entries()) {
      await waitFor(async () => (await instantQuery(s.url, 'up{job="app"}')).length === expected.filter((e) => e === shard).length, 15_000, () => s.logs());
      const up = await instantQuery(s.url, 'up{job="app"}');
      seen.push(up.map((r) => r.metric.instance!).sort());
    }
    expect(seen[0]!.filter((a) => seen[1]!.includes(a))).toEqual([]);
    expect([...seen[0]!, ...seen[1]!].sort()).toEqual(targets.map((t) => t.address).sort());
    // The union of both shards' series is the whole fleet.
    const sums = await Promise.all(servers.map(async (s) => Number((await instantQuery(s.url, "sum(app_requests_total)"))[0]?.value[1] ?? 0)));
    expect(sums[0]! + sums[1]!).toBe(targets.reduce((a, t) => a + t.value, 0));
  }, 40_000);
});
