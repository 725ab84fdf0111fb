/**
 * @module test/interop/api-harness
 * A small real HTTP server for the API interop tests: core/runtime's serve() in front of apiV1() and
 * /federate over a MemoryStorage filled with known series whose latest samples are at "now", plus
 * helpers to find and run the Debian peers (promtool, prometheus). Ports, polling and long-running peer
 * processes come from exporters/service/testing/processes.ts (freePort is re-exported for older callers).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Elysia } from "elysia";
import { federateApi } from "../../core/api/federate.ts";
import { tlsServerOptions, webConfigSource, withWebConfig } from "../../core/api/web-config.ts";
import { apiV1 } from "../../core/api/v1/index.ts";
import { Labels } from "../../core/model/labels.ts";
import { Engine } from "../../core/promql/index.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import { MemoryStorage } from "../../core/storage/memory.ts";

export { freePort } from "../../exporters/service/testing/processes.ts";

/** The series the harness serves: value at step i (15 s apart, the last one at `end`). */
export const SERIES: Array<[Record<string, string>, (i: number) => number]> = [
  [{ __name__: "up", job: "prometheus", instance: "127.0.0.1:19090" }, () => 1],
  [{ __name__: "up", job: "node", instance: "127.0.0.1:19100" }, () => 1],
  [{ __name__: "node_load1", job: "node", instance: "127.0.0.1:19100" }, (i) => 0.25 * i],
];

/** A running harness. */
export interface Harness {
  url: string;
  port: number;
  /** Time (ms) of the newest samples. */
  end: number;
  stop(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Time (ms) of the newest samples; default now (whole seconds). */
  end?: number;
  /** A --web.config.file to enforce (TLS and basic auth), as the server does. */
  webConfigFile?: string;
}

/** Starts the harness on a free loopback port with samples from end-5m to `end` every 15 s. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const end = o.end ?? Math.floor(Date.now() / 1000) * 1000;
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (let i = 0; i <= 20; i++) {
    const t = end - 300_000 + i * 15_000;
    for (const [ls, f] of SERIES) app.append(0, Labels.from(ls), t, f(i));
  }
  await app.commit();
  const api = new Elysia()
    .use(apiV1({
      queryable: storage,
      engine: new Engine(),
      enableAdminApi: false,
      status: {
        configYaml: () => "",
        flags: () => ({}),
        runtimeInfo: () => ({ startTime: end, CWD: "/", hostname: "h", serverTime: Date.now(), reloadConfigSuccess: true, lastConfigTime: end, corruptionCount: 0, goroutineCount: 0, GOMAXPROCS: 1, GOMEMLIMIT: 0, GOGC: "", GODEBUG: "", storageRetention: "15d" }),
        buildInfo: () => ({ version: "0.0.0-test", revision: "", branch: "", buildUser: "", buildDate: "", goVersion: "" }),
      },
    }))
    .use(federateApi({ queryable: storage, externalLabels: () => Labels.from({ quiver_replica: "a" }), lookbackDelta: 300_000 }));
  const source = webConfigSource(o.webConfigFile ?? "");
  const tls = tlsServerOptions(source.get());
  const handler = withWebConfig(source, (req) => api.handle(req));
  const server = await detectRuntime().serve(handler, { hostname: "127.0.0.1", port: 0, tls });
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${server.port}`, port: server.port, end, stop: () => server.stop() };
}

/**
 * prometheus.yml text for a Prometheus that federates every second from `target` (host:port) with
 * `match[]` = `match` and honor_labels, in a job named "federate". `jobLines` are added to that job
 * (scheme, tls_config, basic_auth…), `more` after it (further jobs), each a line of YAML.
 */
export function federateConfig(target: string, match: string, o: { jobLines?: string[]; more?: string[] } = {}): string {
  return [
    "global:",
    "  scrape_interval: 1s",
    "scrape_configs:",
    "  - job_name: federate",
    "    honor_labels: true",
    "    metrics_path: /federate",
    "    params:",
    `      'match[]': ['${match}']`,
    ...(o.jobLines ?? []),
    "    static_configs:",
    `      - targets: ['${target}']`,
    ...(o.more ?? []),
    "",
  ].join("\n");
}

/** Path of a Debian peer binary, or null (and a notice) when it is not installed. */
export function peer(path: string): string | null {
  if (existsSync(path)) return path;
  console.warn(`skipping: ${path} is not installed (CI installs it via .ci/run)`);
  return null;
}

/**
 * Runs a peer binary asynchronously (the harness server lives in this process, so the event loop must
 * keep running); returns stdout, stderr and the exit code. Killed after `timeoutMs`.
 */
export function run(bin: string, args: string[], input?: string, timeoutMs = 20_000): Promise<{ out: string; err: string; code: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ["pipe", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ out, err, code: code ?? -1 });
    });
    p.stdin.end(input ?? "");
  });
}
