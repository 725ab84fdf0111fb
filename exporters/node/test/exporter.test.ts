/**
 * Node exporter behaviour: flags, failure isolation, per-collector timeouts on a stuck read, textfile
 * fixture cases, and the registry/collector-file correspondence.
 */
import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync, constants } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeText } from "../../../core/exposition/index.ts";
import { createLogger, nopLogger } from "../../../core/log/logger.ts";
import { sharedPath } from "../../../test/helpers/shared.ts";
import { NodeExporter } from "../exporter.ts";
import { parseNodeFlags, splitListenAddress } from "../flags.ts";
import { COLLECTORS } from "../registry.ts";
import { parseMdstat } from "../collectors/mdadm.ts";
import { parseCpuList } from "../collectors/cpu.ts";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "quiver-node-"));
}

describe("flags", () => {
  test("defaults, --[no-]collector.X, options, listen address", () => {
    const f = parseNodeFlags([]);
    expect(f.listenAddress).toBe(":9100");
    expect(f.enabled).toContain("loadavg");
    expect(f.enabled).toContain("timex");
    expect(f.enabled).not.toContain("zoneinfo");
    const g = parseNodeFlags(["--no-collector.loadavg", "--collector.zoneinfo", "--collector.textfile.directory", "/x", "--path.procfs=/p", "--collector.wifi"]);
    expect(g.enabled).not.toContain("loadavg");
    expect(g.enabled).toContain("zoneinfo");
    expect(g.options.get("collector.textfile.directory")).toEqual(["/x"]);
    expect(g.procfs).toBe("/p");
    expect(g.unknownCollectors).toEqual(["wifi"]);
    expect(parseNodeFlags(["--collector.disable-defaults", "--collector.cpu"]).enabled).toEqual(["cpu"]);
    expect(() => parseNodeFlags(["--web.bogus=1"])).toThrow(/unknown flag --web.bogus/);
    expect(() => parseNodeFlags(["--path.procfs"])).toThrow(/needs a value/);
    const w = parseNodeFlags(["--web.disable-exporter-metrics", "--web.max-requests=2", "--runtime.gomaxprocs=1"]);
    expect([w.disableExporterMetrics, w.maxRequests, w.ignored]).toEqual([true, 2, ["--runtime.gomaxprocs"]]);
    expect(() => parseNodeFlags(["--web.config.file=web.yml"])).toThrow(/not supported/);
    expect(splitListenAddress(":9100")).toEqual({ hostname: "0.0.0.0", port: 9100 });
    expect(splitListenAddress("[::1]:9")).toEqual({ hostname: "::1", port: 9 });
  });
});

describe("registry", () => {
  test("every collector file is registered and vice versa", () => {
    const files = readdirSync(join(import.meta.dir, "..", "collectors")).map((f) => f.replace(/\.ts$/, "").replace(/-/g, "_"));
    expect(files.sort()).toEqual([...COLLECTORS.keys()].sort());
  });
});

describe("failure isolation", () => {
  test("a missing file fails only its collector, with success 0 and an error log", async () => {
    const dir = tmp();
    try {
      writeFileSync(join(dir, "loadavg"), "0.5 0.25 0.125 1/2 3\n");
      const logs: string[] = [];
      const exp = new NodeExporter({ procfs: dir, sysfs: dir, enabled: ["loadavg", "meminfo"], logger: createLogger({ write: (l) => logs.push(l) }) });
      const text = writeText(await exp.collect());
      expect(text).toContain("node_load1 0.5\n");
      expect(text).toContain('node_scrape_collector_success{collector="loadavg"} 1\n');
      expect(text).toContain('node_scrape_collector_success{collector="meminfo"} 0\n');
      expect(logs.some((l) => l.includes("level=ERROR") && l.includes("name=meminfo"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stuck read (a FIFO nobody writes) times out that collector only; the scrape answers", async () => {
    const dir = tmp();
    const fifo = join(dir, "loadavg");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      console.warn("mkfifo unavailable: skipping the stuck-read test");
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    writeFileSync(join(dir, "meminfo"), "MemTotal: 10 kB\n");
    try {
      const exp = new NodeExporter({ procfs: dir, sysfs: dir, enabled: ["loadavg", "meminfo"], logger: nopLogger, timeoutMs: 200 });
      const text = writeText(await exp.collect());
      expect(text).toContain('node_scrape_collector_success{collector="loadavg"} 0\n');
      expect(text).toContain("node_memory_MemTotal_bytes 10240\n");
    } finally {
      // Release the abandoned reader so the thread pool does not stay blocked.
      try {
        const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        closeSync(fd);
      } catch {
        // no reader left
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("parsers", () => {
  test("cpu lists and mdstat", () => {
    expect(parseCpuList("1,3-5,9")).toEqual([1, 3, 4, 5, 9]);
    const md = parseMdstat("Personalities : [raid1]\nmd0 : active raid1 sdb1[1] sda1[0](F)\n      1000 blocks [2/1] [U_]\n      [=>...]  recovery =  8.5% (85/1000) finish=1min speed=1K/sec\n\nunused devices: <none>\n");
    expect(md).toEqual([{ name: "md0", state: "recovering", active: 1, failed: 1, spare: 0, total: 2, blocks: 1000, synced: 85 }]);
    expect(() => parseMdstat("md0 : active raid1 sda[0]\n      garbage\n\n\n")).toThrow(/status line/);
  });
});

describe("textfile fixtures", () => {
  const dir = sharedPath("conformance", "node_exporter", "fixtures", "textfile");
  const cases = dir ? readdirSync(dir).filter((f) => f.endsWith(".out") && !["nonexistent_path.out", "glob_extra_dimension.out"].includes(f)) : [];
  for (const out of cases) {
    const name = out.replace(/\.out$/, "");
    test.skipIf(!dir)(`case ${name}`, async () => {
      const exp = new NodeExporter({ enabled: ["textfile"], flags: new Map([["collector.textfile.directory", [join(dir!, name)]]]), logger: nopLogger });
      const fams = (await exp.collect()).filter((f) => !f.name.startsWith("node_scrape_"));
      const norm = (t: string) => t.replace(/^node_textfile_mtime_seconds\{.*\n/gm, "").split(dir! + "/").join("fixtures/textfile/");
      const want = norm(readFileSync(join(dir!, out), "utf8")).replace(/^(# HELP node_textfile_mtime_seconds.*\n# TYPE node_textfile_mtime_seconds gauge\n)/m, "");
      const got = norm(writeText(fams)).replace(/^(# HELP node_textfile_mtime_seconds.*\n# TYPE node_textfile_mtime_seconds gauge\n)/m, "");
      expect(got).toBe(want);
    });
  }
  if (dir) mkdirSync(tmpdir(), { recursive: true });
});
