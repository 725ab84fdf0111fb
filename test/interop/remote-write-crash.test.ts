/**
 * A sender killed with SIGKILL loses nothing: a Quiver process remote-writes to VictoriaMetrics; the
 * receiver goes down, the sender keeps committing to its WAL and is then SIGKILLed; after both come
 * back (the sender from its WAL and saved position), every sample is in VictoriaMetrics with its value.
 * Re-sent batches (sent but not yet recorded in the position file when killed) are duplicates, which
 * VictoriaMetrics collapses with -dedup.minScrapeInterval=1ms.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/shared.ts";
import { freePort, peer, startVictoria, waitFor, type Peer } from "../core/remote/peers.ts";
import { crashValue } from "../core/remote/sender-proc.ts";

const bin = peer("/usr/bin/victoria-metrics");
const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
const ROUNDS = 60;

function sender(dir: string, url: string, from: number, to: number): { proc: ChildProcess; out: () => string } {
  let out = "";
  const proc = spawn(join(REPO_ROOT, "node_modules", ".bin", "bun"), [
    "test/core/remote/sender-proc.ts", `--dir=${dir}`, `--url=${url}`, `--from=${from}`, `--to=${to}`, `--t0=${T0}`, "--delay=25",
  ], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  return { proc, out: () => out };
}

const lastCommitted = (out: string) => Math.max(-1, ...[...out.matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));

describe.skipIf(!bin)("sender crash", () => {
  let vm: Peer | undefined;
  let dir = "";
  const procs: ChildProcess[] = [];

  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    await vm?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("SIGKILL during a receiver outage loses nothing", async () => {
    dir = mkdtempSync(join(tmpdir(), "quiver-crash-"));
    const vmDir = mkdtempSync(join(tmpdir(), "quiver-vm-"));
    const port = await freePort();
    vm = await startVictoria(bin!, vmDir, port, ["-dedup.minScrapeInterval=1ms"]);
    const url = `${vm.url}/api/v1/write`;
    const a = sender(join(dir, "data"), url, 0, ROUNDS);
    procs.push(a.proc);
    await waitFor(() => lastCommitted(a.out()) >= 15, 20_000, a.out);
    await vm.stop();
    await waitFor(() => lastCommitted(a.out()) >= 35, 20_000, a.out);
    a.proc.kill("SIGKILL");
    await new Promise((r) => a.proc.once("exit", r));
    const resumeAt = lastCommitted(a.out()) + 1;
    vm = await startVictoria(bin!, vmDir, port, ["-dedup.minScrapeInterval=1ms"]);
    const b = sender(join(dir, "data"), url, resumeAt, ROUNDS);
    procs.push(b.proc);
    await waitFor(() => b.out().includes("drained"), 30_000, b.out);

    await fetch(`${vm.url}/internal/force_flush`);
    const res = await fetch(`${vm.url}/api/v1/export?match[]=rw_crash&start=${T0 / 1000 - 10}`);
    const got = new Map<string, Array<[number, number]>>();
    for (const line of (await res.text()).trim().split("\n")) {
      const o = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
      got.set(o.metric.i!, o.timestamps.map((t, j) => [t, o.values[j]!] as [number, number]).sort((x, y) => x[0] - y[0]));
    }
    expect(got.size).toBe(10);
    for (let i = 0; i < 10; i++) {
      expect(got.get(String(i))).toEqual(Array.from({ length: ROUNDS }, (_, k) => [T0 + k * 1000, crashValue(i, k)] as [number, number]));
    }
  }, 90_000);
});
