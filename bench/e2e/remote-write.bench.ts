/**
 * @module bench/e2e/remote-write
 * End-to-end ingestion benchmark: the same seeded remote-write load (the node_exporter-like profile of
 * bench/data, ../shared/bench-profile.md) is sent to Quiver and, when installed, to Prometheus
 * (--web.enable-remote-write-receiver) and VictoriaMetrics, each started on loopback with a fresh data
 * directory and stopped by PID. Per system it reports:
 * - accepted samples/s (samples in 2xx-answered requests / wall time of sending);
 * - server CPU seconds per million samples (utime + stime from /proc/<pid>/stat);
 * - peak RSS (VmHWM from /proc/<pid>/status);
 * - bytes/sample on disk after flush (Quiver: blocks after a head flush; Prometheus: a snapshot with
 *   the head, via the admin API; VictoriaMetrics: the data directory after /internal/force_flush).
 *
 * Requests carry one scrape of `instancesPerRequest` instances (540 series each, each sample its own
 * TimeSeries as Prometheus's sender writes them). The whole load is encoded and snappy-compressed once
 * before any timing (the same bytes go to every system), then sent with `concurrency` requests in
 * flight; a scrape round finishes before the next starts, so no series ever goes out of order. Client
 * and server share the machine's cores: compare systems on CPU s per million first.
 * Quiver runs as its real server when that serves POST /api/v1/write; otherwise (before the receiver is
 * wired into core/app) as bench/e2e/quiver-receiver.ts: the same receiver area over the same TSDB.
 *
 * Standalone: `bun bench/e2e/remote-write.bench.ts [--size 100k] [--scrapes 240] [--only quiver,prometheus,victoria-metrics] [--json out.json]`.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { writeLabels } from "../../core/remote/proto/write.ts";
import { ProtoWriter } from "../../core/remote/proto/wire.ts";
import { snappyCompress } from "../../core/remote/snappy.ts";
import { ProfileGenerator } from "../data/generator.ts";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");

/** Options of {@link runE2EBench}. */
export interface E2EBenchOptions {
  /** Series (rounded to whole instances of 540). Default 100k. */
  size?: number;
  /** Samples per series. Default 240. */
  scrapes?: number;
  seed?: number;
  /** Systems to run; default all installed. */
  only?: string[];
  instancesPerRequest?: number;
  concurrency?: number;
  log?: (msg: string) => void;
}

/** Figures of one system. */
export interface E2EResult {
  system: string;
  version: string;
  mode: string;
  samples: number;
  accepted: number;
  seconds: number;
  samples_per_sec: number;
  cpu_seconds_per_million: number;
  peak_rss_mib: number;
  bytes_per_sample: number;
}

interface Running {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  version: string;
  mode: string;
  /** Persists everything and returns the bytes the stored samples occupy. */
  flush(): Promise<number>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => res(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function waitHttp(url: string, ok: (r: Response) => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (ok(await fetch(url))) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${ms} ms`);
}

async function stopProc(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  await Promise.race([done, new Promise((r) => setTimeout(r, 120_000))]);
  if (p.exitCode === null && p.signalCode === null) {
    p.kill("SIGKILL");
    await done;
  }
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/** CPU seconds (user + system) a process has used so far. */
function procCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (CLK_TCK = 100 on Linux)
}

/** Peak resident set size (MiB). */
function procPeakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function spawnLogged(bin: string, args: string[], cwd?: string): ChildProcess {
  const p = spawn(bin, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  p.stderr!.on("data", (d) => (err = (err + d).slice(-4000)));
  p.once("exit", (code) => { if (code && code !== 0 && code !== 143) process.stderr.write(`${bin} exited ${code}: ${err}\n`); });
  return p;
}

async function startQuiver(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-e2e-quiver-"));
  const port = await freePort();
  const bun = join(ROOT, "node_modules", ".bin", "bun");
  let proc = spawnLogged(bun, ["core/main.ts", "--web.enable-remote-write-receiver", `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${dataDir}`, "--web.enable-admin-api"], ROOT);
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/-/ready`, (r) => r.ok);
  const probe = await fetch(`${url}/api/v1/write`, { method: "POST", body: snappyCompress(new Uint8Array(0)) as Uint8Array<ArrayBuffer> });
  let mode = "server";
  if (probe.status !== 204) {
    await stopProc(proc);
    rmSync(dataDir, { recursive: true, force: true });
    proc = spawnLogged(bun, ["bench/e2e/quiver-receiver.ts", `--port=${port}`, `--data=${dataDir}`], ROOT);
    await waitHttp(`${url}/-/ready`, (r) => r.ok);
    mode = "receiver (core/api/remote/write.ts + core/tsdb; server not yet wired)";
  }
  return {
    proc, url, dataDir, version: "0.1.0", mode,
    flush: async () => {
      // Stop (the TSDB closes cleanly), then cut every head sample into blocks offline and measure them.
      await stopProc(proc);
      const { DB } = await import("../../core/tsdb/db.ts");
      const db = await DB.open(dataDir, { backgroundCompaction: false });
      db.flushHead();
      const bytes = db.blockMetas().reduce((a, m) => a + dirBytes(join(dataDir, m.ulid)), 0);
      await db.close();
      return bytes;
    },
  };
}

async function startPrometheus(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-e2e-prom-"));
  const port = await freePort();
  writeFileSync(join(dataDir, "prometheus.yml"), "global: {scrape_interval: 1h}\n");
  const proc = spawnLogged("/usr/bin/prometheus", [
    `--config.file=${join(dataDir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dataDir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`, "--web.enable-remote-write-receiver", "--web.enable-admin-api",
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/-/ready`, (r) => r.ok);
  const info = (await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as { data: { version: string } };
  return {
    proc, url, dataDir, version: info.data.version, mode: "server",
    flush: async () => {
      const r = (await (await fetch(`${url}/api/v1/admin/tsdb/snapshot?skip_head=false`, { method: "POST" })).json()) as { data: { name: string } };
      return dirBytes(join(dataDir, "data", "snapshots", r.data.name));
    },
  };
}

async function startVictoria(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-e2e-vm-"));
  const port = await freePort();
  const proc = spawnLogged("/usr/bin/victoria-metrics", [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dataDir, "data")}`, "-retentionPeriod=100y"]);
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/health`, (r) => r.ok);
  return {
    proc, url, dataDir, version: debianVersion("victoria-metrics"), mode: "server",
    flush: async () => {
      await fetch(`${url}/internal/force_flush`);
      await new Promise((r) => setTimeout(r, 2000));
      return dirBytes(join(dataDir, "data"));
    },
  };
}

/** The installed Debian package version (the Debian VictoriaMetrics build reports no version itself). */
function debianVersion(pkg: string): string {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" }).trim() || "?";
  } catch {
    return "?";
  }
}

const SYSTEMS: Record<string, { bin?: string; start: () => Promise<Running> }> = {
  quiver: { start: startQuiver },
  prometheus: { bin: "/usr/bin/prometheus", start: startPrometheus },
  "victoria-metrics": { bin: "/usr/bin/victoria-metrics", start: startVictoria },
};

/** Writes one TimeSeries{labels, one sample} from a pre-encoded label block. */
function appendSeries(w: ProtoWriter, labelBlock: Uint8Array, t: number, valueBytes: Uint8Array, j: number): void {
  const m = w.beginLen(1);
  w.ensure(labelBlock.length + 24);
  w.buf.set(labelBlock, w.pos);
  w.pos += labelBlock.length;
  const sm = w.beginLen(2);
  w.buf[w.pos++] = 9;
  w.fixed64From(valueBytes, j * 8);
  w.buf[w.pos++] = 16;
  w.int64(t);
  w.endLen(sm);
  w.endLen(m);
}

/** The whole load, encoded and compressed before any system is timed (the same bytes for all). */
interface Load {
  bodies: Uint8Array[];
  /** Samples per body. */
  counts: number[];
  /** Index of the first body of each scrape round. */
  roundStarts: number[];
  total: number;
}

/** Encodes the seeded load: one request per `instancesPerRequest` instances per scrape round. */
function buildLoad(o: Required<Pick<E2EBenchOptions, "size" | "scrapes" | "seed" | "instancesPerRequest">>): Load {
  const instances = Math.max(1, Math.round(o.size / 540));
  const start = Math.floor((Date.now() - o.scrapes * 15_000 - 60_000) / 15_000) * 15_000;
  const g = new ProfileGenerator({ instances, seed: o.seed, start });
  const labels = g.labels();
  const per = g.numSeries / instances;
  const writer = new ProtoWriter(1 << 20);
  const labelBlocks = labels.map((l) => {
    const w = new ProtoWriter(256);
    writeLabels(w, 1, l);
    return w.bytes().slice();
  });
  const values = new Float64Array(per);
  const valueBytes = new Uint8Array(values.buffer);
  const load: Load = { bodies: [], counts: [], roundStarts: [], total: 0 };
  for (let s = 0; s < o.scrapes; s++) {
    load.roundStarts.push(load.bodies.length);
    for (let i0 = 0; i0 < instances; i0 += o.instancesPerRequest) {
      // Each sample is its own TimeSeries (as Prometheus's sender does); label blocks are pre-encoded.
      writer.reset();
      let n = 0;
      for (let i = i0; i < Math.min(instances, i0 + o.instancesPerRequest); i++) {
        const t = g.scrape(i, values);
        for (let j = 0; j < per; j++) appendSeries(writer, labelBlocks[i * per + j]!, t, valueBytes, j);
        n += per;
      }
      load.bodies.push(snappyCompress(writer.bytes()));
      load.counts.push(n);
      load.total += n;
    }
  }
  return load;
}

/** Sends a prepared load to `url`; returns samples accepted (2xx) and the wall seconds it took. */
async function sendLoad(url: string, load: Load, concurrency: number): Promise<{ accepted: number; seconds: number; total: number }> {
  let accepted = 0, failed = 0, firstError = "";
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let r = 0; r < load.roundStarts.length; r++) {
    const end = load.roundStarts[r + 1] ?? load.bodies.length;
    for (let k = load.roundStarts[r]!; k < end; k++) {
      const n = load.counts[k]!;
      const p: Promise<void> = fetch(`${url}/api/v1/write`, {
        method: "POST", body: load.bodies[k] as Uint8Array<ArrayBuffer>,
        headers: { "content-encoding": "snappy", "content-type": "application/x-protobuf", "x-prometheus-remote-write-version": "0.1.0" },
      }).then(async (res) => {
        if (res.status >= 200 && res.status < 300) accepted += n;
        else { failed += n; firstError ||= `${res.status} ${(await res.text()).slice(0, 200)}`; }
        await res.body?.cancel().catch(() => {});
      }, (e) => { failed += n; firstError ||= String(e); }).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
    // A series' next sample may only leave once its previous one was accepted (receivers reject out
    // of order samples): finish the round before starting the next scrape.
    await Promise.all(inflight);
  }
  if (failed) process.stderr.write(`  ${failed} samples rejected, first error: ${firstError}\n`);
  return { accepted, total: load.total, seconds: (performance.now() - t0) / 1000 };
}

/** Runs the benchmark for every selected, installed system. */
export async function runE2EBench(opts: E2EBenchOptions = {}): Promise<E2EResult[]> {
  const o = {
    size: opts.size ?? 100_000, scrapes: opts.scrapes ?? 240, seed: opts.seed ?? 1,
    instancesPerRequest: opts.instancesPerRequest ?? 4, concurrency: opts.concurrency ?? 4,
  };
  const log = opts.log ?? ((m: string) => process.stderr.write(`[e2e] ${m}\n`));
  const results: E2EResult[] = [];
  log(`encoding ${o.size} series × ${o.scrapes} samples (once, before timing)`);
  const load = buildLoad(o);
  log(`${load.bodies.length} requests, ${(load.bodies.reduce((a, b) => a + b.length, 0) / load.total).toFixed(1)} bytes/sample on the wire`);
  for (const name of opts.only ?? Object.keys(SYSTEMS)) {
    const sys = SYSTEMS[name];
    if (!sys) throw new Error(`unknown system ${name}; known: ${Object.keys(SYSTEMS).join(", ")}`);
    if (sys.bin && !existsSync(sys.bin)) {
      log(`skipping ${name}: ${sys.bin} is not installed`);
      continue;
    }
    log(`starting ${name}`);
    const r = await sys.start();
    const pid = r.proc.pid!;
    try {
      const cpu0 = procCpu(pid);
      log(`sending ${o.size} series × ${o.scrapes} samples to ${name} (${r.mode})`);
      const sent = await sendLoad(r.url, load, o.concurrency);
      const cpu = procCpu(pid) - cpu0;
      const rss = procPeakRss(pid);
      log(`flushing ${name}`);
      const bytes = await r.flush();
      results.push({
        system: name, version: r.version, mode: r.mode, samples: sent.total, accepted: sent.accepted, seconds: sent.seconds,
        samples_per_sec: sent.accepted / sent.seconds,
        cpu_seconds_per_million: cpu / (sent.accepted / 1e6),
        peak_rss_mib: rss,
        bytes_per_sample: bytes / sent.accepted,
      });
    } finally {
      await stopProc(r.proc);
      rmSync(r.dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

/** Prints results as a table. */
export function printE2ETable(rows: readonly E2EResult[]): void {
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");
  console.log("system            version    accepted samples/s   CPU s / M samples   peak RSS MiB   bytes/sample   mode");
  for (const r of rows) {
    console.log(`${r.system.padEnd(18)}${r.version.padEnd(11)}${(f(r.samples_per_sec / 1e6, 2) + " M").padStart(18)}${f(r.cpu_seconds_per_million).padStart(20)}${f(r.peak_rss_mib, 0).padStart(15)}${f(r.bytes_per_sample).padStart(15)}   ${r.mode}`);
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const get = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const size = get("--size");
  const results = await runE2EBench({
    size: size ? Math.round(Number(size.replace(/[kK]$/, "")) * (/[kK]$/.test(size) ? 1000 : 1)) : undefined,
    scrapes: get("--scrapes") ? Number(get("--scrapes")) : undefined,
    only: get("--only")?.split(","),
  });
  printE2ETable(results);
  const json = get("--json");
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
}
