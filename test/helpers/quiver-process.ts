/**
 * @module test/helpers/quiver-process
 * Starts a real Quiver server process (Bun or Deno) on a free loopback port for end-to-end tests, waits
 * until /-/ready answers, and stops it by PID. The port is read from the "Server is ready" log line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./shared.ts";

/** A running server under test. */
export interface QuiverProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  dataDir: string;
  /** Everything the process logged so far. */
  logs(): string;
  /** Sends a signal. */
  kill(sig: NodeJS.Signals): void;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Options of {@link startQuiver}. */
export interface StartOptions {
  runtime?: "bun" | "deno";
  args?: string[];
  dataDir?: string;
  /** Max wait for readiness in ms. */
  timeoutMs?: number;
}

/** Starts Quiver and waits for /-/ready. Throws with the logs when it does not come up. */
export async function startQuiver(opts: StartOptions = {}): Promise<QuiverProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "quiver-e2e-"));
  const bin = join(REPO_ROOT, "node_modules", ".bin", opts.runtime ?? "bun");
  const runArgs = opts.runtime === "deno" ? ["run", "--allow-all", "--unstable-no-legacy-abort", "core/main.ts"] : ["core/main.ts"];
  const proc = spawn(bin, [...runArgs, "--web.listen-address=127.0.0.1:0", `--storage.tsdb.path=${dataDir}`, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((res) => proc.on("exit", (code) => res(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let port = 0;
  while (Date.now() < deadline) {
    const m = /Server is ready to receive web requests\."?\s+address=[^\s]*:(\d+)/.exec(out);
    if (m) {
      port = Number(m[1]);
      break;
    }
    if (proc.exitCode !== null) break;
    await Bun.sleep(50);
  }
  if (!port) {
    proc.kill("SIGKILL");
    throw new Error(`Quiver did not start:\n${out}`);
  }
  const url = `http://127.0.0.1:${port}`;
  while (Date.now() < deadline) {
    const r = await fetch(`${url}/-/ready`).catch(() => undefined);
    if (r?.status === 200) break;
    await Bun.sleep(50);
  }
  return {
    proc, port, url, dataDir, exited,
    logs: () => out,
    kill: (sig) => proc.kill(sig),
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Reads one sample value from a /metrics text body (first match of the exact series text). */
export function metricValue(body: string, series: string): number | undefined {
  for (const line of body.split("\n")) {
    if (line.startsWith(series + " ")) return Number(line.slice(series.length + 1).split(" ")[0]);
  }
  return undefined;
}
