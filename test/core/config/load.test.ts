import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile, parseConfig } from "../../../core/config/load.ts";
import { ConfigError } from "../../../core/util/errors.ts";
import { sharedPath } from "../../helpers/shared.ts";

const parsers = { scrape_configs: (raw: unknown) => raw as unknown[] };

function bad(yaml: string): string {
  try {
    parseConfig(yaml, { file: "/etc/q/prometheus.yml", parsers });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("config was accepted");
}

describe("config loader", () => {
  test("empty config gets Prometheus's defaults", () => {
    const c = parseConfig("", { parsers });
    expect(c.global.scrapeInterval).toBe(60_000);
    expect(c.global.scrapeTimeout).toBe(10_000);
    expect(c.global.evaluationInterval).toBe(60_000);
    expect(c.global.scrapeProtocols).toEqual(["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"]);
    expect(c.storage.outOfOrderTimeWindow).toBe(0);
  });

  test("scrape timeout defaults to min(10s, interval)", () => {
    expect(parseConfig("global: {scrape_interval: 5s}", { parsers }).global.scrapeTimeout).toBe(5_000);
  });

  test("global values, external labels, storage, rule files resolved against the config dir", () => {
    const c = parseConfig(`
global:
  scrape_interval: 1m30s
  evaluation_interval: 15s
  external_labels: {replica: a, region: eu}
rule_files: ["rules/*.yml", "/abs/x.yml"]
storage:
  tsdb: {out_of_order_time_window: 30m}
`, { file: "/etc/q/prometheus.yml", parsers });
    expect(c.global.scrapeInterval).toBe(90_000);
    expect(c.global.externalLabels).toEqual({ replica: "a", region: "eu" });
    expect(c.ruleFiles).toEqual(["/etc/q/rules/*.yml", "/abs/x.yml"]);
    expect(c.storage.outOfOrderTimeWindow).toBe(1_800_000);
  });

  test.each([
    ["global: {scrape_intervall: 15s}", "global.scrape_intervall", "unknown key"],
    ["global: {scrape_interval: 15}", "global.scrape_interval", "expected a duration"],
    ["global: {scrape_interval: 1x}", "global.scrape_interval", 'not a valid duration string: "1x"'],
    ["global: {scrape_interval: 5s, scrape_timeout: 10s}", "global.scrape_timeout", "greater than scrape interval"],
    ["global: {external_labels: {__x: y}}", "global.external_labels.__x", "reserved"],
    ["nonsense: 1", "nonsense", "unknown key"],
    ["remote_write: [{url: 'http://x'}]", "remote_write", "not supported by Quiver yet"],
    ["storage: {tsdb: {retention: 1d}}", "storage.tsdb.retention", "unknown key"],
    ["plugins: {x: {confg: {}}}", "plugins.x.confg", "unknown key"],
    ["global: [", "line 1", "parsing YAML"],
    ["a: 1\na: 2", "parsing YAML", "unique"],
  ])("rejects %p naming file, path and reason", (yaml, path, reason) => {
    const msg = bad(yaml);
    expect(msg).toContain("/etc/q/prometheus.yml");
    expect(msg).toContain(path);
    expect(msg.toLowerCase()).toContain(reason.toLowerCase());
  });

  test("missing file is a clear error", () => {
    expect(() => loadConfigFile("/nonexistent/q.yml", parsers)).toThrow('couldn\'t load configuration (--config.file="/nonexistent/q.yml")');
  });

  test("plugins section", () => {
    const dir = mkdtempSync(join(tmpdir(), "qcfg-"));
    writeFileSync(join(dir, "p.yml"), "plugins:\n  node: {plugin: node_exporter, timeout: 5s, config: {a: 1}}\n  redis_exporter: {}\n");
    const c = loadConfigFile(join(dir, "p.yml"), parsers);
    expect(c.plugins).toEqual([
      { id: "node", plugin: "node_exporter", disabled: false, timeout: 5000, config: { a: 1 } },
      { id: "redis_exporter", plugin: "redis_exporter", disabled: false, timeout: 0, config: {} },
    ]);
  });

  test("the shared example prometheus.yml loads", () => {
    const p = sharedPath("conformance", "configs", "prometheus", "prometheus.yml");
    if (!p) return;
    const c = loadConfigFile(p, { ...parsers, alerting: (raw: unknown) => raw });
    expect(c.global.scrapeInterval).toBe(15_000);
    expect(c.global.evaluationInterval).toBe(15_000);
  });
});
