/**
 * Interoperability: (1) the real blackbox_exporter (Debian's prometheus-blackbox-exporter 0.23) and
 * Quiver's blackbox exporter expose the same metric names for the same probes against the same loopback
 * server; (2) a real Prometheus scrapes the standalone exporter through the usual __param_target
 * relabeling with up == 1 and no scrape error. Skipped with a message when a binary is absent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../../test/helpers/shared.ts";
import { freePort, scrapeWithPrometheus, startChild, waitForHttp } from "../../service/testing/processes.ts";
import { startHttp } from "./servers.ts";

const BLACKBOX = "/usr/bin/prometheus-blackbox-exporter";
const PROMETHEUS = "/usr/bin/prometheus";
const BUN = join(REPO_ROOT, "node_modules", ".bin", "bun");
const YAML = "modules:\n  http_2xx:\n    prober: http\n    http:\n      preferred_ip_protocol: ip4\n  tcp_connect:\n    prober: tcp\n";

let web: Awaited<ReturnType<typeof startHttp>>;
let cfgFile: string;
beforeAll(async () => {
  web = await startHttp(null);
  const dir = mkdtempSync(join(tmpdir(), "quiver-bb-interop-"));
  cfgFile = join(dir, "blackbox.yml");
  writeFileSync(cfgFile, YAML);
});
afterAll(() => web.close());

async function startQuiver() {
  const port = await freePort();
  const child = startChild(BUN, [join(REPO_ROOT, "exporters/blackbox/cli.ts"), `--config.file=${cfgFile}`, `--web.listen-address=127.0.0.1:${port}`]);
  await waitForHttp(`http://127.0.0.1:${port}/-/healthy`);
  return { port, child };
}

function names(text: string): string[] {
  return [...new Set(text.split("\n").filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]!))].sort();
}

describe("blackbox interop", () => {
  test.skipIf(!existsSync(BLACKBOX))("same metric names as blackbox_exporter 0.23 for http_2xx and tcp_connect (success and failure)", async () => {
    const bbPort = await freePort();
    const bb = startChild(BLACKBOX, [`--config.file=${cfgFile}`, `--web.listen-address=127.0.0.1:${bbPort}`]);
    const q = await startQuiver();
    try {
      await waitForHttp(`http://127.0.0.1:${bbPort}/metrics`);
      const port = new URL(web.http).port;
      for (const [module, target] of [["http_2xx", `${web.http}/ok`], ["http_2xx", "http://127.0.0.1:1/"], ["tcp_connect", `127.0.0.1:${port}`], ["tcp_connect", "127.0.0.1:1"]] as const) {
        const qs = `?module=${module}&target=${encodeURIComponent(target)}`;
        const theirs = await (await fetch(`http://127.0.0.1:${bbPort}/probe${qs}`)).text();
        const ours = await (await fetch(`http://127.0.0.1:${q.port}/probe${qs}`)).text();
        expect({ module, target, names: names(ours) }).toEqual({ module, target, names: names(theirs) });
        const success = (t: string) => /probe_success (\d)/.exec(t)?.[1];
        expect(success(ours)).toBe(success(theirs)!);
      }
    } finally {
      await bb.stop();
      await q.child.stop();
    }
  }, 30_000);
  if (!existsSync(BLACKBOX)) console.warn(`${BLACKBOX} not found: skipping the blackbox_exporter comparison`);

  test.skipIf(!existsSync(PROMETHEUS))("a real Prometheus scrapes /probe via __param_target relabeling: up == 1", async () => {
    const q = await startQuiver();
    try {
      const r = await scrapeWithPrometheus(`${web.http}/ok`, { metricsPath: "/probe", params: { module: ["http_2xx"] }, relabelTarget: `127.0.0.1:${q.port}` });
      expect(r.lastError).toBe("");
      expect(r.up).toBe(1);
      expect(r.samples).toBeGreaterThan(10);
    } finally {
      await q.child.stop();
    }
  }, 60_000);
  if (!existsSync(PROMETHEUS)) console.warn(`${PROMETHEUS} not found: skipping the Prometheus scrape test`);
});
