import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { parse as parseYAML } from "yaml";
import { parseGlobal } from "../../../core/config/global.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { parseScrapeConfigs, ScrapeManager } from "../../../core/scrape/index.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { pollUntil, startPrometheus, type PrometheusProcess } from "../../../exporters/service/testing/processes.ts";
import { samples, scrapeApi } from "./helpers.ts";

// Interop: the same scrape config (relabeling with hashmod, lowercase, templated targets, labelmap, drop,
// params) loaded by a real Prometheus and by Quiver must yield the same targets: discovered labels, final
// labels, scrape URL, interval and timeout, and the same dropped targets.
const BIN = "/usr/bin/prometheus";
const have = existsSync(BIN);
if (!have) console.warn(`prometheus-targets.interop.test.ts: ${BIN} not installed, skipping`);

// A fixed exposition both servers scrape, exercising target-label conflicts and metric relabeling.
const EXPOSITION = [
  "# HELP m_total A counter.", "# TYPE m_total counter",
  'm_total{job="inner",instance="i",a="1"} 1',
  'm_total{exported_job="e",job="j2",a="2"} 2',
  'g{b="",c="x"} 3',
  "drop_me 1",
  'keep{l="Mixed"} 1',
].join("\n") + "\n";

const CONFIG_TEMPLATE = `
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
  - job_name: expo
    scrape_interval: 1s
    static_configs:
      - targets: ["EXPO_ADDR"]
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'drop_me', action: drop}
      - {source_labels: [l], target_label: l_up, action: uppercase}
      - {source_labels: [__name__, a], separator: '_', regex: '(m)_total_(.*)', target_label: 'ma_$2', replacement: '$1'}
  - job_name: expo_honor
    scrape_interval: 1s
    honor_labels: true
    static_configs:
      - targets: ["EXPO_ADDR"]
    metric_relabel_configs:
      - {regex: 'exported_(.*)', action: labelmap, replacement: 'x_$1'}
  - job_name: second
    metrics_path: /custom/path
    scheme: https
    static_configs:
      - targets: ["e.invalid:443"]
    relabel_configs:
      - {action: labeldrop, regex: 'env'}
`;

let prom: PrometheusProcess | undefined;
let expo: Server | undefined;
let CONFIG = "";

beforeAll(async () => {
  if (!have) return;
  expo = await detectRuntime().serve(() => new Response(EXPOSITION, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } }), { hostname: "127.0.0.1", port: 0 });
  CONFIG = CONFIG_TEMPLATE.replaceAll("EXPO_ADDR", `127.0.0.1:${expo.port}`);
  prom = await startPrometheus(CONFIG, { binary: BIN });
});
afterAll(async () => {
  await prom?.stop();
  await expo?.stop();
});

type T = { discoveredLabels: Record<string, string>; labels: Record<string, string>; scrapeUrl: string; scrapePool: string; scrapeInterval: string; scrapeTimeout: string };

async function prometheusTargets(): Promise<{ active: T[]; dropped: Array<{ discoveredLabels: Record<string, string> }> }> {
  const got = await pollUntil(async () => {
    const j = (await (await fetch(`${prom!.url}/api/v1/targets`)).json()) as { data: { activeTargets: T[]; droppedTargets: Array<{ discoveredLabels: Record<string, string> }> } };
    return j.data.activeTargets.length === 7 ? { active: j.data.activeTargets, dropped: j.data.droppedTargets } : undefined;
  }, 20_000);
  if (!got) throw new Error(`Prometheus did not report its targets in time:\n${prom!.child.output().slice(-2000)}`);
  return got;
}

const pick = (t: T) => ({
  discoveredLabels: t.discoveredLabels, labels: t.labels, scrapeUrl: t.scrapeUrl, scrapePool: t.scrapePool,
  scrapeInterval: t.scrapeInterval, scrapeTimeout: t.scrapeTimeout,
});
let ourTargets: unknown;
const byAddr = (a: T, b: T) => (a.discoveredLabels.__address__! < b.discoveredLabels.__address__! ? -1 : 1);

describe.skipIf(!have)("targets match Prometheus 2.42 for the same config", () => {
  test("active and dropped targets", async () => {
    const prom = await prometheusTargets();
    const raw = parseYAML(CONFIG) as { global: unknown; scrape_configs: unknown };
    const cfgs = parseScrapeConfigs(raw.scrape_configs, parseGlobal(raw.global, "global"));
    const m = new ScrapeManager({ appendable: new MemoryStorage(), logger: nopLogger, discoveryUpdateIntervalMs: 0 });
    await m.applyConfig(cfgs);
    const api = scrapeApi(m);
    await pollUntil(async () => ((await api.targets()).activeTargets.length >= 7 ? true : undefined), 5000, 20);
    const ours = await api.targets();
    await m.stop();
    ourTargets = ours;
    expect(ours.activeTargets.map(pick).sort(byAddr)).toEqual(prom.active.map(pick).sort(byAddr));
    // Prometheus 3 adds scrapePool to dropped targets; 2.42 has discoveredLabels only.
    expect(ours.droppedTargets.map((d) => ({ discoveredLabels: d.discoveredLabels }))).toEqual(prom.dropped);
  }, 30_000);

  test("stored series of a scraped exposition match (target labels, honor_labels, metric relabeling)", async () => {
    const raw = parseYAML(CONFIG) as { global: unknown; scrape_configs: unknown };
    const cfgs = parseScrapeConfigs(raw.scrape_configs, parseGlobal(raw.global, "global")).filter((c) => c.job_name.startsWith("expo"));
    const db = new MemoryStorage();
    const m = new ScrapeManager({ appendable: db, logger: nopLogger, discoveryUpdateIntervalMs: 0 });
    await m.applyConfig(cfgs);
    await pollUntil(async () => (new Set((await samples(db, "up")).map((s) => s.labels.job)).size >= 2 ? true : undefined), 10_000, 50);
    const api = scrapeApi(m);
    const ourMeta = await api.targetMetadata(`?match_target=${encodeURIComponent('{job="expo"}')}`);
    const ourMetaAll = await api.metadata("?metric=m_total");
    await m.stop();
    const synthetic = /^(up|scrape_.*)$/;
    const ourSeries = [...new Set((await samples(db)).filter((s) => !synthetic.test(s.labels.__name__!)).map((s) => JSON.stringify(Object.entries(s.labels).sort())))].sort();
    let promSeries: string[] = [];
    await pollUntil(async () => {
      const u = new URL(`${prom!.url}/api/v1/series`);
      u.searchParams.append("match[]", '{job=~"expo.*",__name__!~"up|scrape_.*"}');
      u.searchParams.append("match[]", '{job=~"inner|j2"}');
      const j = (await (await fetch(u)).json()) as { data: Array<Record<string, string>> };
      promSeries = j.data.map((l) => JSON.stringify(Object.entries(l).sort())).sort();
      return promSeries.length >= ourSeries.length ? true : undefined;
    }, 15_000);
    if (process.env.QUIVER_DEBUG_INTEROP) console.log(ourSeries.join("\n"));
    expect(ourSeries.length).toBeGreaterThan(5);
    expect(ourSeries).toEqual(promSeries);
    // Metadata APIs, once Prometheus has scraped.
    const pm = (await (await fetch(`${prom!.url}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="expo"}')}`)).json()) as { data: unknown[] };
    expect(ourMeta.length).toBe(1);
    expect(ourMeta).toEqual(pm.data as typeof ourMeta);
    const pmAll = (await (await fetch(`${prom!.url}/api/v1/metadata?metric=m_total`)).json()) as { data: unknown };
    expect(ourMetaAll).toEqual(pmAll.data as typeof ourMetaAll);
  }, 30_000);
});
