import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../../core/log/logger.ts";
import {
  DiscoveryManager, fetchHTTPTargetGroups, parseDiscoveryConfigs, resolveDNSGroup, staticGroups, type DNSResolver,
  type DiscoveryConfigs, type TargetGroup, type TargetSets,
} from "../../../core/discovery/index.ts";
import { detectRuntime } from "../../../core/runtime/index.ts";
import { ConfigError } from "../../../core/util/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "quiver-sd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(fn: () => T | undefined, what: string, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("discovery config", () => {
  test("static, file, http and dns parse with defaults", () => {
    const c = parseDiscoveryConfigs({
      static_configs: [{ targets: ["a:1", "b:2"], labels: { env: "prod" } }],
      file_sd_configs: [{ files: ["targets/*.json"] }],
      http_sd_configs: [{ url: "http://127.0.0.1:1/sd" }],
      dns_sd_configs: [{ names: ["_x._tcp.example.org"] }, { names: ["h.example.org"], type: "A", port: 9100 }],
    }, "scrape_configs[0]");
    expect(c.static_configs).toEqual([{ targets: ["a:1", "b:2"], labels: { env: "prod" } }]);
    expect(c.file_sd_configs[0]!.refresh_interval).toBe(300_000);
    expect(c.http_sd_configs[0]!.refresh_interval).toBe(60_000);
    expect(c.http_sd_configs[0]!.follow_redirects).toBe(true);
    expect(c.dns_sd_configs[0]).toEqual({ names: ["_x._tcp.example.org"], type: "SRV", port: 0, refresh_interval: 30_000 });
    expect(c.dns_sd_configs[1]!.type).toBe("A");
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ["unknown static key", { static_configs: [{ targets: ["a:1"], tragets: [] }] }, 'scrape_configs[0].static_configs[0].tragets: unknown key "tragets"'],
    ["bad label name", { static_configs: [{ targets: ["a:1"], labels: { "a-b": "x" } }] }, '"a-b" is not a valid label name'],
    ["file pattern", { file_sd_configs: [{ files: ["targets/*.txt"] }] }, 'path name "targets/*.txt" is not valid for file discovery'],
    ["dns port for SRV", { dns_sd_configs: [{ names: ["x"], port: 80 }] }, "a port is not allowed in DNS-SD configs for SRV records"],
    ["dns A without port", { dns_sd_configs: [{ names: ["x"], type: "A" }] }, "a port is required in DNS-SD configs for all record types except SRV"],
    ["dns bad type", { dns_sd_configs: [{ names: ["x"], type: "TXT", port: 1 }] }, "invalid DNS-SD records type TXT"],
    ["http url", { http_sd_configs: [{ url: "ftp://x/" }] }, "URL scheme must be 'http' or 'https'"],
    ["http duration", { http_sd_configs: [{ url: "http://x/", refresh_interval: "5 minutes" }] }, 'not a valid duration string: "5 minutes"'],
    ["unknown sd kind", { kubernetes_sd_configs: [{ role: "pod" }] }, 'no discoverer plugin named "kubernetes" is loaded'],
    ["two auth kinds", { http_sd_configs: [{ url: "http://x/", basic_auth: { username: "u" }, bearer_token: "t" }] }, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"],
  ];
  for (const [name, raw, msg] of bad) {
    test(`rejects: ${name}`, () => {
      expect(() => parseDiscoveryConfigs(raw, "scrape_configs[0]")).toThrow(ConfigError);
      expect(() => parseDiscoveryConfigs(raw, "scrape_configs[0]")).toThrow(msg);
    });
  }

  test("plugin sd configs pass through when the plugin is known", () => {
    const c = parseDiscoveryConfigs({ consul_sd_configs: [{ server: "x" }] }, "j", new Set(["consul"]));
    expect(c.plugins).toEqual([{ name: "consul", config: { server: "x" } }]);
  });
});

test("static groups are numbered by index", () => {
  expect(staticGroups([{ targets: ["a:1"], labels: { x: "y" } }, { targets: [], labels: {} }])).toEqual([
    { targets: [{ __address__: "a:1" }], labels: { x: "y" }, source: "0" },
    { targets: [], labels: {}, source: "1" },
  ]);
});

function configs(partial: Partial<DiscoveryConfigs>): DiscoveryConfigs {
  return { static_configs: [], file_sd_configs: [], http_sd_configs: [], dns_sd_configs: [], plugins: [], ...partial };
}

describe("file_sd", () => {
  test("reads JSON and YAML, follows changes and removals", async () => {
    const sub = mkdtempSync(join(dir, "f-"));
    writeFileSync(join(sub, "a.json"), JSON.stringify([{ targets: ["h1:9100"], labels: { team: "x" } }]));
    writeFileSync(join(sub, "b.yml"), "- targets: ['h2:9100', 'h3:9100']\n");
    const m = new DiscoveryManager({ logger: nopLogger, updateIntervalMs: 0 });
    let last: TargetSets | undefined;
    m.subscribe((s) => (last = s));
    await m.applyConfig(new Map([["node", configs({ file_sd_configs: [{ files: [join(sub, "*.json"), join(sub, "*.yml")], refresh_interval: 60_000 }] })]]));
    const addrs = (s: TargetSets | undefined) => s?.get("node")?.flatMap((g) => g.targets.map((t) => t.__address__)).sort().join(",");
    await until(() => (addrs(last) === "h1:9100,h2:9100,h3:9100" ? true : undefined), "initial file targets");
    const g = last!.get("node")!.find((x) => x.source.endsWith("a.json:0"))!;
    expect(g.labels).toEqual({ team: "x", __meta_filepath: join(sub, "a.json") });

    writeFileSync(join(sub, "b.yml"), "- targets: ['h2:9100']\n");
    await until(() => (addrs(last) === "h1:9100,h2:9100" ? true : undefined), "changed file");
    writeFileSync(join(sub, "a.json"), "{not json");
    await new Promise((r) => setTimeout(r, 200));
    expect(addrs(last)).toBe("h1:9100,h2:9100"); // a broken file keeps its previous groups
    const metric = (name: string) => m.collectMetrics().flatMap((f) => f.samples).find((x) => x.name === name);
    expect(metric("prometheus_sd_file_read_errors_total")!.value).toBeGreaterThanOrEqual(1);
    expect(metric("prometheus_sd_discovered_targets")).toEqual({ name: "prometheus_sd_discovered_targets", labels: { config: "node", name: "scrape" }, value: 2 });
    unlinkSync(join(sub, "a.json"));
    await until(() => (addrs(last) === "h2:9100" ? true : undefined), "removed file");
    await m.stop();
  });
});

describe("http_sd", () => {
  test("fetches groups, adds __meta_url, checks status and content type", async () => {
    let body = JSON.stringify([{ targets: ["a:1"], labels: { l: "v" } }, { targets: ["b:2"] }]);
    let ct = "application/json";
    let seenHeader = "";
    const rt = detectRuntime();
    const srv = await rt.serve((req) => {
      seenHeader = req.headers.get("x-prometheus-refresh-interval-seconds") ?? "";
      if (new URL(req.url).pathname === "/500") return new Response("x", { status: 500 });
      return new Response(body, { headers: { "content-type": ct } });
    }, { hostname: "127.0.0.1", port: 0 });
    try {
      const url = `http://127.0.0.1:${srv.port}/sd`;
      const cfg = parseDiscoveryConfigs({ http_sd_configs: [{ url, refresh_interval: "15s" }] }, "j").http_sd_configs[0]!;
      const groups = await fetchHTTPTargetGroups(cfg, dir, new AbortController().signal);
      expect(groups).toEqual([
        { targets: [{ __address__: "a:1" }], labels: { l: "v", __meta_url: url }, source: `${url}:0` },
        { targets: [{ __address__: "b:2" }], labels: { __meta_url: url }, source: `${url}:1` },
      ]);
      expect(seenHeader).toBe("15");
      ct = "text/plain";
      await expect(fetchHTTPTargetGroups(cfg, dir, new AbortController().signal)).rejects.toThrow('unsupported content type "text/plain"');
      ct = "application/json";
      body = JSON.stringify([{ targets: ["a:1"], labels: { "bad-name": "x" } }]);
      await expect(fetchHTTPTargetGroups(cfg, dir, new AbortController().signal)).rejects.toThrow("is not a valid label name");
      const cfg500 = { ...cfg, url: `http://127.0.0.1:${srv.port}/500` };
      await expect(fetchHTTPTargetGroups(cfg500, dir, new AbortController().signal)).rejects.toThrow("server returned HTTP status 500");
    } finally {
      await srv.stop();
    }
  });
});

describe("dns_sd", () => {
  const resolver: DNSResolver = {
    resolve4: async () => ["10.0.0.1", "10.0.0.2"],
    resolve6: async () => ["::1"],
    resolveSrv: async () => [{ name: "node1.example.org", port: 9100, priority: 0, weight: 0 }],
    resolveMx: async () => [{ exchange: "mx.example.org", priority: 10 }],
    resolveNs: async () => ["ns1.example.org"],
  };
  test("SRV records carry Prometheus's meta labels", async () => {
    const g = await resolveDNSGroup("_node._tcp.example.org", { names: [], type: "SRV", port: 0, refresh_interval: 1 }, resolver);
    expect(g).toEqual({
      source: "_node._tcp.example.org", labels: {},
      targets: [{ __address__: "node1.example.org:9100", __meta_dns_name: "_node._tcp.example.org", __meta_dns_srv_record_target: "node1.example.org.", __meta_dns_srv_record_port: "9100" }],
    });
  });
  test("A and AAAA records use the configured port", async () => {
    const a = await resolveDNSGroup("h", { names: [], type: "A", port: 80, refresh_interval: 1 }, resolver);
    expect(a.targets.map((t) => t.__address__)).toEqual(["10.0.0.1:80", "10.0.0.2:80"]);
    const aaaa = await resolveDNSGroup("h", { names: [], type: "AAAA", port: 80, refresh_interval: 1 }, resolver);
    expect(aaaa.targets[0]!.__address__).toBe("[::1]:80");
  });
  test("manager runs dns_sd with the injected resolver", async () => {
    const m = new DiscoveryManager({ logger: nopLogger, updateIntervalMs: 0, dnsResolver: resolver });
    let last: TargetGroup[] | undefined;
    m.subscribe((s) => (last = s.get("j")));
    await m.applyConfig(new Map([["j", configs({ dns_sd_configs: [{ names: ["h"], type: "A", port: 80, refresh_interval: 60_000 }] })]]));
    await until(() => (last && last.length > 0 ? true : undefined), "dns groups");
    expect(last![0]!.targets.map((t) => t.__address__)).toEqual(["10.0.0.1:80", "10.0.0.2:80"]);
    await m.stop();
  });
});

describe("discovery manager", () => {
  test("keeps unchanged providers across reloads and drops removed jobs", async () => {
    let runs = 0;
    const m = new DiscoveryManager({
      logger: nopLogger, updateIntervalMs: 0,
      discoverers: new Map([["fake", () => ({
        async run(signal: AbortSignal, emit: (g: TargetGroup[]) => void) {
          runs++;
          emit([{ source: "s", labels: { __meta_fake: "1" }, targets: [{ __address__: "f:1" }] }]);
          await new Promise((r) => signal.addEventListener("abort", r));
        },
      })]]),
    });
    let last: TargetSets | undefined;
    m.subscribe((s) => (last = s));
    const jobA = configs({ static_configs: [{ targets: ["a:1"], labels: {} }], plugins: [{ name: "fake", config: { x: 1 } }] });
    await m.applyConfig(new Map([["a", jobA]]));
    await until(() => (last?.get("a")?.length === 2 ? true : undefined), "two groups");
    expect(last!.get("a")!.map((g) => g.source).sort()).toEqual(["plugin:fake/s", "static/0"]);
    await m.applyConfig(new Map([["a", jobA], ["b", configs({ static_configs: [{ targets: ["b:1"], labels: {} }] })]]));
    await until(() => (last?.get("b")?.length === 1 ? true : undefined), "job b");
    expect(runs).toBe(1);
    await m.applyConfig(new Map([["b", configs({ static_configs: [{ targets: ["b:1"], labels: {} }] })]]));
    await until(() => (last?.has("a") === false ? true : undefined), "job a removed");
    await m.stop();
  });
});

describe("YAML scalars in string fields (as Go's yaml decoder reads them)", () => {
  test("static_configs labels and targets accept numbers and booleans as text", () => {
    const c = parseDiscoveryConfigs({ static_configs: [{ targets: ["a:1"], labels: { port: 9100, flag: true } }] }, "j");
    expect(c.static_configs[0]!.labels).toEqual({ port: "9100", flag: "true" });
  });
  test("file_sd: YAML files accept scalar label values, JSON files do not", async () => {
    const { readTargetFile } = await import("../../../core/discovery/file.ts");
    const sub = mkdtempSync(join(dir, "s-"));
    writeFileSync(join(sub, "t.yml"), "- targets: ['h:1']\n  labels: {port: 9100}\n");
    expect(readTargetFile(join(sub, "t.yml"))[0]!.labels.port).toBe("9100");
    writeFileSync(join(sub, "t.json"), '[{"targets": ["h:1"], "labels": {"port": 9100}}]');
    expect(() => readTargetFile(join(sub, "t.json"))).toThrow('label "port" must have a string value');
  });
});
