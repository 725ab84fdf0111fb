import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allScrapeConfigs, sectionParsers } from "../../../core/app/sections.ts";
import { defaultConfigYaml } from "../../../core/app/default-config.ts";
import { loadConfigFile, parseConfig } from "../../../core/config/load.ts";
import { sharedPath } from "../../helpers/shared.ts";

const parsers = sectionParsers(() => ({ sdPluginNames: new Set(["consul"]) }));

describe("the server's config sections", () => {
  test("the shared example prometheus.yml loads with every real section parser", () => {
    const p = sharedPath("conformance", "configs", "prometheus", "prometheus.yml");
    if (!p) return;
    const c = loadConfigFile(p, parsers);
    const [job] = allScrapeConfigs(c);
    expect(job!.job_name).toBe("prometheus");
    expect(job!.scrape_interval).toBe(15_000);
    expect(c.sections.alerting.alertmanagers).toHaveLength(1);
  });

  test("the embedded default config loads: Quiver itself, pushed metrics and the in-process node exporter", () => {
    const c = parseConfig(defaultConfigYaml("localhost:9090"), { parsers });
    expect(allScrapeConfigs(c).map((s) => [s.job_name, s.plugin])).toEqual([["quiver", undefined], ["pushgateway", undefined], ["node", "node_exporter"]]);
    expect(c.global.scrapeInterval).toBe(15_000);
    expect(c.plugins.map((p) => p.id)).toEqual(["node_exporter"]);
  });

  test("scrape_config_files merge with scrape_configs; job names stay unique across files", () => {
    const dir = mkdtempSync(join(tmpdir(), "qsec-"));
    mkdirSync(join(dir, "conf.d"));
    writeFileSync(join(dir, "conf.d", "a.yml"), "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['x:1']}]\n");
    writeFileSync(join(dir, "p.yml"), "scrape_configs:\n  - job_name: main\nscrape_config_files: ['conf.d/a.yml']\n");
    expect(allScrapeConfigs(loadConfigFile(join(dir, "p.yml"), parsers)).map((s) => s.job_name)).toEqual(["main", "a"]);
    writeFileSync(join(dir, "conf.d", "b.yml"), "scrape_configs:\n  - job_name: main\n");
    writeFileSync(join(dir, "p.yml"), "scrape_configs:\n  - job_name: main\nscrape_config_files: ['conf.d/*.yml']\n");
    expect(() => allScrapeConfigs(loadConfigFile(join(dir, "p.yml"), parsers))).toThrow('multiple scrape configs with job name "main"');
  });

  test("unknown discovery kinds are rejected; loaded discoverer plugins enable <name>_sd_configs", () => {
    expect(() => parseConfig("scrape_configs:\n  - job_name: x\n    kubernetes_sd_configs: [{role: pod}]\n", { parsers })).toThrow("kubernetes_sd_configs");
    const c = parseConfig("scrape_configs:\n  - job_name: x\n    consul_sd_configs: [{server: 'localhost:8500'}]\n", { parsers });
    expect(c.sections.scrape_configs[0]!.job_name).toBe("x");
  });
});
