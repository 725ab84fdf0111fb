/**
 * Test helpers for remote-storage interop: free loopback ports, Debian peer binaries (VictoriaMetrics,
 * Prometheus) started on 127.0.0.1 and stopped by PID, and waiting for conditions. Tests skip with a
 * message when a binary is absent.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1 (bound and released; a tiny race is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Path of a Debian peer binary, or null (and a notice) when it is not installed. */
export function peer(path: string): string | null {
  if (existsSync(path)) return path;
  console.warn(`skipping: ${path} is not installed (CI installs it via .ci/run)`);
  return null;
}

/** A peer process on loopback. */
export interface Peer {
  url: string;
  port: number;
  proc: ChildProcess;
  dir: string;
  logs(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) by its PID. Keeps `dir`. */
  stop(): Promise<void>;
  /** Stops and removes the data directory. */
  destroy(): Promise<void>;
}

function launch(bin: string, args: string[], dir: string, port: number): Peer {
  let out = "";
  const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout!.on("data", (d) => (out = (out + d).slice(-20000)));
  proc.stderr!.on("data", (d) => (out = (out + d).slice(-20000)));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const done = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([done, sleep(5000)]);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGKILL");
      await done;
    }
  };
  return {
    url: `http://127.0.0.1:${port}`, port, proc, dir, logs: () => out, stop,
    destroy: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Starts VictoriaMetrics single-node on a free loopback port (reusing `dir` when given). */
export async function startVictoria(bin: string, dir?: string, port?: number, extra: string[] = []): Promise<Peer> {
  const d = dir ?? mkdtempSync(join(tmpdir(), "quiver-vm-"));
  const p = port ?? await freePort();
  const peerProc = launch(bin, [
    `-httpListenAddr=127.0.0.1:${p}`, `-storageDataPath=${join(d, "data")}`, "-search.latencyOffset=0s",
    "-search.disableCache", "-retentionPeriod=100y", ...extra,
  ], d, p);
  await waitFor(async () => (await fetch(`${peerProc.url}/health`)).ok, 20_000, () => peerProc.logs());
  return peerProc;
}

/** Starts Prometheus with the given config text (and extra flags) on a free loopback port. */
export async function startPrometheus(bin: string, config: string, extra: string[] = [], dir?: string, port?: number): Promise<Peer> {
  const d = dir ?? mkdtempSync(join(tmpdir(), "quiver-prom-"));
  const p = port ?? await freePort();
  writeFileSync(join(d, "prometheus.yml"), config);
  const peerProc = launch(bin, [
    `--config.file=${join(d, "prometheus.yml")}`, `--storage.tsdb.path=${join(d, "data")}`,
    `--web.listen-address=127.0.0.1:${p}`, ...extra,
  ], d, p);
  await waitFor(async () => (await fetch(`${peerProc.url}/-/ready`)).ok, 20_000, () => peerProc.logs());
  return peerProc;
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 200 ms until it returns true (exceptions count as false); throws after `timeoutMs`. */
export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs: number, logs?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await cond()) return;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ""}${logs ? `\n${logs().slice(-3000)}` : ""}`);
}

/** Instant query against a Prometheus-API server; returns the result vector. */
export async function instantQuery(url: string, q: string, time?: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const u = `${url}/api/v1/query?query=${encodeURIComponent(q)}${time !== undefined ? `&time=${time / 1000}` : ""}`;
  const body = (await (await fetch(u)).json()) as { data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return body.data?.result ?? [];
}

/** Range data of a selector via /api/v1/export-style query_range-free access: a `[range]` instant query. */
export async function rangeSamples(url: string, selector: string, rangeSec: number, time: number): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
  const u = `${url}/api/v1/query?query=${encodeURIComponent(`${selector}[${rangeSec}s]`)}&time=${time / 1000}`;
  const body = (await (await fetch(u)).json()) as { data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  return body.data?.result ?? [];
}
