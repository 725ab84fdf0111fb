/**
 * The timex collector: decoding a hand-built glibc LP64 `struct timex` (STA_NANO off and on) into
 * node_exporter's exact values, HELP and types checked against node_exporter 1.5.0's output, the no-FFI
 * path, and live adjtimex(2) calls on this machine under Bun (in process) and Deno (standalone CLI).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeText } from "../../../core/exposition/index.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { REPO_ROOT, sharedPath } from "../../../test/helpers/shared.ts";
import { freePort, startChild, waitForHttp } from "../../service/testing/processes.ts";
import type { CollectorContext } from "../collector.ts";
import { decodeTimex, STA_NANO, TIME_ERROR, TIMEX_BYTES, timex, timexFamilies } from "../collectors/timex.ts";
import { NodeExporter } from "../exporter.ts";

/** Byte offsets written independently of the decoder's table (glibc x86_64 <bits/timex.h>). */
function buildTimex(status: number): DataView {
  const v = new DataView(new ArrayBuffer(TIMEX_BYTES));
  const long = (at: number, x: number) => v.setBigInt64(at, BigInt(x), true);
  v.setUint32(0, 0, true); // modes
  long(8, -1500); // offset
  long(16, 64_000_000); // freq: 15625·2^12 → 2^-10 (ratio 1 + 1/1024)
  long(24, 16_000_000); // maxerror µs
  long(32, 250); // esterror µs
  v.setInt32(40, status, true);
  v.setInt32(44, 0x7eadbeef, true); // padding after status: must be ignored
  long(48, 7); // constant
  long(56, 1); // precision (not exported)
  long(64, 32_768_000); // tolerance (not exported)
  long(72, 1_700_000_000); // time.tv_sec (not exported)
  long(80, 123_456); // time.tv_usec
  long(88, 10_000); // tick µs
  long(96, -256_000_000); // ppsfreq: -15625·2^14 → -2^-8
  long(104, 300); // jitter
  v.setInt32(112, 4, true); // shift
  long(120, 4_000_000); // stabil: 15625·2^8 → 2^-14
  long(128, 11); // jitcnt
  long(136, 12); // calcnt
  long(144, 13); // errcnt
  long(152, 14); // stbcnt
  v.setInt32(160, 37, true); // tai
  for (let at = 164; at < TIMEX_BYTES; at += 4) v.setInt32(at, -1, true); // trailing padding
  return v;
}

function values(fams: MetricFamily[]): Record<string, number> {
  return Object.fromEntries(fams.map((f) => [f.name, f.samples[0]!.value]));
}

const ctx = { logger: nopLogger, signal: new AbortController().signal } as unknown as CollectorContext;

describe("decoding struct timex", () => {
  test("STA_NANO off: offset and jitter in µs; state 0 → synchronised", () => {
    const t = decodeTimex(buildTimex(0x0041)); // STA_PLL | STA_UNSYNC
    expect(t.status).toBe(0x41);
    expect(values(timexFamilies(0, t))).toEqual({
      node_timex_sync_status: 1,
      node_timex_offset_seconds: -0.0015,
      node_timex_frequency_adjustment_ratio: 1.0009765625,
      node_timex_maxerror_seconds: 16,
      node_timex_estimated_error_seconds: 0.00025,
      node_timex_status: 65,
      node_timex_loop_time_constant: 7,
      node_timex_tick_seconds: 0.01,
      node_timex_pps_frequency_hertz: -0.00390625,
      node_timex_pps_jitter_seconds: 0.0003,
      node_timex_pps_shift_seconds: 4,
      node_timex_pps_stability_hertz: 0.00006103515625,
      node_timex_pps_jitter_total: 11,
      node_timex_pps_calibration_total: 12,
      node_timex_pps_error_total: 13,
      node_timex_pps_stability_exceeded_total: 14,
      node_timex_tai_offset_seconds: 37,
    });
  });

  test("STA_NANO on: offset and jitter in ns, the rest unchanged; TIME_ERROR → not synchronised", () => {
    const v = values(timexFamilies(TIME_ERROR, decodeTimex(buildTimex(STA_NANO | 0x1))));
    expect(v.node_timex_sync_status).toBe(0);
    expect(v.node_timex_status).toBe(8193);
    expect(v.node_timex_offset_seconds).toBe(-0.0000015);
    expect(v.node_timex_pps_jitter_seconds).toBe(0.0000003);
    expect(v.node_timex_maxerror_seconds).toBe(16);
    expect(v.node_timex_estimated_error_seconds).toBe(0.00025);
    expect(v.node_timex_tick_seconds).toBe(0.01);
    expect(v.node_timex_frequency_adjustment_ratio).toBe(1.0009765625);
  });

  test("every state other than TIME_ERROR counts as synchronised", () => {
    const t = decodeTimex(buildTimex(0));
    expect([0, 1, 2, 3, 4, 5].map((s) => values(timexFamilies(s, t)).node_timex_sync_status)).toEqual([1, 1, 1, 1, 1, 0]);
  });

  test("a short buffer is rejected with its size", () => {
    expect(() => decodeTimex(new DataView(new ArrayBuffer(100)))).toThrow(/100 bytes, want 208/);
  });

  test("names, HELP and types match node_exporter 1.5.0's output", () => {
    const ref = sharedPath("reference-outputs", "node_exporter-1.5.0-metrics.txt");
    if (!ref) return;
    const header = (text: string) => text.split("\n").filter((l) => /^# (HELP|TYPE) node_timex_/.test(l)).sort();
    const theirs = header(readFileSync(ref, "utf8"));
    expect(theirs.length).toBe(34);
    expect(header(writeText(timexFamilies(0, decodeTimex(buildTimex(0)))))).toEqual(theirs);
  });
});

describe("collector", () => {
  test("reads through the injected reader", async () => {
    const fams = await timex(() => ({ state: 5, timex: buildTimex(0x40) })).update(ctx);
    expect(values(fams).node_timex_sync_status).toBe(0);
    expect(values(fams).node_timex_status).toBe(64);
  });

  test("no FFI: reports no data with the reason", async () => {
    await expect(timex(() => undefined).update(ctx)).rejects.toThrow(/adjtimex\(2\) is not reachable/);
  });
});

const ffiPlatform = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");
const glibc = existsSync("/lib/x86_64-linux-gnu/libc.so.6") || existsSync("/lib/aarch64-linux-gnu/libc.so.6") || existsSync("/lib64/libc.so.6") || existsSync("/usr/lib/libc.so.6");
const live = ffiPlatform && glibc && process.versions.bun !== undefined;
if (!live) console.warn("timex live tests skipped: need Linux x86_64/aarch64 with glibc, under Bun");

describe("live adjtimex(2)", () => {
  test.skipIf(!live)("under Bun the collector succeeds on this machine", async () => {
    const exp = new NodeExporter({ enabled: ["timex"], logger: nopLogger });
    const text = writeText(await exp.collect());
    expect(text).toContain('node_scrape_collector_success{collector="timex"} 1');
    const tick = /^node_timex_tick_seconds (\S+)$/m.exec(text);
    expect(Number(tick?.[1])).toBeGreaterThan(0); // the kernel's tick is never 0 (10000 µs at HZ=100)
    expect(text).toMatch(/^node_timex_sync_status [01]$/m);
  });

  const deno = join(REPO_ROOT, "node_modules", ".bin", "deno");
  test.skipIf(!live || !existsSync(deno))("under Deno (--allow-ffi) the standalone exporter exposes timex", async () => {
    const port = await freePort();
    const child = startChild(deno, ["run", "--allow-all", join(REPO_ROOT, "exporters/node/cli.ts"), `--web.listen-address=127.0.0.1:${port}`, "--collector.disable-defaults", "--collector.timex"]);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/metrics`, 30_000);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('node_scrape_collector_success{collector="timex"} 1');
      expect(text).toMatch(/^node_timex_tick_seconds [0-9.e-]+$/m);
    } finally {
      await child.stop();
    }
  }, 40_000);
});
