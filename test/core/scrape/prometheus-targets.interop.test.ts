import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYAML } from "yaml";
import { parseGlobal } from "../../../core/config/global.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { parseScrapeConfigs, ScrapeManager } from "../../../core/scrape/index.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";

// Interop: the same scrape config (relabeling with hashmod, lowercase, templated targets, labelmap, drop,
// params) loaded by a real Prometheus and by Quiver must yield the same targets: discovered labels, final
// labels, scrape URL, interval and timeout, and the same dropped targets.
const BIN = "/usr/bin/prometheus";
const have = existsSync(BIN);
if (!have) console.warn(`prometheus-targets.interop.test.ts: ${BIN} not installed, skipping`);

const CONFIG = `
global:
  scrape_interval: 1m
scrape_configs:
  - job_name: relabel
    scrape_interval: 30s
    scrape_timeout: 5s
    params:
      module: [http_2xx]
    static_configs:
      - targets: ["a.invalid:9100", "B.invalid:9100", "c.invalid:9100", "drop.invalid:1"]
        labels: {env: Prod, __meta_team: core}
      - targets: ["d.invalid:9200"]
        labels: {env: Dev, instance: custom}
    relabel_configs:
      - {source_labels: [__address__], target_label: __tmp_hash, action: hashmod, modulus: 7}
      - {source_labels: [__tmp_hash], target_label: shard}
      - {source_labels: [env], target_label: env_lower, action: lowercase}
      - {source_labels: [env, __address__], target_label: both_upper, action: uppercase}
      - {source_labels: [__address__], regex: '([^.]+)\\.invalid:(\\d+)', target_label: 'host_\${1}', replacement: 'port_$2'}
      - {regex: '__meta_(.+)', action: labelmap, replacement: 'meta_$1'}
      - {source_labels: [__address__], regex: 'drop.*', action: drop}
      - {source_labels: [__param_module], target_label: module}
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [shard], regex: '[0-3]', target_label: low_shard, replacement: 'yes'}
      - {source_labels: [env_lower], target_label: env_lower, action: keepequal}
  - job_name: second
    metrics_path: /custom/path
    scheme: https
    static_configs:
      - targets: ["e.invalid:443"]
    relabel_configs:
      - {action: labeldrop, regex: 'env'}
`;

let child: ChildProcess | undefined;
let port = 0;
const dir = mkdtempSync(join(tmpdir(), "quiver-prom-"));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  if (!have) return;
  port = await freePort();
  writeFileSync(join(dir, "prometheus.yml"), CONFIG);
  child = spawn(BIN, [
    `--config.file=${join(dir, "prometheus.yml")}`, `--web.listen-address=127.0.0.1:${port}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
  ], { stdio: "ignore" });
});
afterAll(() => {
  if (child?.pid) process.kill(child.pid, "SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

type T = { discoveredLabels: Record<string, string>; labels: Record<string, string>; scrapeUrl: string; scrapePool: string; scrapeInterval: string; scrapeTimeout: string };

async function prometheusTargets(): Promise<{ active: T[]; dropped: Array<{ discoveredLabels: Record<string, string> }> }> {
  const end = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/targets`);
      const j = (await r.json()) as { data: { activeTargets: T[]; droppedTargets: Array<{ discoveredLabels: Record<string, string> }> } };
      if (j.data.activeTargets.length === 5) return { active: j.data.activeTargets, dropped: j.data.droppedTargets };
    } catch { /* starting */ }
    if (Date.now() > end) throw new Error("Prometheus did not report its targets in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pick = (t: T) => ({
  discoveredLabels: t.discoveredLabels, labels: t.labels, scrapeUrl: t.scrapeUrl, scrapePool: t.scrapePool,
  scrapeInterval: t.scrapeInterval, scrapeTimeout: t.scrapeTimeout,
});
const byAddr = (a: T, b: T) => (a.discoveredLabels.__address__! < b.discoveredLabels.__address__! ? -1 : 1);

describe.skipIf(!have)("targets match Prometheus 2.42 for the same config", () => {
  test("active and dropped targets", async () => {
    const prom = await prometheusTargets();
    const raw = parseYAML(CONFIG) as { global: unknown; scrape_configs: unknown };
    const cfgs = parseScrapeConfigs(raw.scrape_configs, parseGlobal(raw.global, "global"));
    const m = new ScrapeManager({ appendable: new MemoryStorage(), logger: nopLogger, discoveryUpdateIntervalMs: 0 });
    await m.applyConfig(cfgs);
    const end = Date.now() + 5000;
    while (m.targetsAPI().activeTargets.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const ours = m.targetsAPI();
    await m.stop();
    expect(ours.activeTargets.map(pick).sort(byAddr)).toEqual(prom.active.map(pick).sort(byAddr));
    expect(ours.droppedTargets).toEqual(prom.dropped);
  }, 30_000);
});
