import { afterEach, expect, test } from "bun:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { nopLogger } from "../../core/log/logger.ts";
import type { NotificationMessage } from "../../core/model/alert.ts";
import plugin from "./index.ts";

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A loopback sink answering `reply` and recording requests. */
async function sink(status = 200, reply = "ok") {
  const got: Array<{ url: string; body: any; headers: Record<string, unknown> }> = [];
  const s = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      got.push({ url: req.url ?? "", body: JSON.parse(b), headers: req.headers });
      res.statusCode = status;
      res.end(reply);
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  closers.push(() => s.close());
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, got };
}

const ctx = (config: unknown) => ({ config, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" }) as never;
const T = Date.UTC(2026, 10, 24, 16, 53, 10);
/** A group of two firing alerts and one resolved, as core builds it. */
const msg = (status: "firing" | "resolved" = "firing"): NotificationMessage => ({
  receiver: "team", status, groupLabels: { alertname: "HighLoad" }, commonLabels: { alertname: "HighLoad", job: "node" },
  commonAnnotations: {}, externalURL: "http://am:9093", groupKey: '{}:{alertname="HighLoad"}', truncatedAlerts: 0,
  alerts: status === "firing"
    ? [
      { status: "firing", labels: { alertname: "HighLoad", job: "node", instance: "a" }, annotations: { summary: "load a" }, startsAt: T, endsAt: 0, generatorURL: "http://prom/g", fingerprint: "1" },
      { status: "resolved", labels: { alertname: "HighLoad", job: "node", instance: "b" }, annotations: { summary: "load b" }, startsAt: T, endsAt: T + 60_000, generatorURL: "http://prom/g", fingerprint: "2" },
    ]
    : [{ status: "resolved", labels: { alertname: "HighLoad", job: "node", instance: "b" }, annotations: {}, startsAt: T, endsAt: T + 60_000, generatorURL: "http://prom/g", fingerprint: "2" }],
});
const sig = () => AbortSignal.timeout(3000);

test("MessageCard with default title, summary, markdown text and theme colour", async () => {
  const s = await sink();
  const inst = await plugin.create(ctx({ webhook_url: `${s.base}/webhookb2/x` }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  const b = s.got[0]!.body;
  expect(b["@type"]).toBe("MessageCard");
  expect(b["@context"]).toBe("http://schema.org/extensions");
  expect(b.title).toBe("[FIRING:1] HighLoad (node)");
  expect(b.summary).toBe("[FIRING:1] HighLoad (node)");
  expect(b.themeColor).toBe("8C1A1A");
  expect(b.text).toContain("# Alerts Firing:");
  expect(b.text).toContain("  - instance = a");
  expect(b.text).toContain("# Alerts Resolved:");
  await inst.notify(msg("resolved"), sig());
  expect(s.got[1]!.body.themeColor).toBe("2DC72D");
});
test("config errors", () => {
  expect(() => plugin.create(ctx({}))).toThrow("webhook_url");
});
