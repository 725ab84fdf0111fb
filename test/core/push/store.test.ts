import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pushgatewayApi } from "../../../core/api/remote/pushgateway.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { PushStore } from "../../../core/push/store.ts";
import { gzipSync } from "node:zlib";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function setup(now = () => 1_700_000_000_000) {
  const dir = mkdtempSync(join(tmpdir(), "quiver-push-"));
  dirs.push(dir);
  const file = join(dir, "pushgateway.json");
  const store = new PushStore({ file, logger: nopLogger, now });
  const app = pushgatewayApi({ store, enableAdminApi: true });
  const req = async (method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) => {
    const res = await app.handle(new Request(`http://localhost${path}`, { method, body: body as BodyInit, headers }));
    return { status: res.status, text: await res.text() };
  };
  const exposed = async () => (await req("GET", "/push/metrics")).text;
  return { store, app, req, exposed, file };
}

describe("Pushgateway API", () => {
  test("PUT creates a group, grouping labels override pushed labels, push times are exposed", async () => {
    const { req, exposed } = setup();
    const r = await req("PUT", "/metrics/job/backup/instance/db1", '# TYPE backup_duration_seconds gauge\nbackup_duration_seconds{job="other",kind="full"} 42.5\n');
    expect(r).toEqual({ status: 200, text: "" });
    expect(await exposed()).toBe([
      "# TYPE backup_duration_seconds gauge",
      'backup_duration_seconds{instance="db1",job="backup",kind="full"} 42.5',
      "# HELP push_failure_time_seconds Last Unix time when changing this group in the Pushgateway failed.",
      "# TYPE push_failure_time_seconds gauge",
      'push_failure_time_seconds{instance="db1",job="backup"} 0',
      "# HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.",
      "# TYPE push_time_seconds gauge",
      'push_time_seconds{instance="db1",job="backup"} 1.7e+09',
      "",
    ].join("\n"));
  });

  test("POST replaces only the pushed names; PUT replaces the group; empty PUT empties it", async () => {
    const { req, exposed } = setup();
    await req("PUT", "/metrics/job/j", "a 1\nb 2\n");
    await req("POST", "/metrics/job/j", "b 3\nc 4\n");
    expect((await exposed()).split("\n").filter((l) => /^[abc]\{/.test(l))).toEqual(['a{instance="",job="j"} 1', 'b{instance="",job="j"} 3', 'c{instance="",job="j"} 4']);
    await req("PUT", "/metrics/job/j", "c 5\n");
    expect((await exposed()).split("\n").filter((l) => /^[abc]\{/.test(l))).toEqual(['c{instance="",job="j"} 5']);
    await req("PUT", "/metrics/job/j", "");
    const out = await exposed();
    expect(out).not.toContain("c{");
    expect(out).toContain('push_time_seconds{instance="",job="j"}');
  });

  test("DELETE is 202, also for unknown groups; groups are independent", async () => {
    const { req, exposed } = setup();
    await req("PUT", "/metrics/job/j/instance/a", "m 1\n");
    await req("PUT", "/metrics/job/j/instance/b", "m 2\n");
    expect((await req("DELETE", "/metrics/job/j/instance/a")).status).toBe(202);
    expect((await req("DELETE", "/metrics/job/nope")).status).toBe(202);
    expect((await exposed()).split("\n").filter((l) => l.startsWith("m{"))).toEqual(['m{instance="b",job="j"} 2']);
  });

  test("invalid and inconsistent pushes are 400 and set push_failure_time_seconds", async () => {
    let now = 1_700_000_000_000;
    const { req, exposed } = setup(() => now);
    await req("PUT", "/metrics/job/a", "# TYPE x counter\nx 1\n");
    now += 5000;
    const cases: Array<[string, string, RegExp]> = [
      ["/metrics/job/a", "x 1 1700000000000\n", /must not have timestamps/],
      ["/metrics/job/b", "# TYPE x gauge\nx 1\n", /metric x has type gauge, but type counter elsewhere/],
      ["/metrics/job/a", "push_time_seconds 1\n", /must not be named push_time_seconds/],
      ["/metrics/job/a", "x{ 1\n", /./],
      ["/metrics/job/a/1x/y", "x 1\n", /improper label name/],
    ];
    for (const [path, body, msg] of cases) {
      const r = await req("PUT", path, body);
      expect(r.status).toBe(400);
      expect(r.text).toMatch(msg);
    }
    const out = await exposed();
    expect(out).toContain('push_failure_time_seconds{instance="",job="a"} 1.700000005e+09');
    expect(out).toContain('x{instance="",job="a"} 1');
  });

  test("gzip bodies, base64 keys, and protobuf refused", async () => {
    const { req, exposed } = setup();
    expect((await req("PUT", "/metrics/job/cleaner/path@base64/L3Zhci90bXA", gzipSync("files_removed 7\n"), { "content-encoding": "gzip" })).status).toBe(200);
    expect(await exposed()).toContain('files_removed{instance="",job="cleaner",path="/var/tmp"} 7');
    expect((await req("PUT", "/metrics/job/p", "x", { "content-type": "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited" })).status).toBe(415);
  });

  test("groups survive a restart (persistence file); admin wipe clears them", async () => {
    const { req, file } = setup();
    await req("PUT", "/metrics/job/j", "# HELP m Help.\n# TYPE m gauge\nm{a=\"1\"} NaN\nm{a=\"2\"} +Inf\n");
    const again = new PushStore({ file, logger: nopLogger });
    const fams = again.families();
    expect(fams[0]!.name).toBe("m");
    expect(fams[0]!.help).toBe("Help.");
    expect(fams[0]!.samples.map((s) => s.value)).toEqual([NaN, Infinity]);
    expect(fams.find((f) => f.name === "push_time_seconds")!.samples[0]!.value).toBe(1.7e9);
    expect((await req("PUT", "/api/v1/admin/wipe")).status).toBe(202);
    expect(new PushStore({ file, logger: nopLogger }).size).toBe(0);
  });
});
