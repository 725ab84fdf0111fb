/**
 * @module exporters/service/testing/processes
 * Test helpers shared by exporter, plugin and core interop tests: a free loopback port, waiting for an
 * HTTP endpoint or any condition, starting a child process that is stopped by PID, a real Prometheus
 * started with a given configuration, and a real Prometheus scraping a target to check `up == 1` with no
 * scrape errors. Test-only; nothing in the library imports this.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx or `timeoutMs` passes (then throws). */
export async function waitForHttp(url: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${timeoutMs}ms (${last})`);
}

/** A child process started for a test; `stop()` kills it by PID. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `cmd args` with stdout/stderr captured. */
export function startChild(cmd: string, args: string[], opts: { cwd?: string } = {}): Child {
  const proc = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  return {
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.pid === undefined) return resolve();
        proc.once("exit", () => resolve());
        const kill = (sig: NodeJS.Signals) => {
          try {
            if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) process.kill(proc.pid, sig);
          } catch {
            // already gone
          }
        };
        kill("SIGTERM");
        const t = setTimeout(() => kill("SIGKILL"), 3000);
        proc.once("exit", () => clearTimeout(t));
      }),
  };
}

/** The result of {@link scrapeWithPrometheus}. */
export interface PrometheusScrape {
  up: number;
  lastError: string;
  health: string;
  samples: number;
}

/**
 * Starts /usr/bin/prometheus with one scrape job (`job`, interval 1s) against `target` (host:port) and
 * `metricsPath`/`params`, waits for the first scrape, and returns the target's health and `up`.
 */
export async function scrapeWithPrometheus(
  target: string,
  opts: { metricsPath?: string; params?: Record<string, string[]>; relabelTarget?: string; binary?: string } = {},
): Promise<PrometheusScrape> {
  const dir = mkdtempSync(join(tmpdir(), "quiver-prom-"));
  const port = await freePort();
  const relabel = opts.relabelTarget
    ? `    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: ${opts.relabelTarget}
`
    : "";
  const params = opts.params ? `    params:\n${Object.entries(opts.params).map(([k, v]) => `      ${k}: [${v.map((x) => JSON.stringify(x)).join(", ")}]`).join("\n")}\n` : "";
  writeFileSync(join(dir, "prometheus.yml"), `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: test
    metrics_path: ${opts.metricsPath ?? "/metrics"}
${params}    static_configs:
      - targets: [${JSON.stringify(target)}]
${relabel}`);
  const prom = startChild(opts.binary ?? "/usr/bin/prometheus", [
    `--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`,
  ]);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 20_000);
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      const r = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as {
        data: { activeTargets: { health: string; lastError: string; lastScrape: string }[] };
      };
      const t = r.data.activeTargets[0];
      if (t && t.health !== "unknown") {
        const q = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`)).json()) as { data: { result: { value: [number, string] }[] } };
        const s = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=scrape_samples_scraped`)).json()) as { data: { result: { value: [number, string] }[] } };
        // The first scrape's samples become queryable a moment after the target's health is set.
        if (q.data.result.length > 0 && s.data.result.length > 0) {
          return { up: Number(q.data.result[0]!.value[1]), lastError: t.lastError, health: t.health, samples: Number(s.data.result[0]!.value[1]) };
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus never scraped ${target}:\n${prom.output().slice(-2000)}`);
  } finally {
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Calls `fn` every `intervalMs` until it returns something other than undefined and resolves to that;
 * a throw counts as "not yet" (a peer still starting). Resolves to undefined after `timeoutMs`.
 */
export async function pollUntil<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A Prometheus server started by {@link startPrometheus}. */
export interface PrometheusProcess {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** The temporary directory holding prometheus.yml and the TSDB. */
  dir: string;
  child: Child;
  /** Stops the process by PID and removes `dir`. */
  stop(): Promise<void>;
}

/**
 * Starts /usr/bin/prometheus (or `binary`) on a free loopback port with `config` (YAML text) as its
 * configuration file, in a fresh temporary directory. Resolves once started, without waiting for
 * readiness unless `ready` is set (then it waits for /-/ready, up to 20 s).
 */
export async function startPrometheus(config: string, opts: { binary?: string; ready?: boolean } = {}): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), "quiver-prom-"));
  const port = await freePort();
  writeFileSync(join(dir, "prometheus.yml"), config);
  const child = startChild(opts.binary ?? "/usr/bin/prometheus", [
    `--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  if (opts.ready) {
    try {
      await waitForHttp(`${url}/-/ready`, 20_000);
    } catch (e) {
      await stop();
      throw new Error(`${(e as Error).message}\n${child.output().slice(-2000)}`);
    }
  }
  return { url, port, dir, child, stop };
}
