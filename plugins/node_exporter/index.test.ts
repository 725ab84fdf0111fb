/**
 * The node_exporter plugin: settings → flags, config errors, and a collect against the upstream fixtures
 * and against this machine's /proc.
 */
import { describe, expect, test } from "bun:test";
import { nopLogger } from "../../core/log/logger.ts";
import { sharedPath } from "../../test/helpers/shared.ts";
import plugin, { configToArgs } from "./index.ts";

const ctx = (config: unknown) => ({ config: config as never, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" });

describe("node_exporter plugin", () => {
  test("settings become node_exporter flags", () => {
    expect(configToArgs({ procfs: "/host/proc", collectors: { enable: ["textfile"], disable: ["hwmon"] }, options: { "collector.textfile.directory": "/t" } })).toEqual([
      "--path.procfs=/host/proc", "--collector.textfile", "--no-collector.hwmon", "--collector.textfile.directory=/t",
    ]);
  });

  test("config errors name the setting", () => {
    expect(() => plugin.create(ctx({ procfss: "/x" }))).toThrow(/unknown setting "procfss"/);
    expect(() => plugin.create(ctx({ collectors: { enable: ["wifi"] } }))).toThrow(/not implemented by Quiver: wifi/);
    expect(() => plugin.create(ctx({ options: { "web.listen-address": ":1" } }))).toThrow(/not a collector option/);
  });

  test("collects loadavg and meminfo from the fixture procfs, with scrape metrics", async () => {
    const proc = sharedPath("conformance", "node_exporter", "fixtures", "proc");
    if (!proc) return;
    const inst = await plugin.create(ctx({ procfs: proc, collectors: { disable_defaults: true, enable: ["loadavg", "meminfo"] } }));
    const fams = await inst.collect(new AbortController().signal);
    const get = (n: string) => fams.find((f) => f.name === n);
    expect(get("node_load1")!.samples[0]!.value).toBe(0.21);
    expect(get("node_memory_MemTotal_bytes")!.samples[0]!.value).toBe(3742148 * 1024);
    expect(get("node_scrape_collector_success")!.samples.map((s) => s.value)).toEqual([1, 1]);
  });

  test.skipIf(process.platform !== "linux")("collects from this machine with default collectors", async () => {
    const inst = await plugin.create(ctx({}));
    const fams = await inst.collect(new AbortController().signal);
    expect(fams.some((f) => f.name === "node_cpu_seconds_total")).toBe(true);
  });
});
