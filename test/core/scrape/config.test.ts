import { describe, expect, test } from "bun:test";
import { DEFAULT_GLOBAL, parseGlobal } from "../../../core/config/global.ts";
import { parseScrapeConfig, parseScrapeConfigs } from "../../../core/scrape/config.ts";
import { populateLabels, targetURL } from "../../../core/scrape/target.ts";
import { ConfigError } from "../../../core/util/errors.ts";
import { scrapeConfig } from "./helpers.ts";

describe("scrape config defaults", () => {
  test("Prometheus's documented defaults", () => {
    const c = parseScrapeConfig({ job_name: "j" }, DEFAULT_GLOBAL, "scrape_configs[0]");
    expect(c).toMatchObject({
      job_name: "j", scrape_interval: 60_000, scrape_timeout: 10_000, metrics_path: "/metrics", scheme: "http",
      honor_labels: false, honor_timestamps: true, track_timestamps_staleness: false, follow_redirects: true, enable_http2: true,
      enable_compression: true, sample_limit: 0, body_size_limit: 0, params: {},
      scrape_protocols: ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"],
    });
  });
  test("timeout defaults to min(global timeout, interval); limits inherit from global", () => {
    const g = parseGlobal({ scrape_interval: "30s", sample_limit: 500, body_size_limit: "1KB" }, "global");
    const c = parseScrapeConfig({ job_name: "j", scrape_interval: "5s" }, g, "s");
    expect(c.scrape_timeout).toBe(5_000);
    expect(c.sample_limit).toBe(500);
    expect(c.body_size_limit).toBe(1024);
    expect(parseScrapeConfig({ job_name: "j" }, g, "s").scrape_interval).toBe(30_000);
  });
});

const BAD: Array<[string, unknown, string]> = [
  ["missing job_name", { scrape_interval: "1s" }, "scrape_configs[0].job_name: job_name is empty"],
  ["unknown key", { job_name: "j", scrape_intervall: "1s" }, 'scrape_configs[0].scrape_intervall: unknown key "scrape_intervall"'],
  ["timeout > interval", { job_name: "j", scrape_interval: "5s", scrape_timeout: "10s" }, 'scrape timeout greater than scrape interval for scrape config with job name "j"'],
  ["bad duration", { job_name: "j", scrape_interval: "5 s" }, 'not a valid duration string: "5 s"'],
  ["unknown protocol", { job_name: "j", scrape_protocols: ["Proto9"] }, "unknown scrape protocol Proto9"],
  ["duplicate protocol", { job_name: "j", scrape_protocols: ["PrometheusText0.0.4", "PrometheusText0.0.4"] }, "duplicated protocol in scrape_protocols"],
  ["bad scheme", { job_name: "j", scheme: "ftp" }, 'unsupported scheme "ftp"'],
  ["bad relabel", { job_name: "j", relabel_configs: [{ action: "hashmod", source_labels: ["a"], target_label: "b" }] }, "scrape_configs[0].relabel_configs[0]: relabel configuration for hashmod requires non-zero modulus"],
  ["bad size", { job_name: "j", body_size_limit: "lots" }, "scrape_configs[0].body_size_limit"],
  ["negative limit", { job_name: "j", sample_limit: -1 }, "expected a non-negative integer"],
  ["oauth2 unsupported", { job_name: "j", oauth2: { client_id: "x" } }, "oauth2 is not supported by Quiver"],
  ["tls cert without key", { job_name: "j", tls_config: { cert_file: "c.pem" } }, "exactly one of key or key_file must be configured"],
  ["params not a list", { job_name: "j", params: { module: "x" } }, "scrape_configs[0].params.module: expected a list"],
];

describe("scrape config validation", () => {
  for (const [name, raw, msg] of BAD) {
    test(name, () => {
      let err: unknown;
      try {
        parseScrapeConfigs([raw], DEFAULT_GLOBAL);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(msg);
    });
  }
  test("duplicate job names", () => {
    expect(() => parseScrapeConfigs([{ job_name: "a" }, { job_name: "a" }], DEFAULT_GLOBAL)).toThrow('found multiple scrape configs with job name "a"');
  });
  test("plugin must name a configured exporter instance when ids are given", () => {
    expect(() => parseScrapeConfig({ job_name: "n", plugin: "nope" }, DEFAULT_GLOBAL, "s", { exporterIds: new Set(["node"]) })).toThrow('no exporter plugin instance "nope"');
  });
});

describe("target label population (PopulateLabels)", () => {
  test("defaults, params, meta removal and instance", () => {
    const cfg = scrapeConfig({ scrape_interval: "15s", scrape_timeout: "5s", params: { module: ["http_2xx", "x"] } });
    const r = populateLabels(cfg, { __address__: "h:1", __meta_x: "m" }, { team: "a" });
    expect(r.discovered.toObject()).toEqual({
      __address__: "h:1", __meta_x: "m", __metrics_path__: "/metrics", __param_module: "http_2xx", __scheme__: "http",
      __scrape_interval__: "15s", __scrape_timeout__: "5s", job: "test", team: "a",
    });
    expect(r.labels!.toObject()).toEqual({
      __address__: "h:1", __metrics_path__: "/metrics", __param_module: "http_2xx", __scheme__: "http",
      __scrape_interval__: "15s", __scrape_timeout__: "5s", instance: "h:1", job: "test", team: "a",
    });
    expect(targetURL(r.labels!, cfg.params)).toBe("http://h:1/metrics?module=http_2xx&module=x");
  });
  test("target labels override group labels; relabeling can set scheme, path and interval", () => {
    const cfg = scrapeConfig({ relabel_configs: [
      { target_label: "__scheme__", replacement: "https" }, { target_label: "__metrics_path__", replacement: "/probe" },
      { target_label: "__scrape_interval__", replacement: "30s" },
    ] });
    const r = populateLabels(cfg, { __address__: "h:1", env: "t" }, { env: "g" });
    expect(r.labels!.get("env")).toBe("t");
    expect(targetURL(r.labels!, {})).toBe("https://h:1/probe");
    expect(r.labels!.get("__scrape_interval__")).toBe("30s");
  });
  test("errors: no address, slash in address, timeout > interval", () => {
    const cfg = scrapeConfig({ scrape_interval: "10s", scrape_timeout: "5s" });
    expect(populateLabels(scrapeConfig({ relabel_configs: [{ target_label: "__address__", replacement: "" }] }), { __address__: "h:1" }, {}).error).toBe("no address");
    expect(populateLabels(cfg, { __address__: "http://h:1/" }, {}).error).toBe('"http://h:1/" is not a valid hostname');
    expect(populateLabels(cfg, { __address__: "h:1", __scrape_timeout__: "20s" }, {}).error).toBe('scrape timeout cannot be greater than scrape interval ("20s" > "10s")');
  });
  test("dropped targets keep their discovered labels", () => {
    const r = populateLabels(scrapeConfig({ relabel_configs: [{ action: "drop", source_labels: ["__address__"], regex: "h:.*" }] }), { __address__: "h:1" }, {});
    expect(r.labels).toBeNull();
    expect(r.error).toBeUndefined();
    expect(r.discovered.get("__address__")).toBe("h:1");
  });
});

describe("name validation and escaping", () => {
  test("defaults follow Prometheus 3 (utf8, allow-utf-8); legacy implies underscores", () => {
    const c = parseScrapeConfig({ job_name: "j" }, DEFAULT_GLOBAL, "s");
    expect([c.metric_name_validation_scheme, c.metric_name_escaping_scheme]).toEqual(["utf8", "allow-utf-8"]);
    const l = parseScrapeConfig({ job_name: "j", metric_name_validation_scheme: "legacy" }, DEFAULT_GLOBAL, "s");
    expect([l.metric_name_validation_scheme, l.metric_name_escaping_scheme]).toEqual(["legacy", "underscores"]);
  });
  test("rejects contradictions and unknown values", () => {
    expect(() => parseScrapeConfig({ job_name: "j", metric_name_validation_scheme: "legacy", metric_name_escaping_scheme: "allow-utf-8" }, DEFAULT_GLOBAL, "s"))
      .toThrow("utf8 metric names requested but validation scheme is not set to UTF8");
    expect(() => parseScrapeConfig({ job_name: "j", metric_name_validation_scheme: "ascii" }, DEFAULT_GLOBAL, "s")).toThrow("unknown scrape config name validation method");
    expect(() => parseScrapeConfig({ job_name: "j", convert_classic_histograms_to_nhcb: true }, DEFAULT_GLOBAL, "s")).toThrow("not supported by Quiver");
  });
  test("classic-histogram keys of Prometheus configs are accepted", () => {
    const c = parseScrapeConfig({ job_name: "j", always_scrape_classic_histograms: true, native_histogram_bucket_limit: 10, native_histogram_min_bucket_factor: 1.1 }, DEFAULT_GLOBAL, "s");
    expect(c.always_scrape_classic_histograms).toBe(true);
  });
});

describe("scrape_config_files and relative paths", () => {
  test("a scrape config file resolves paths against its own directory and shares job-name uniqueness", async () => {
    const { parseScrapeConfigFile } = await import("../../../core/scrape/config.ts");
    const text = [
      "scrape_configs:",
      "  - job_name: a",
      "    tls_config: {ca_file: certs/ca.pem}",
      "    basic_auth: {username: u, password_file: secrets/pw}",
      "    file_sd_configs: [{files: ['targets/*.json', '/abs/x.yml']}]",
    ].join("\n");
    const seen = new Set(["main_job"]);
    const [c] = parseScrapeConfigFile(text, "/etc/quiver/jobs/a.yml", DEFAULT_GLOBAL, {}, seen);
    expect(c!.tls_config.ca_file).toBe("/etc/quiver/jobs/certs/ca.pem");
    expect(c!.basic_auth!.password_file).toBe("/etc/quiver/jobs/secrets/pw");
    expect(c!.discovery.file_sd_configs[0]!.files).toEqual(["/etc/quiver/jobs/targets/*.json", "/abs/x.yml"]);
    expect(seen.has("a")).toBe(true);
    expect(() => parseScrapeConfigFile("scrape_configs: [{job_name: main_job}]", "/x/b.yml", DEFAULT_GLOBAL, {}, seen)).toThrow('/x/b.yml: scrape_configs[0].job_name: found multiple scrape configs with job name "main_job"');
    expect(() => parseScrapeConfigFile("global: {}\nscrape_configs: []", "/x/c.yml", DEFAULT_GLOBAL)).toThrow('/x/c.yml: global: unknown key "global"');
  });
});
